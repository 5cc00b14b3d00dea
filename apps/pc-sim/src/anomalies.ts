/**
 * Planted cost anomalies: on one day, every "new" charge of one service (meter category) of one
 * account is multiplied by a factor (a data-egress surge, a runaway job, …). Picked from the seed,
 * so the same seed plants the same spikes; listed by `GET /_sim/anomalies` (and `/_sim/planted`).
 * Everything else keeps its weekday / trend / noise pattern. Sandbox accounts get none (their
 * monthly cap would swallow a spike).
 */
import { dayToYmd, isWeekend, parseYmd } from './dates';
import { strHash32 } from './hash';
import type { AccountModel } from './profile';

export interface PlantedSpike {
  account: string;
  /** meterCategory (the ground truth's `service`) */
  service: string;
  /** day number */
  day: number;
  /** quantity multiplier */
  factor: number;
}

/** Where spikes go: account, first day of the window, window length in days, factor. */
const SPIKE_PLAN = [
  { account: 'global-us', from: '2026-11-03', days: 12, factor: 5 },
  { account: 'germany', from: '2026-10-06', days: 14, factor: 4 },
] as const;

/** Services a spike may hit (in this order of preference, rotated by the seed). */
const SPIKE_SERVICES = ['Azure Monitor', 'SQL Database', 'Azure App Service', 'Storage', 'Virtual Machines'];

export function plantSpikes(seed: number, models: readonly AccountModel[]): PlantedSpike[] {
  const out: PlantedSpike[] = [];
  for (const plan of SPIKE_PLAN) {
    const m = models.find((x) => x.def.id === plan.account);
    if (!m || m.def.sandbox) continue;
    const present = new Set(m.slots.map((s) => s.meter.meterCategory));
    const h = strHash32(`spike|${seed}|${plan.account}`);
    const candidates = SPIKE_SERVICES.filter((s) => present.has(s));
    if (!candidates.length) continue;
    let day = parseYmd(plan.from)! + ((h >>> 8) % plan.days);
    while (isWeekend(day)) day++; // a working day: weekends are low anyway
    out.push({ account: plan.account, service: candidates[h % candidates.length], day, factor: plan.factor });
  }
  return out;
}

export function spikeJson(s: PlantedSpike): { account: string; service: string; date: string; factor: number } {
  return { account: s.account, service: s.service, date: dayToYmd(s.day), factor: s.factor };
}
