import { addDays } from '@meridian/finops';
import { AccessScope } from '@meridian/store';
import { AlertEvaluator } from './alert-evaluator';
import { startAlertingHarness, testAlertingConfig } from './testing/harness';
import { startWebhookReceiver } from './testing/receivers';

/**
 * The simulator plants anomalies (GET /_sim/anomalies: one service on one working day, ×4 or ×5).
 * Five months of real synced data (backfill August–September, unbilled October–November) are
 * judged by anomaly rules stepping through 60 days; every alert that is not a planted anomaly is a
 * false alert. Figures are printed for docs/decisions/0011-alerting.md.
 */
const ACCOUNTS = ['global-us', 'germany', 'usgov'];
const JUDGED = { from: '2026-09-26', to: '2026-11-24' };
const MONTHS_JUDGED = 60 / 30.44;

interface Planted {
  account: string;
  service: string;
  date: string;
  factor: number;
}

describe('anomaly rules on five months of simulated costs (SQLite)', () => {
  let h: Awaited<ReturnType<typeof startAlertingHarness>>;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let planted: Planted[];
  const rules = new Map<string, { grain: 'account' | 'service'; sensitivity: 'low' | 'medium' | 'high' }>();

  beforeAll(async () => {
    h = await startAlertingHarness('sqlite', { now: new Date('2026-11-25T12:00:00Z') });
    hook = await startWebhookReceiver();
    planted = (await h.simGet<{ items: Planted[] }>('/_sim/anomalies')).items;
    for (const account of ACCOUNTS) {
      expect((await h.sync.runStream(account, 'backfill', { range: { from: '2026-08', to: '2026-09' } })).status).toBe('succeeded');
      expect((await h.sync.runStream(account, 'unbilled-usage')).status).toBe('succeeded');
    }
    const channel = await h.store.channels.create({ kind: 'webhook', name: 'Anomaly hook', url: hook.url, format: 'meridian' }, { userId: null });
    for (const [grain, sensitivity] of [
      ['service', 'low'],
      ['service', 'medium'],
      ['service', 'high'],
      ['account', 'medium'],
    ] as const) {
      const rule = await h.store.alertRules.create(
        { name: `Anomalies by ${grain} (${sensitivity})`, kind: 'anomaly', channelIds: [channel.id], anomaly: { grain, sensitivity, minAbsoluteDelta: '10' } },
        { userId: null },
      );
      rules.set(rule.id, { grain, sensitivity });
    }
    // Each evaluation judges the 14 days before it: stepping a week covers every day of the range
    // twice; the last one is at the simulator's clock (nothing after it exists yet).
    const evaluator = new AlertEvaluator(h.store, testAlertingConfig(null));
    const days: string[] = [];
    for (let day = addDays(JUDGED.from, 14); day <= JUDGED.to; day = addDays(day, 7)) days.push(day);
    for (const day of [...days, addDays(JUDGED.to, 1)]) {
      const result = await evaluator.evaluate({ at: new Date(`${day}T06:00:00Z`) });
      expect(result.errors).toEqual([]);
    }
  });

  afterAll(async () => {
    await hook?.close();
    await h?.close();
  });

  const eventsOf = async (grain: 'account' | 'service', sensitivity: string) => {
    const [ruleId] = [...rules].find(([, r]) => r.grain === grain && r.sensitivity === sensitivity)!;
    return (await h.store.alertEvents.list(AccessScope.all(), { ruleId, limit: 500 })).items;
  };
  const isPlanted = (e: { accountIds: string[]; periodKey: string; detail: Record<string, unknown> }) =>
    planted.some((p) => e.accountIds[0] === p.account && e.periodKey === p.date && (e.detail.service === null || e.detail.service === p.service));

  it('the simulator plants anomalies in the judged range', () => {
    const ours = planted.filter((p) => ACCOUNTS.includes(p.account));
    expect(ours.length).toBeGreaterThanOrEqual(2);
    for (const p of ours) expect(p.date >= JUDGED.from && p.date <= JUDGED.to).toBe(true);
  });

  it('finds every planted anomaly at service grain, as one alert on its service and day', async () => {
    const events = await eventsOf('service', 'medium');
    for (const p of planted.filter((x) => ACCOUNTS.includes(x.account))) {
      const hits = events.filter((e) => e.thresholdId === `${p.account}|${p.service}:up` && e.periodKey === p.date);
      expect({ planted: p, hits: hits.length }).toEqual({ planted: p, hits: 1 });
      expect(hits[0].condition).toContain(`${p.service} cost on ${p.date}: spike to`);
      expect(Number(hits[0].value?.amount)).toBeGreaterThan(Number(hits[0].limit?.amount) * 2);
    }
  });

  it('reports detection and false alerts per account per month for each sensitivity (target ≤ 1)', async () => {
    const lines: string[] = [];
    for (const { grain, sensitivity } of rules.values()) {
      const events = await eventsOf(grain, sensitivity);
      const ours = planted.filter((p) => ACCOUNTS.includes(p.account));
      const found = ours.filter((p) => events.some((e) => isPlanted(e) && e.accountIds[0] === p.account && e.periodKey === p.date)).length;
      const perAccount = ACCOUNTS.map((a) => events.filter((e) => e.accountIds[0] === a && !isPlanted(e)).length / MONTHS_JUDGED);
      const mean = perAccount.reduce((x, y) => x + y, 0) / ACCOUNTS.length;
      lines.push(
        `${grain}/${sensitivity}: planted found ${found}/${ours.length}; false alerts per account per month ${ACCOUNTS.map((a, i) => `${a} ${perAccount[i].toFixed(2)}`).join(', ')} (mean ${mean.toFixed(2)})`,
      );
      expect({ grain, sensitivity, mean: mean <= 1 }).toEqual({ grain, sensitivity, mean: true });
      if (sensitivity === 'medium') expect({ grain, perAccount: perAccount.every((n) => n <= 1) }).toEqual({ grain, perAccount: true });
      if (grain === 'service' && sensitivity !== 'low') expect(found).toBe(ours.length);
    }
    for (const e of await eventsOf('service', 'medium')) if (!isPlanted(e)) lines.push(`false alert (service/medium): ${e.condition}`);
    console.log(`anomaly figures over ${JUDGED.from}..${JUDGED.to}:\n${lines.join('\n')}`);
  });

  it('notifies each anomaly once per channel, and resolves it once the run is over', async () => {
    const events = await eventsOf('service', 'medium');
    const keys = hook.requests.map((r) => String(r.headers['idempotency-key']));
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of events) {
      expect(keys.filter((k) => k.startsWith(`${encodeURIComponent(e.ruleId)}/${encodeURIComponent(e.thresholdId)}/${e.periodKey}/1/fire`))).toHaveLength(1);
      // A run is over (resolved) unless it reaches the last judged day.
      const runDays = e.detail.days as { day: string }[];
      if (runDays[runDays.length - 1].day < JUDGED.to) expect(e.status).toBe('resolved');
    }
  });
});
