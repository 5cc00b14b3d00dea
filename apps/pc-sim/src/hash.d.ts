export declare function fmix32(h: number): number;
/** Mixes any number of 32-bit integers into one unsigned 32-bit hash. */
export declare function h32(...xs: number[]): number;
/** Uniform float in [0, 1) from integer inputs. */
export declare function u01(...xs: number[]): number;
/** 32-bit hash of a string (via SHA-256; used for setup only). */
export declare function strHash32(s: string): number;
export declare function sha256Hex(s: string): string;
/** RFC-4122-shaped (version 4 bits) GUID derived from a label. */
export declare function guidFrom(label: string): string;
export declare class Rng {
    private s;
    constructor(label: string);
    next(): number;
    /** Integer in [lo, hi] inclusive. */
    int(lo: number, hi: number): number;
    pick<T>(xs: readonly T[]): T;
    weighted<T>(xs: readonly (readonly [T, number])[]): T;
    chance(p: number): boolean;
    /** Picks n distinct elements (n clamped to xs.length). */
    sample<T>(xs: readonly T[], n: number): T[];
}
