import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AccountInfo, type GroundTruth, type GroundTruthQuery } from './control';
export interface SimulatorOptions {
    /** Data seed (default 42). Same seed (and clock) → identical data. */
    seed?: number;
    /** Frozen simulation clock. Absent = real current time (advancing). */
    now?: Date;
    /** Absolute origin the simulator is reachable at, e.g. `http://127.0.0.1:4100`. */
    publicUrl: string;
    /** Access-token lifetime in seconds (default 3599). */
    tokenTtlSeconds?: number;
    /** Adds account "scale" with about this many line items per day (benchmarks). */
    scaleItemsPerDay?: number;
}
export interface Simulator {
    /** node:http request listener serving every account, the token authorities and the control API. */
    handler(req: IncomingMessage, res: ServerResponse): void;
    accounts(): AccountInfo[];
    /** Exact sums of billingPreTaxTotal from the generator; throws SimParamError on bad input. */
    groundTruth(q: GroundTruthQuery): GroundTruth;
    /** The simulation clock. */
    now(): Date;
}
export declare const DEFAULT_SEED = 42;
export declare function createSimulator(opts: SimulatorOptions): Simulator;
