/** UTC calendar helpers. Days are integers: days since 1970-01-01 (UTC). */
export declare const DAY_MS = 86400000;
export declare function dayOf(d: Date): number;
export declare function dayToDate(day: number): Date;
/** `YYYY-MM-DD` */
export declare function dayToYmd(day: number): string;
/** `YYYY-MM-DDT00:00:00Z` (Partner Center style, no milliseconds) */
export declare function dayToIso(day: number): string;
/** Parses a strict `YYYY-MM-DD`; returns null when malformed or not a real date. */
export declare function parseYmd(s: string): number | null;
/** Day number of the first day of the month containing `day`. */
export declare function monthStart(day: number): number;
/** Day number of the first day of the month after the one containing `day`. */
export declare function nextMonthStart(day: number): number;
/** Month key `YYYYMM` as an integer, for hashing. */
export declare function monthKey(day: number): number;
/** 0 = Sunday … 6 = Saturday */
export declare function dayOfWeek(day: number): number;
export declare function isWeekend(day: number): boolean;
