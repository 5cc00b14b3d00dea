/**
 * Standalone simulator:
 *   node dist/main.js [--profile demo|sandbox|scale] [--seed N] [--port P] [--host H] [--now ISO]
 *                     [--public-url URL] [--scale-items-per-day N] [--page-cache DIR]
 *                     [--retire-v1 | --keep-v1] [--graph-delay-seconds N] [--graph-lines-per-blob N] [--graph-manifest inline|link]
 * (`npm run sim -- --profile demo --seed 42 --port 4100` from the repo root.)
 * Flags win over the environment: SIM_PROFILE, SIM_PORT (4100), SIM_HOST (127.0.0.1), SIM_SEED (42),
 * SIM_NOW (ISO date-time; default: real current time, advancing), SIM_PUBLIC_URL (URL clients use),
 * SIM_SCALE_ITEMS_PER_DAY (adds account "scale" with that many line items a day), SIM_PAGE_CACHE_DIR
 * (keeps rendered unbilled usage pages there and serves repeat reads from the files: benchmarks),
 * SIM_RETIRE_V1 (default true: global-cloud v1 usage and billing line item reads answer as retired; false keeps them),
 * SIM_GRAPH_DELAY_SECONDS, SIM_GRAPH_LINES_PER_BLOB, SIM_GRAPH_MANIFEST (Graph export defaults).
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './index';
import { PROFILES, type Profile } from './profile';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string' },
      seed: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      now: { type: 'string' },
      'public-url': { type: 'string' },
      'scale-items-per-day': { type: 'string' },
      'page-cache': { type: 'string' },
      'retire-v1': { type: 'boolean' },
      'keep-v1': { type: 'boolean' },
      'graph-delay-seconds': { type: 'string' },
      'graph-lines-per-blob': { type: 'string' },
      'graph-manifest': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('pc-sim [--profile demo|sandbox|scale] [--seed N] [--port P] [--host H] [--now ISO] [--public-url URL] [--scale-items-per-day N] [--page-cache DIR] [--retire-v1 | --keep-v1] [--graph-delay-seconds N] [--graph-lines-per-blob N] [--graph-manifest inline|link]');
    return;
  }
  const env = process.env;
  const profile = (values.profile ?? env.SIM_PROFILE ?? 'demo') as Profile;
  if (!PROFILES.includes(profile)) throw new Error(`--profile must be one of ${PROFILES.join(', ')}, got '${profile}'`);
  const portS = values.port ?? env.SIM_PORT ?? '4100';
  const port = Number(portS);
  const host = values.host ?? env.SIM_HOST ?? '127.0.0.1';
  const seedS = values.seed ?? env.SIM_SEED ?? '42';
  const seed = Number(seedS);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port / SIM_PORT must be a port number, got '${portS}'`);
  if (!Number.isFinite(seed)) throw new Error(`--seed / SIM_SEED must be a number, got '${seedS}'`);
  let now: Date | undefined;
  const nowS = values.now ?? env.SIM_NOW;
  if (nowS) {
    now = new Date(nowS);
    if (Number.isNaN(now.getTime())) throw new Error(`--now / SIM_NOW must be an ISO date-time, got '${nowS}'`);
  }
  const perDayS = values['scale-items-per-day'] ?? env.SIM_SCALE_ITEMS_PER_DAY;
  const scaleItemsPerDay = perDayS ? Number(perDayS) : undefined;
  if (scaleItemsPerDay !== undefined && !(Number.isInteger(scaleItemsPerDay) && scaleItemsPerDay > 0)) throw new Error(`--scale-items-per-day / SIM_SCALE_ITEMS_PER_DAY must be a positive integer, got '${perDayS}'`);
  // As at Microsoft since 2025, global-cloud v1 usage reads are retired unless asked otherwise.
  const retireV1 = values['keep-v1'] ? false : (values['retire-v1'] ?? !/^(0|false|no)$/i.test(env.SIM_RETIRE_V1 ?? ''));
  const delayS = values['graph-delay-seconds'] ?? env.SIM_GRAPH_DELAY_SECONDS;
  const graphDelaySeconds = delayS ? Number(delayS) : undefined;
  if (graphDelaySeconds !== undefined && !(graphDelaySeconds >= 0)) throw new Error(`--graph-delay-seconds / SIM_GRAPH_DELAY_SECONDS must be a number ≥ 0, got '${delayS}'`);
  const linesS = values['graph-lines-per-blob'] ?? env.SIM_GRAPH_LINES_PER_BLOB;
  const graphLinesPerBlob = linesS ? Number(linesS) : undefined;
  if (graphLinesPerBlob !== undefined && !(Number.isInteger(graphLinesPerBlob) && graphLinesPerBlob > 0)) throw new Error(`--graph-lines-per-blob / SIM_GRAPH_LINES_PER_BLOB must be a positive integer, got '${linesS}'`);
  const manifestS = values['graph-manifest'] ?? env.SIM_GRAPH_MANIFEST;
  if (manifestS !== undefined && manifestS !== 'inline' && manifestS !== 'link') throw new Error(`--graph-manifest / SIM_GRAPH_MANIFEST must be inline or link, got '${manifestS}'`);
  const graphManifest = manifestS as 'inline' | 'link' | undefined;
  const sim = await startSimulator({ port, host, seed, now, publicUrl: values['public-url'] ?? (env.SIM_PUBLIC_URL || undefined), scaleItemsPerDay, profile, pageCacheDir: values['page-cache'] ?? (env.SIM_PAGE_CACHE_DIR || undefined), retireV1, graphDelaySeconds, graphLinesPerBlob, graphManifest });
  console.log(`pc-sim listening on ${sim.url} (profile ${profile}, seed ${seed}${retireV1 ? ', v1 retired in the global cloud' : ''}, accounts ${sim.simulator.accounts().map((a) => a.id).join(', ')})`);
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
