import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSimulator, type Simulator } from './simulator';
import type { Profile } from './profile';

export { createSimulator, DEFAULT_SEED, type Simulator, type SimulatorOptions } from './simulator';
export { SimParamError, type AccountInfo, type GroundTruth, type GroundTruthQuery } from './control';
export type { GroundTruthRow, GroupKey } from './usage';
export { DEMO_ACCOUNTS, SANDBOX_LIMITS, PROFILES, type Profile } from './profile';
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
  /** demo (default) | sandbox | scale */
  profile?: Profile;
  /** Keeps rendered unbilled usage pages in this directory and serves repeat reads from it (benchmarks). */
  pageCacheDir?: string;
  /** Global-cloud accounts answer the v1 usage / billing line item reads as retired (default false). */
  retireV1?: boolean;
  /** Default Graph export delay in seconds (default: the profile's). */
  graphDelaySeconds?: number;
  /** Default lines per blob of a Graph export (default 200000). */
  graphLinesPerBlob?: number;
  /** Default manifest delivery: 'inline' (default) or 'link'. */
  graphManifest?: 'inline' | 'link';
}

export interface RunningSimulator {
  /** Origin the simulator listens on, e.g. http://127.0.0.1:4100 */
  url: string;
  simulator: Simulator;
  close(): Promise<void>;
}

export async function startSimulator(opts: StartOptions = {}): Promise<RunningSimulator> {
  const host = opts.host ?? '127.0.0.1';
  let sim: Simulator | null = null;
  const server: Server = createServer((req, res) => {
    if (sim) sim.handler(req, res);
    else {
      res.statusCode = 503;
      res.end();
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const hostPart = addr.family === 'IPv6' || addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  const url = `http://${hostPart}:${addr.port}`;
  // Behind a container network the address clients use differs from the bound one (SIM_PUBLIC_URL).
  sim = createSimulator({ seed: opts.seed, now: opts.now, publicUrl: opts.publicUrl ?? url, tokenTtlSeconds: opts.tokenTtlSeconds, scaleItemsPerDay: opts.scaleItemsPerDay, profile: opts.profile, pageCacheDir: opts.pageCacheDir, retireV1: opts.retireV1, graphDelaySeconds: opts.graphDelaySeconds, graphLinesPerBlob: opts.graphLinesPerBlob, graphManifest: opts.graphManifest });
  return {
    url,
    simulator: sim,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
export { FAULT_KINDS, GRAPH_FAULTS, REQUEST_FAULTS, type FaultConfig, type FaultKind } from './faults';
export { DEFAULT_LINES_PER_BLOB, GRAPH_PERMISSION, GRAPH_RESOURCE, type GraphConfig, type ManifestMode } from './graph-config';
export { USAGE_BASIC_FIELDS, USAGE_FULL_FIELDS, RECON_FIELDS } from './graph-lines';
