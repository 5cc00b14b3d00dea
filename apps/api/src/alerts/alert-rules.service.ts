import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { alertRuleInputSchema, type AlertRule, type FieldIssue } from '@meridian/contracts';
import { AccessScope, alertRuleAccountIds, scopeSeesAll, Store } from '@meridian/store';
import { badRequest, parseBody, type AlertRulePatch } from './alerts.dto';

type Actor = { userId: string };
type ParsedRule = ReturnType<typeof alertRuleInputSchema.parse>;

const CONFIG_KEY = { budget: 'budget', anomaly: 'anomaly', 'sync-health': 'syncHealth', 'sandbox-cap': 'sandboxCap' } as const;

/** Where a rule names its account, as a field path of the rule input. */
const ACCOUNT_FIELD = { budget: 'budget.scope.accountId', anomaly: 'anomaly.accountId', 'sync-health': 'syncHealth.accountId', 'sandbox-cap': 'sandboxCap.accountId' } as const;

const notFound = (id: string) => new NotFoundException({ statusCode: 404, error: 'Not Found', message: `alert rule ${id} not found` });

/**
 * Budgets and alert rules. The store shows a scope only the rules whose accounts it sees in full;
 * writing a rule also needs the rule's (new) accounts in the caller's alerts:manage scope.
 */
@Injectable()
export class AlertRulesService {
  constructor(@Inject(Store) private readonly store: Store) {}

  async list(scope: AccessScope): Promise<{ items: AlertRule[] }> {
    return { items: await this.store.alertRules.list(scope) };
  }

  async get(scope: AccessScope, id: string): Promise<AlertRule> {
    const rule = await this.store.alertRules.get(scope, id);
    if (!rule) throw notFound(id);
    return rule;
  }

  async create(scope: AccessScope, input: ParsedRule, actor: Actor): Promise<AlertRule> {
    await this.requireScope(scope, input);
    await this.requireChannels(input.channelIds);
    const rule = await this.store.alertRules.create(input, actor);
    await this.store.audit.record({ userId: actor.userId, action: 'alert_rule.create', target: rule.id, details: { name: rule.name, kind: rule.kind, accountIds: alertRuleAccountIds(rule) } });
    return rule;
  }

  /** A patch replaces the fields it names; the merged rule is validated as a whole (400 by field path). */
  async update(scope: AccessScope, id: string, patch: AlertRulePatch, actor: Actor): Promise<AlertRule> {
    const current = await this.get(scope, id);
    const kind = patch.kind ?? current.kind;
    const key = CONFIG_KEY[kind];
    const merged: Record<string, unknown> = {
      name: patch.name ?? current.name,
      enabled: patch.enabled ?? current.enabled,
      channelIds: patch.channelIds ?? current.channelIds,
      kind,
      [key]: patch[key] ?? (kind === current.kind ? current[key] : undefined),
    };
    // Settings of another kind than the rule's are a mistake worth naming, not something to drop.
    const stray: FieldIssue[] = Object.values(CONFIG_KEY)
      .filter((k) => k !== key && patch[k] !== undefined)
      .map((k) => ({ field: k, message: `does not apply to a ${kind} rule` }));
    if (stray.length) throw badRequest(stray);
    const input = parseBody(alertRuleInputSchema, merged);
    await this.requireScope(scope, input);
    await this.requireChannels(input.channelIds);
    const rule = await this.store.alertRules.update(scope, id, input);
    if (!rule) throw notFound(id);
    await this.store.audit.record({ userId: actor.userId, action: 'alert_rule.update', target: id, details: { name: rule.name, kind: rule.kind, fields: Object.keys(patch) } });
    return rule;
  }

  async remove(scope: AccessScope, id: string, actor: Actor): Promise<void> {
    const rule = await this.get(scope, id);
    if (!(await this.store.alertRules.remove(scope, id))) throw notFound(id);
    await this.store.audit.record({ userId: actor.userId, action: 'alert_rule.delete', target: id, details: { name: rule.name, kind: rule.kind } });
  }

  /**
   * A rule for one account needs that account in full; one spanning accounts (all, a cloud, every
   * account) needs them all. Naming an account outside the scope is a 404, like reading it would be.
   */
  private async requireScope(scope: AccessScope, input: ParsedRule): Promise<void> {
    const accountIds = alertRuleAccountIds(input);
    if (!scopeSeesAll(scope, accountIds)) {
      if (accountIds.length === 0) throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'a rule spanning accounts needs ops or admin on all accounts' });
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `account ${accountIds[0]} not found` });
    }
    for (const id of accountIds) {
      if (!(await this.store.accounts.get(scope, id))) throw badRequest([{ field: ACCOUNT_FIELD[input.kind], message: `no account ${id}` }]);
    }
  }

  private async requireChannels(channelIds: readonly string[]): Promise<void> {
    const known = new Set((await this.store.channels.list()).map((c) => c.id));
    const issues = channelIds.flatMap((id, i) => (known.has(id) ? [] : [{ field: `channelIds.${i}`, message: `no notification channel ${id}` }]));
    if (issues.length) throw badRequest(issues);
  }
}
