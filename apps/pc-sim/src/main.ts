/**
 * Standalone simulator:
 *   node dist/main.js [--profile demo|sandbox|scale] [--seed N] [--port P] [--host H] [--now ISO]
 *                     [--public-url URL] [--scale-items-per-day N] [--page-cache DIR]
 * (`npm run sim -- --profile demo --seed 42 --port 4100` from the repo root.)
 * Flags win over the environment: SIM_PROFILE, SIM_PORT (4100), SIM_HOST (127.0.0.1), SIM_SEED (42),
 * SIM_NOW (ISO date-time; default: real current time, advancing), SIM_PUBLIC_URL (URL clients use),
 * SIM_SCALE_ITEMS_PER_DAY (adds account "scale" with that many line items a day), SIM_PAGE_CACHE_DIR
 * (keeps rendered unbilled usage pages there and serves repeat reads from the files: benchmarks).
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
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('pc-sim [--profile demo|sandbox|scale] [--seed N] [--port P] [--host H] [--now ISO] [--public-url URL] [--scale-items-per-day N] [--page-cache DIR]');
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
  const sim = await startSimulator({ port, host, seed, now, publicUrl: values['public-url'] ?? (env.SIM_PUBLIC_URL || undefined), scaleItemsPerDay, profile, pageCacheDir: values['page-cache'] ?? (env.SIM_PAGE_CACHE_DIR || undefined) });
  console.log(`pc-sim listening on ${sim.url} (profile ${profile}, seed ${seed}, accounts ${sim.simulator.accounts().map((a) => a.id).join(', ')})`);
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
