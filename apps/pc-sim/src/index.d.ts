import { type Simulator } from './simulator';
export { createSimulator, DEFAULT_SEED, type Simulator, type SimulatorOptions } from './simulator';
export { SimParamError, type AccountInfo, type GroundTruth, type GroundTruthQuery } from './control';
export type { GroundTruthRow, GroupKey } from './usage';
export { DEMO_ACCOUNTS, SANDBOX_LIMITS } from './profile';
export { CLOUDS, type CloudId } from './catalog';
export interface StartOptions {
    /** 0 = ephemeral (default 0). */
    port?: number;
    /** Default 127.0.0.1. */
    host?: string;
    seed?: number;
    now?: Date;
    tokenTtlSeconds?: number;
    /** URL clients reach the simulator at, if not the bound address (e.g. http://pc-sim:4100). */
    publicUrl?: string;
    /** Adds account "scale" with about this many line items per day (benchmarks). */
    scaleItemsPerDay?: number;
}
export interface RunningSimulator {
    /** Origin the simulator listens on, e.g. http://127.0.0.1:4100 */
    url: string;
    simulator: Simulator;
    close(): Promise<void>;
}
export declare function startSimulator(opts?: StartOptions): Promise<RunningSimulator>;
export { FAULT_KINDS, REQUEST_FAULTS, type FaultConfig, type FaultKind } from './faults';
