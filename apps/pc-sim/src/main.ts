/**
 * Standalone simulator. Env: SIM_PORT (4100), SIM_HOST (127.0.0.1), SIM_SEED (42),
 * SIM_NOW (ISO date-time; default: real current time, advancing), SIM_PUBLIC_URL (URL clients use),
 * SIM_SCALE_ITEMS_PER_DAY (adds account "scale" with that many line items a day).
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
  const scaleItemsPerDay = process.env.SIM_SCALE_ITEMS_PER_DAY ? Number(process.env.SIM_SCALE_ITEMS_PER_DAY) : undefined;
  if (scaleItemsPerDay !== undefined && !(Number.isInteger(scaleItemsPerDay) && scaleItemsPerDay > 0)) throw new Error(`SIM_SCALE_ITEMS_PER_DAY must be a positive integer, got '${process.env.SIM_SCALE_ITEMS_PER_DAY}'`);
  const sim = await startSimulator({ port, host, seed, now, publicUrl: process.env.SIM_PUBLIC_URL || undefined, scaleItemsPerDay });
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
