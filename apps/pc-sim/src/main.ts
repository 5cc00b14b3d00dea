/**
 * Standalone simulator. Env: SIM_PORT (4100), SIM_HOST (127.0.0.1), SIM_SEED (42),
 * SIM_NOW (ISO date-time; default: real current time, advancing), SIM_PUBLIC_URL (URL clients use).
 */
import { startSimulator } from './index';

async function main(): Promise<void> {
  const port = Number(process.env.SIM_PORT ?? 4100);
  const host = process.env.SIM_HOST ?? '127.0.0.1';
  const seed = Number(process.env.SIM_SEED ?? 42);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SIM_PORT must be a port number, got '${process.env.SIM_PORT}'`);
  if (!Number.isFinite(seed)) throw new Error(`SIM_SEED must be a number, got '${process.env.SIM_SEED}'`);
  let now: Date | undefined;
  if (process.env.SIM_NOW) {
    now = new Date(process.env.SIM_NOW);
    if (Number.isNaN(now.getTime())) throw new Error(`SIM_NOW must be an ISO date-time, got '${process.env.SIM_NOW}'`);
  }
  const sim = await startSimulator({ port, host, seed, now, publicUrl: process.env.SIM_PUBLIC_URL || undefined });
  console.log(`pc-sim listening on ${sim.url}`);
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
