import type { SasState } from './blob-storage';
import type { GraphSettings } from './graph-config';
import type { LayoutCache } from './graph-export';
import type { UsagePageCache } from './page-cache';
import type { PlantedSpike } from './anomalies';
import type { FaultInjector } from './faults';
import type { InvoiceBook } from './invoices';
import type { AccountModel } from './profile';
import type { Signer } from './tokens';
import type { UsageGenerator } from './usage';
import type { UsageBook } from './userapi';

/** Everything a request handler needs; built once by createSimulator. */
export interface SimContext {
  seed: number;
  models: AccountModel[];
  byId: Map<string, AccountModel>;
  generators: Map<string, UsageGenerator>;
  /** Planted cost anomalies (anomalies.ts). */
  spikes: PlantedSpike[];
  signer: Signer;
  /** Simulation clock (drives billing periods, month close and data availability). */
  clock: () => Date;
  /** Sets the simulation clock (POST /_sim/clock); from then on it stands still unless moved again. */
  setClock: (now: Date) => void;
  invoices: InvoiceBook;
  usage: UsageBook;
  /** Wall clock in ms (drives token lifetimes). */
  wallClock: () => number;
  publicUrl: string;
  tokenTtlSeconds: number;
  serverId: string;
  faults: FaultInjector;
  /** Graph billing export: per-account settings, blob layouts, SAS bookkeeping (graph.ts, blob-storage.ts). */
  graph: GraphSettings;
  graphLayouts: LayoutCache;
  sas: SasState;
  /** v1 usage and new-commerce billing line item reads of global-cloud accounts answer as retired (retire.ts). */
  retireV1: boolean;
  /** Rendered unbilled usage pages kept on disk (benchmarks only; absent normally). */
  pageCache?: UsagePageCache;
}
