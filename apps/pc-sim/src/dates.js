"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DAY_MS = void 0;
exports.dayOf = dayOf;
exports.dayToDate = dayToDate;
exports.dayToYmd = dayToYmd;
exports.dayToIso = dayToIso;
exports.parseYmd = parseYmd;
exports.monthStart = monthStart;
exports.nextMonthStart = nextMonthStart;
exports.monthKey = monthKey;
exports.dayOfWeek = dayOfWeek;
exports.isWeekend = isWeekend;
/** UTC calendar helpers. Days are integers: days since 1970-01-01 (UTC). */
exports.DAY_MS = 86_400_000;
function dayOf(d) {
    return Math.floor(d.getTime() / exports.DAY_MS);
}
function dayToDate(day) {
    return new Date(day * exports.DAY_MS);
}
/** `YYYY-MM-DD` */
function dayToYmd(day) {
    return dayToDate(day).toISOString().slice(0, 10);
}
/** `YYYY-MM-DDT00:00:00Z` (Partner Center style, no milliseconds) */
function dayToIso(day) {
    return `${dayToYmd(day)}T00:00:00Z`;
}
/** Parses a strict `YYYY-MM-DD`; returns null when malformed or not a real date. */
function parseYmd(s) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m)
        return null;
    const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
    const d = new Date(t);
    if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3])
        return null;
    return t / exports.DAY_MS;
}
/** Day number of the first day of the month containing `day`. */
function monthStart(day) {
    const d = dayToDate(day);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / exports.DAY_MS;
}
/** Day number of the first day of the month after the one containing `day`. */
function nextMonthStart(day) {
    const d = dayToDate(day);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / exports.DAY_MS;
}
/** Month key `YYYYMM` as an integer, for hashing. */
function monthKey(day) {
    const d = dayToDate(day);
    return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
}
/** 0 = Sunday … 6 = Saturday */
function dayOfWeek(day) {
    return (((day + 4) % 7) + 7) % 7;
}
function isWeekend(day) {
    const w = dayOfWeek(day);
    return w === 0 || w === 6;
}
//# sourceMappingURL=dates.js.map