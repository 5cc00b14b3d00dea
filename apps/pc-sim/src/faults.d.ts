export declare const REQUEST_FAULTS: readonly ["429", "500", "503", "slow", "timeout", "truncated", "expiredToken"];
export declare const FAULT_KINDS: readonly ["429", "500", "503", "slow", "timeout", "truncated", "expiredToken", "malformed"];
export type RequestFault = (typeof REQUEST_FAULTS)[number];
export type FaultKind = (typeof FAULT_KINDS)[number];
export interface FaultConfig {
    /** Probability per API request (request faults) and per line item (malformed), 0–1. */
    rate: number;
    kinds: FaultKind[];
    retryAfterSeconds: number;
    slowMs: number;
    /** How long a "timeout" request hangs before the connection is dropped. */
    hangMs: number;
}
export declare const MALFORMED_VARIANTS: readonly ["amount-not-a-number", "missing-usage-date", "quantity-wrong-type"];
export declare class FaultInjector {
    private readonly seed;
    private readonly configs;
    private readonly counters;
    private readonly logs;
    private readonly revoked;
    constructor(seed: number);
    /** Validates and stores a config; returns an error message for bad input. */
    configure(account: string, input: unknown): string | FaultConfig;
    clear(account: string): void;
    config(account: string): FaultConfig | null;
    log(account: string): Record<string, number>;
    record(account: string, kind: FaultKind, count?: number): void;
    /** The fault (if any) for the next API request of the account. */
    nextRequestFault(account: string): RequestFault | null;
    /** The malformed variant of this line item, or null when it is served intact. */
    malformed(account: string, day: number, pos: number): (typeof MALFORMED_VARIANTS)[number] | null;
    revoke(account: string): void;
    restore(account: string): void;
    isRevoked(account: string): boolean;
}
/** Breaks one serialised line item the way the variant says (the rest of the page stays valid). */
export declare function corrupt(json: string, variant: (typeof MALFORMED_VARIANTS)[number]): string;
