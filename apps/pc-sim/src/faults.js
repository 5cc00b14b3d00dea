"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FaultInjector = exports.MALFORMED_VARIANTS = exports.FAULT_KINDS = exports.REQUEST_FAULTS = void 0;
exports.corrupt = corrupt;
/**
 * Fault injection per account, reproducible from the seed (issue 4 §4). Request faults are drawn
 * from (seed, account, n-th API request of the account); malformed records from (seed, account,
 * day, position) — so the same items are malformed on every read and ground truth can tell
 * exactly which amounts a correct client must quarantine rather than sum.
 */
const hash_1 = require("./hash");
exports.REQUEST_FAULTS = ['429', '500', '503', 'slow', 'timeout', 'truncated', 'expiredToken'];
exports.FAULT_KINDS = [...exports.REQUEST_FAULTS, 'malformed'];
exports.MALFORMED_VARIANTS = ['amount-not-a-number', 'missing-usage-date', 'quantity-wrong-type'];
class FaultInjector {
    constructor(seed) {
        this.seed = seed;
        this.configs = new Map();
        this.counters = new Map();
        this.logs = new Map();
        this.revoked = new Set();
    }
    /** Validates and stores a config; returns an error message for bad input. */
    configure(account, input) {
        const o = (input ?? {});
        const rate = Number(o.rate);
        if (!(rate >= 0 && rate <= 1))
            return "'rate' must be a number from 0 to 1";
        const kinds = Array.isArray(o.kinds) ? o.kinds.map(String) : [...exports.FAULT_KINDS];
        const unknown = kinds.filter((k) => !exports.FAULT_KINDS.includes(k));
        if (unknown.length || kinds.length === 0)
            return `'kinds' must list some of ${exports.FAULT_KINDS.join(', ')}`;
        const cfg = {
            rate,
            kinds: kinds,
            retryAfterSeconds: o.retryAfterSeconds === undefined ? 1 : Number(o.retryAfterSeconds),
            slowMs: o.slowMs === undefined ? 200 : Number(o.slowMs),
            hangMs: o.hangMs === undefined ? 60_000 : Number(o.hangMs),
        };
        if (![cfg.retryAfterSeconds, cfg.slowMs, cfg.hangMs].every((n) => Number.isFinite(n) && n >= 0))
            return "'retryAfterSeconds', 'slowMs' and 'hangMs' must be numbers ≥ 0";
        this.configs.set(account, cfg);
        this.counters.set(account, 0);
        this.logs.set(account, {});
        return cfg;
    }
    clear(account) {
        this.configs.delete(account);
    }
    config(account) {
        return this.configs.get(account) ?? null;
    }
    log(account) {
        return { ...(this.logs.get(account) ?? {}) };
    }
    record(account, kind, count = 1) {
        const log = this.logs.get(account) ?? {};
        log[kind] = (log[kind] ?? 0) + count;
        this.logs.set(account, log);
    }
    /** The fault (if any) for the next API request of the account. */
    nextRequestFault(account) {
        const cfg = this.configs.get(account);
        if (!cfg)
            return null;
        const n = this.counters.get(account) ?? 0;
        this.counters.set(account, n + 1);
        const requestKinds = cfg.kinds.filter((k) => k !== 'malformed');
        const key = (0, hash_1.strHash32)(`${this.seed}|fault|${account}`);
        if (requestKinds.length === 0 || (0, hash_1.u01)(key, n, 1) >= cfg.rate)
            return null;
        const kind = requestKinds[Math.floor((0, hash_1.u01)(key, n, 2) * requestKinds.length)];
        this.record(account, kind);
        return kind;
    }
    /** The malformed variant of this line item, or null when it is served intact. */
    malformed(account, day, pos) {
        const cfg = this.configs.get(account);
        if (!cfg || !cfg.kinds.includes('malformed'))
            return null;
        const key = (0, hash_1.strHash32)(`${this.seed}|malformed|${account}`);
        if ((0, hash_1.u01)(key, day, pos, 1) >= cfg.rate)
            return null;
        return exports.MALFORMED_VARIANTS[Math.floor((0, hash_1.u01)(key, day, pos, 2) * exports.MALFORMED_VARIANTS.length)];
    }
    revoke(account) {
        this.revoked.add(account);
    }
    restore(account) {
        this.revoked.delete(account);
    }
    isRevoked(account) {
        return this.revoked.has(account);
    }
}
exports.FaultInjector = FaultInjector;
/** Breaks one serialised line item the way the variant says (the rest of the page stays valid). */
function corrupt(json, variant) {
    switch (variant) {
        case 'amount-not-a-number':
            return json.replace(/"billingPreTaxTotal":[^,]+/, '"billingPreTaxTotal":"N/A"');
        case 'missing-usage-date':
            return json.replace(/,"usageDate":"[^"]*"/, '');
        case 'quantity-wrong-type':
            return json.replace(/"quantity":[^,]+/, '"quantity":true');
    }
}
//# sourceMappingURL=faults.js.map