import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BadRequestException, ConflictException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { alertRuleInputSchema, channelSchema, type ApiError } from '@meridian/contracts';
import { AlertEvaluator, alertingConfigFromEnv } from '@meridian/alerting';
import { alertDedupKey } from '@meridian/finops';
import { AccessScope, createTestStore, SecretBox, Store, type TestStore } from '@meridian/store';
import { AlertRulesService } from './alert-rules.service';
import { AlertsService } from './alerts.service';
import { NotificationChannelsService } from './notification-channels.service';

const ALL = AccessScope.all();
const EU = AccessScope.accounts(['eu']);
/** Sees account "eu" only through one customer: not the account's totals, so none of its alerts. */
const EU_CUSTOMER = AccessScope.accounts(['eu'], new Map([['eu', new Set(['c1'])]]));
const actor = { userId: 'u1' };

const budgetRule = (accountId: string, extra: Record<string, unknown> = {}) =>
  alertRuleInputSchema.parse({
    name: `${accountId} budget`,
    kind: 'budget',
    budget: { scope: { kind: 'account', accountId }, period: 'monthly', amount: '1000', currency: 'EUR', thresholds: [{ percent: 80, basis: 'actual' }] },
    ...extra,
  });

/** The 400's field paths, or the exception's class when it is not a 400. */
async function failure(p: Promise<unknown>): Promise<string[] | string> {
  try {
    await p;
    return 'no error';
  } catch (err) {
    if (err instanceof BadRequestException) return ((err.getResponse() as ApiError).issues ?? []).map((i) => i.field);
    return (err as Error).constructor.name;
  }
}

/**
 * The alerts use cases on a real store (SQLite file) and the real evaluator: access per account,
 * validation by field path, the write-only webhook secret, acknowledgement, a channel test over HTTP.
 */
describe('alerts services', () => {
  let test: TestStore;
  let store: Store;
  let evaluator: AlertEvaluator;
  let rules: AlertRulesService;
  let channels: NotificationChannelsService;
  let alerts: AlertsService;

  beforeAll(async () => {
    test = await createTestStore('sqlite');
    store = await Store.open(test.config, SecretBox.fromKey(randomBytes(32)));
    for (const id of ['eu', 'china']) {
      await store.accounts.upsertConnection(
        { id, name: id, cloud: 'global', tenantId: 't', appId: 'a', secret: 's', apiBaseUrl: 'http://127.0.0.1:9', tokenUrl: 'http://127.0.0.1:9', tokenResource: 'r', currency: 'EUR', sandbox: false, enabled: true, syncIntervalMinutes: 60 },
        { userId: null, via: 'test' },
      );
    }
    evaluator = new AlertEvaluator(store, { ...alertingConfigFromEnv({}), delivery: { attempts: 1, baseMs: 0, maxMs: 0 } });
    rules = new AlertRulesService(store);
    channels = new NotificationChannelsService(store, evaluator);
    alerts = new AlertsService(store, evaluator);
  });
  afterAll(async () => {
    await store.close();
    await test.drop();
  });

  it("lets an account's manager create, see and change that account's rules only", async () => {
    const eu = await rules.create(EU, budgetRule('eu'), actor);
    const china = await rules.create(ALL, budgetRule('china'), actor);
    expect(await failure(rules.create(EU, budgetRule('china'), actor))).toBe(NotFoundException.name);
    expect(await failure(rules.create(EU, alertRuleInputSchema.parse({ name: 'all', kind: 'budget', budget: { scope: { kind: 'all' }, period: 'monthly', amount: '1', currency: 'EUR', thresholds: [{ percent: 50, basis: 'actual' }] } }), actor))).toBe(ForbiddenException.name);
    expect(await failure(rules.create(EU, alertRuleInputSchema.parse({ name: 'anomalies', kind: 'anomaly', anomaly: { grain: 'account' } }), actor))).toBe(ForbiddenException.name);
    expect(await failure(rules.create(ALL, budgetRule('nowhere'), actor))).toEqual(['budget.scope.accountId']);
    expect((await rules.list(EU)).items.map((r) => r.id)).toEqual([eu.id]);
    expect((await rules.list(EU_CUSTOMER)).items).toEqual([]);
    expect((await rules.list(ALL)).items.map((r) => r.id)).toEqual([eu.id, china.id]);
    expect(await failure(rules.get(EU, china.id))).toBe(NotFoundException.name);
    expect(await failure(rules.update(EU, china.id, { enabled: false }, actor))).toBe(NotFoundException.name);
    expect(await failure(rules.remove(EU, china.id, actor))).toBe(NotFoundException.name);
    // Moving one's rule into another account is refused like creating it there.
    expect(await failure(rules.update(EU, eu.id, { budget: { ...eu.budget!, scope: { kind: 'account', accountId: 'china' } } }, actor))).toBe(NotFoundException.name);
    await rules.remove(ALL, china.id, actor);
    await rules.remove(EU, eu.id, actor);
    const audit = await store.audit.list(20);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['alert_rule.create', 'alert_rule.delete']));
  });

  it('replaces only what a patch names, validates the merged rule by field path, and names settings of another kind', async () => {
    const rule = await rules.create(EU, budgetRule('eu'), actor);
    const renamed = await rules.update(EU, rule.id, { name: 'EU run rate', enabled: false }, actor);
    expect(renamed).toMatchObject({ name: 'EU run rate', enabled: false, budget: rule.budget });
    expect(await failure(rules.update(EU, rule.id, { budget: { ...rule.budget!, amount: 'lots', thresholds: [] } }, actor))).toEqual(['budget.amount', 'budget.thresholds']);
    expect(await failure(rules.update(EU, rule.id, { syncHealth: { staleHours: 2, authFailures: true, throttledHours: 6, quarantinedAtLeast: 1, accountId: 'eu' } }, actor))).toEqual(['syncHealth']);
    expect(await failure(rules.update(EU, rule.id, { channelIds: ['gone'] }, actor))).toEqual(['channelIds.0']);
    const health = await rules.update(EU, rule.id, { kind: 'sync-health', syncHealth: { staleHours: 2, authFailures: true, throttledHours: 6, quarantinedAtLeast: 1, accountId: 'eu' } }, actor);
    expect(health).toMatchObject({ kind: 'sync-health', name: 'EU run rate', syncHealth: { staleHours: 2 } });
    expect(health.budget).toBeUndefined();
  });

  it('keeps channels organisation-wide and their secret write-only; a channel in use is not deleted', async () => {
    const secret = 'a signing secret of some length';
    expect(await failure(channels.create(EU, { kind: 'email', name: 'x', to: ['x@example.test'], weeklyDigest: false }, actor))).toBe(ForbiddenException.name);
    const hook = await channels.create(ALL, { kind: 'webhook', name: 'Hook', url: 'https://hooks.example.test/abc', format: 'slack', secret, weeklyDigest: false }, actor);
    expect(channelSchema.parse(hook)).toEqual(hook);
    expect(hook.hasSecret).toBe(true);
    const changed = await channels.update(ALL, hook.id, { name: 'Slack hook' }, actor);
    expect(changed).toMatchObject({ name: 'Slack hook', hasSecret: true, format: 'slack' });
    expect(await failure(channels.update(ALL, hook.id, { to: ['a@example.test'] }, actor))).toEqual(['to']);
    const forManagers = await channels.list(true);
    const forReaders = await channels.list(false);
    expect(forManagers.items[0].url).toBe('https://hooks.example.test/abc');
    expect(forReaders.items[0]).toEqual({ id: hook.id, name: 'Slack hook', kind: 'webhook', format: 'slack', hasSecret: true, weeklyDigest: false, createdAt: hook.createdAt });
    const rule = await rules.create(EU, budgetRule('eu', { channelIds: [hook.id] }), actor);
    expect(await failure(channels.remove(ALL, hook.id, actor))).toBe(ConflictException.name);
    await rules.remove(EU, rule.id, actor);
    await channels.remove(ALL, hook.id, actor);
    expect(await failure(channels.remove(ALL, hook.id, actor))).toBe(NotFoundException.name);
    const audit = await store.audit.list(50);
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify([hook, changed, forManagers, forReaders])).not.toContain(secret);
  });

  it('sends a channel test through a real HTTP receiver and reports each attempt', async () => {
    const got: string[] = [];
    let answer = 200;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        got.push(body);
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const hook = await channels.create(ALL, { kind: 'webhook', name: 'Local', url, format: 'meridian', weeklyDigest: false }, actor);
      const ok = await channels.test(ALL, hook.id, actor);
      expect(ok).toEqual({ delivered: true, attempts: [expect.objectContaining({ channelId: hook.id, attempt: 1, ok: true, status: 200, error: null })] });
      answer = 410;
      const gone = await channels.test(ALL, hook.id, actor);
      expect(gone.delivered).toBe(false);
      expect(gone.attempts[0]).toMatchObject({ ok: false, status: 410 });
      expect(got).toHaveLength(2);
      expect(await failure(channels.test(ALL, 'no-such-channel', actor))).toBe(NotFoundException.name);
      expect(await failure(channels.test(EU, hook.id, actor))).toBe(ForbiddenException.name);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('shows an alert to those who see all its accounts; acknowledging twice is harmless and audited once', async () => {
    const rule = await rules.create(EU, budgetRule('eu'), actor);
    const key = { ruleId: rule.id, thresholdId: 'actual-80', periodKey: '2026-11' };
    const [applied] = await store.alertEvents.applyTransitions([{ ...key, kind: 'fire', crossing: 1, at: '2026-11-10T06:00:00.000Z', dedupKey: alertDedupKey(key, 1, 'fire') }], () => ({
      ruleName: rule.name,
      category: 'budget',
      condition: 'Actual spend this month reached 80 % of the budget',
      value: { amount: '812.34', currency: 'EUR' },
      limit: { amount: '800', currency: 'EUR' },
      accountIds: ['eu'],
      detail: {},
    }));
    const id = applied.event.id;
    expect((await alerts.list(EU, { status: 'open', limit: 100 })).items.map((e) => e.id)).toEqual([id]);
    expect((await alerts.list(AccessScope.accounts(['china']), { limit: 100 })).total).toBe(0);
    expect((await alerts.list(EU_CUSTOMER, { limit: 100 })).total).toBe(0);
    expect(await failure(alerts.get(AccessScope.accounts(['china']), id))).toBe(NotFoundException.name);
    expect(await failure(alerts.acknowledge(AccessScope.accounts(['china']), id, actor))).toBe(NotFoundException.name);
    expect(await alerts.get(EU, id)).toMatchObject({ id, status: 'open', deliveries: [] });
    const first = await alerts.acknowledge(EU, id, actor);
    const second = await alerts.acknowledge(EU, id, { userId: 'u2' });
    expect(first).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'u1' });
    expect(second).toEqual(first);
    expect((await store.audit.list(100)).filter((a) => a.action === 'alert.acknowledge' && a.target === id)).toHaveLength(1);
    expect(await failure(alerts.evaluate(EU, actor))).toBe(ForbiddenException.name);
  });
});
