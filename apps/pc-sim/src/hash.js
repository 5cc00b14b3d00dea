"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Rng = void 0;
exports.fmix32 = fmix32;
exports.h32 = h32;
exports.u01 = u01;
exports.strHash32 = strHash32;
exports.sha256Hex = sha256Hex;
exports.guidFrom = guidFrom;
/**
 * Deterministic hashing and pseudo-random helpers.
 *
 * Two families:
 *  - `h32`/`u01`: a fast, allocation-free integer mixer used per line item (pure function of its
 *    integer inputs; no state), so any item can be regenerated from (seed, account, day, position).
 *  - `Rng`: a small sequential PRNG (mulberry32) seeded from SHA-256 of a label, used once to build
 *    the static account profile (customers, subscriptions, resources).
 */
const node_crypto_1 = require("node:crypto");
function fmix32(h) {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
}
/** Mixes any number of 32-bit integers into one unsigned 32-bit hash. */
function h32(...xs) {
    let h = 0x811c9dc5;
    for (let i = 0; i < xs.length; i++) {
        h = fmix32((h ^ (xs[i] | 0)) + Math.imul(i + 1, 0x9e3779b9));
    }
    return fmix32(h ^ xs.length);
}
/** Uniform float in [0, 1) from integer inputs. */
function u01(...xs) {
    return h32(...xs) / 4294967296;
}
/** 32-bit hash of a string (via SHA-256; used for setup only). */
function strHash32(s) {
    return (0, node_crypto_1.createHash)('sha256').update(s).digest().readUInt32LE(0);
}
function sha256Hex(s) {
    return (0, node_crypto_1.createHash)('sha256').update(s).digest('hex');
}
/** RFC-4122-shaped (version 4 bits) GUID derived from a label. */
function guidFrom(label) {
    const h = sha256Hex(label);
    const v = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
class Rng {
    constructor(label) {
        this.s = strHash32(label) || 1;
    }
    next() {
        let t = (this.s = (this.s + 0x6d2b79f5) | 0);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    /** Integer in [lo, hi] inclusive. */
    int(lo, hi) {
        return lo + Math.floor(this.next() * (hi - lo + 1));
    }
    pick(xs) {
        return xs[Math.floor(this.next() * xs.length)];
    }
    weighted(xs) {
        const total = xs.reduce((a, [, w]) => a + w, 0);
        let r = this.next() * total;
        for (const [x, w] of xs) {
            r -= w;
            if (r < 0)
                return x;
        }
        return xs[xs.length - 1][0];
    }
    chance(p) {
        return this.next() < p;
    }
    /** Picks n distinct elements (n clamped to xs.length). */
    sample(xs, n) {
        const pool = xs.slice();
        const out = [];
        while (out.length < n && pool.length)
            out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]);
        return out;
    }
}
exports.Rng = Rng;
//# sourceMappingURL=hash.js.map