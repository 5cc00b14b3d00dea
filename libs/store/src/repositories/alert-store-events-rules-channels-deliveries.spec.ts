import { randomBytes } from 'node:crypto';
import { alertEventSchema, alertRuleSchema, channelSchema, deliveryAttemptSchema } from '@meridian/contracts';
import { alertDedupKey, type AlertTransition } from '@meridian/finops';
import { AccessScope } from '../access-scope';
import { SecretBox } from '../secret-box';
import { Store } from '../store';
import { createTestStore, TestStore } from '../testing';
import { AlertFireContent, AlertRaceLostError } from './alert.repository';

const fire = (ruleId: string, thresholdId: string, crossing = 1, at = '2026-11-10T06:00:00.000Z'): AlertTransition => {
  const key = { ruleId, thresholdId, periodKey: '2026-11' };
  return { ...key, kind: 'fire', crossing, at, dedupKey: alertDedupKey(key, crossing, 'fire') };
};
const resolve = (t: AlertTransition, at = '2026-11-20T06:00:00.000Z'): AlertTransition => ({
  ...t,
  kind: 'resolve',
  at,
  reason: 'cleared',
  dedupKey: alertDedupKey(t, t.crossing, 'resolve'),
});
const content = (accountIds: string[]): AlertFireContent => ({
  ruleName: 'EU budget',
  category: 'budget',
  condition: 'Actual spend reached 80 % of the budget',
  value: { amount: '812.345', currency: 'EUR' },
  limit: { amount: '800', currency: 'EUR' },
  accountIds,
  detail: { basis: 'actual', percent: '80' },
});

describe.each(['sqlite', 'postgres'] as const)('alert store on %s', (kind) => {
  let test: TestStore;
  let store: Store;

  beforeAll(async () => {
    test = await createTestStore(kind);
    store = await Store.open(test.config, SecretBox.fromKey(randomBytes(32)));
  });
  afterAll(async () => {
    await store.close();
    await test.drop();
  });

  it('keeps a webhook secret sealed and write-only, and channels match the contract', async () => {
    const hook = await store.channels.create({ kind: 'webhook', name: 'Ops hook', url: 'http://127.0.0.1:9/hook', format: 'slack', secret: 'a-very-secret-signing-key' }, { userId: null });
    const mail = await store.channels.create({ kind: 'email', name: 'FinOps', to: ['FinOps@Example.com'] }, { userId: null });
    expect(channelSchema.parse(hook)).toEqual(hook);
    expect(hook).toMatchObject({ kind: 'webhook', format: 'slack', hasSecret: true });
    expect(JSON.stringify(hook)).not.toContain('a-very-secret');
    expect(mail).toMatchObject({ kind: 'email', to: ['finops@example.com'], hasSecret: false });
    const [raw] = await store.dataSource.query(`SELECT secret_enc FROM notification_channel WHERE id = '${hook.id}'`);
    expect(raw.secret_enc).toMatch(/^v1:/);
    expect(raw.secret_enc).not.toContain('a-very-secret');
    expect((await store.channels.deliveryConfig(hook.id))?.secret).toBe('a-very-secret-signing-key');
    // Leaving the secret out of an update keeps it.
    await store.channels.update(hook.id, { kind: 'webhook', name: 'Ops hook 2', url: 'http://127.0.0.1:9/hook', format: 'teams' });
    expect(await store.channels.deliveryConfig(hook.id)).toMatchObject({ name: 'Ops hook 2', format: 'teams', secret: 'a-very-secret-signing-key' });
  });

  it('stores rules as contract DTOs and shows them only to scopes seeing every account they concern', async () => {
    const eu = await store.alertRules.create(
      { name: 'EU budget', kind: 'budget', budget: { scope: { kind: 'account', accountId: 'eu' }, period: 'monthly', amount: '1000.50', currency: 'EUR', thresholds: [{ percent: 80, basis: 'actual' }] } },
      { userId: 'u1' },
    );
    const all = await store.alertRules.create({ name: 'Anomalies', kind: 'anomaly', anomaly: { grain: 'service' } }, { userId: 'u1' });
    expect(alertRuleSchema.parse(eu)).toEqual(eu);
    expect(eu.budget?.amount).toBe('1000.50');
    expect(all.anomaly).toEqual({ grain: 'service', sensitivity: 'medium', minAbsoluteDelta: '10' });
    expect((await store.alertRules.list(AccessScope.accounts(['eu']))).map((r) => r.name)).toEqual(['EU budget']);
    expect((await store.alertRules.list(AccessScope.accounts(['us']))).map((r) => r.name)).toEqual([]);
    expect((await store.alertRules.list(AccessScope.all())).map((r) => r.name)).toEqual(['EU budget', 'Anomalies']);
    expect(await store.alertRules.get(AccessScope.accounts(['us']), eu.id)).toBeNull();
    await store.alertRules.recordEvaluation(eu.id, { at: '2026-11-10T06:00:00.000Z', status: { actual: '812.345', currency: 'EUR', usedPercent: '81.19', periodKey: '2026-11' }, error: null });
    expect(await store.alertRules.get(AccessScope.all(), eu.id)).toMatchObject({ lastEvaluatedAt: '2026-11-10T06:00:00.000Z', status: { usedPercent: '81.19' } });
    expect(await store.alertRules.remove(AccessScope.accounts(['us']), all.id)).toBe(false);
  });

  it('records one event per crossing: a second writer of the same transitions loses and writes nothing', async () => {
    const f = fire('rule-a', 'actual:80');
    const [applied] = await store.alertEvents.applyTransitions([f], () => content(['eu']));
    expect(alertEventSchema.parse(applied.event)).toEqual(applied.event);
    expect(applied.event).toMatchObject({ status: 'open', crossing: 1, value: { amount: '812.345', currency: 'EUR' }, accountIds: ['eu'] });
    // Same fire plus another one: the whole batch rolls back.
    await expect(store.alertEvents.applyTransitions([fire('rule-a', 'actual:100'), f], () => content(['eu']))).rejects.toBeInstanceOf(AlertRaceLostError);
    expect((await store.alertEvents.list(AccessScope.all(), { ruleId: 'rule-a' })).total).toBe(1);

    expect(await store.alertEvents.records('rule-a', ['2026-11'])).toEqual([
      { ruleId: 'rule-a', thresholdId: 'actual:80', periodKey: '2026-11', crossing: 1, status: 'open', firedAt: f.at },
    ]);
    const [closed] = await store.alertEvents.applyTransitions([resolve(f)], () => content(['eu']));
    expect(closed.event).toMatchObject({ status: 'resolved', resolvedAt: '2026-11-20T06:00:00.000Z', resolveReason: 'cleared' });
    await expect(store.alertEvents.applyTransitions([resolve(f)], () => content(['eu']))).rejects.toBeInstanceOf(AlertRaceLostError);
    // Crossed again in the same period: crossing 2 is a new event.
    await store.alertEvents.applyTransitions([fire('rule-a', 'actual:80', 2)], () => content(['eu']));
    expect((await store.alertEvents.list(AccessScope.all(), { ruleId: 'rule-a', status: 'open' })).items.map((e) => e.crossing)).toEqual([2]);
  });

  it('filters events by access scope: every account of the event must be visible, none = all-accounts only', async () => {
    await store.alertEvents.applyTransitions([fire('rule-b', 'x:1')], () => content(['eu', 'us']));
    await store.alertEvents.applyTransitions([fire('rule-b', 'x:2')], () => content([]));
    await store.alertEvents.applyTransitions([fire('rule-b', 'x:3')], () => content(['us']));
    const names = async (scope: AccessScope) => (await store.alertEvents.list(scope, { ruleId: 'rule-b' })).items.map((e) => e.thresholdId).sort();
    expect(await names(AccessScope.all())).toEqual(['x:1', 'x:2', 'x:3']);
    expect(await names(AccessScope.accounts(['us']))).toEqual(['x:3']);
    expect(await names(AccessScope.accounts(['us', 'eu']))).toEqual(['x:1', 'x:3']);
    expect(await names(AccessScope.accounts(['us'], new Map([['us', new Set(['c1'])]])))).toEqual([]);
    expect(await names(AccessScope.accounts([]))).toEqual([]);
  });

  it('acknowledges open events only, under the scope', async () => {
    const [{ event }] = await store.alertEvents.applyTransitions([fire('rule-c', 'actual:50')], () => content(['eu']));
    expect(await store.alertEvents.acknowledge(AccessScope.accounts(['us']), event.id, 'u2')).toBeNull();
    const acked = await store.alertEvents.acknowledge(AccessScope.accounts(['eu']), event.id, 'u2', new Date('2026-11-11T00:00:00Z'));
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'u2', acknowledgedAt: '2026-11-11T00:00:00.000Z' });
    expect((await store.alertEvents.records('rule-c', []))[0].status).toBe('acknowledged');
  });

  it('records every delivery attempt and answers whether a key was delivered on a channel', async () => {
    const base = { alertEventId: null, channelId: 'ch-1', dedupKey: 'r/t/p/1/fire', transition: 'fire' as const, at: '2026-11-10T06:00:01.000Z' };
    await store.deliveries.record({ ...base, attempt: 1, ok: false, status: 500, error: 'HTTP 500' });
    expect(await store.deliveries.deliveredOk('ch-1', base.dedupKey)).toBe(false);
    await store.deliveries.record({ ...base, attempt: 2, ok: true, status: 200 });
    expect(await store.deliveries.deliveredOk('ch-1', base.dedupKey)).toBe(true);
    expect(await store.deliveries.deliveredOk('ch-2', base.dedupKey)).toBe(false);
    const attempts = await store.deliveries.listForChannel('ch-1');
    expect(attempts.map((a) => deliveryAttemptSchema.parse(a))).toEqual(attempts);
    expect(attempts.map((a) => [a.attempt, a.ok, a.status])).toEqual([
      [2, true, 200],
      [1, false, 500],
    ]);
  });
});
