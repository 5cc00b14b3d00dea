import type { FaultInjector } from './faults';
import type { AccountModel } from './profile';
import type { Signer } from './tokens';
import type { UsageGenerator } from './usage';
/** Everything a request handler needs; built once by createSimulator. */
export interface SimContext {
    seed: number;
    models: AccountModel[];
    byId: Map<string, AccountModel>;
    generators: Map<string, UsageGenerator>;
    signer: Signer;
    /** Simulation clock (drives billing periods and data availability). */
    clock: () => Date;
    /** Wall clock in ms (drives token lifetimes). */
    wallClock: () => number;
    publicUrl: string;
    tokenTtlSeconds: number;
    serverId: string;
    faults: FaultInjector;
}
