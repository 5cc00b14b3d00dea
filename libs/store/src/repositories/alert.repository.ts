import { randomUUID } from 'node:crypto';
import type {
  AlertCategory,
  AlertEvent,
  AlertEventsQuery,
  AlertRule,
  AlertRuleInput,
  AlertStatusName,
  ChannelInput,
  DeliveryAttemptDto,
  NotificationChannelDto,
} from '@meridian/contracts';
import { alertRuleInputSchema, channelInputSchema } from '@meridian/contracts';
import type { AlertRecord, AlertTransition, ResolveReason } from '@meridian/finops';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { AccessScope } from '../access-scope';
import {
  AlertEventAccountEntity,
  AlertEventEntity,
  AlertRuleEntity,
  NotificationChannelEntity,
  NotificationDeliveryEntity,
} from '../entities/alert.entity';
import { SecretBox } from '../secret-box';
import { WriteLock } from './write-lock';

const parseJson = <T>(text: string | null, fallback: T): T => {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

/** The rule's kind-specific config as stored (exactly one of these, matching `kind`). */
type RuleConfig = Pick<AlertRule, 'budget' | 'anomaly' | 'syncHealth' | 'sandboxCap'>;
type ParsedRuleInput = ReturnType<typeof alertRuleInputSchema.parse>;
type ParsedChannelInput = ReturnType<typeof channelInputSchema.parse>;

/**
 * The accounts a rule concerns. Empty = it spans every account ('all' or 'cloud' budgets, anomaly /
 * sync-health / sandbox rules without an account): only an all-accounts scope sees those.
 */
export function alertRuleAccountIds(rule: Pick<AlertRule, 'budget' | 'anomaly' | 'syncHealth' | 'sandboxCap'>): string[] {
  const scope = rule.budget?.scope;
  if (scope) return 'accountId' in scope && scope.accountId ? [scope.accountId] : [];
  const accountId = rule.anomaly?.accountId ?? rule.syncHealth?.accountId ?? rule.sandboxCap?.accountId;
  return accountId ? [accountId] : [];
}

/**
 * An alert (or rule) concerning `accountIds` is visible when the scope sees every one of them in
 * full. Accounts seen only through some customers are treated as unseen: an account-level alert
 * would show that account's totals. Nothing-in-particular (empty) needs the all-accounts scope.
 */
export function scopeSeesAll(scope: AccessScope, accountIds: readonly string[]): boolean {
  if (accountIds.length === 0) return scope.ids() === undefined;
  return accountIds.every((id) => scope.allows(id) && scope.customersOf(id) === undefined);
}

function ruleConfigOf(input: ParsedRuleInput): RuleConfig {
  switch (input.kind) {
    case 'budget':
      return { budget: input.budget };
    case 'anomaly':
      return { anomaly: input.anomaly };
    case 'sync-health':
      return { syncHealth: input.syncHealth };
    case 'sandbox-cap':
      return { sandboxCap: input.sandboxCap };
  }
}

/** Rules as the contract's DTO: the config of the rule's kind, last evaluation, channels. */
export class AlertRuleRepository {
  private readonly repo: Repository<AlertRuleEntity>;

  constructor(ds: DataSource) {
    this.repo = ds.getRepository(AlertRuleEntity);
  }

  static toDto(e: AlertRuleEntity): AlertRule {
    return {
      id: e.id,
      name: e.name,
      kind: e.kind as AlertCategory,
      enabled: e.enabled,
      channelIds: parseJson<string[]>(e.channelIds, []),
      ...parseJson<RuleConfig>(e.config, {}),
      createdBy: e.createdBy,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
      lastEvaluatedAt: e.lastEvaluatedAt,
      status: parseJson<AlertRule['status']>(e.lastStatus, null),
    };
  }

  /** Rules the scope may see (every account they concern is in it). */
  async list(scope: AccessScope): Promise<AlertRule[]> {
    const rows = await this.repo.find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(AlertRuleRepository.toDto).filter((r) => scopeSeesAll(scope, alertRuleAccountIds(r)));
  }

  async get(scope: AccessScope, id: string): Promise<AlertRule | null> {
    const row = await this.repo.findOneBy({ id });
    const dto = row ? AlertRuleRepository.toDto(row) : null;
    return dto && scopeSeesAll(scope, alertRuleAccountIds(dto)) ? dto : null;
  }

  /** Every enabled rule (system scope: the evaluator serves every account). */
  async listEnabled(): Promise<AlertRule[]> {
    const rows = await this.repo.find({ where: { enabled: true }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(AlertRuleRepository.toDto);
  }

  /** The last error of each rule's last evaluation (null when it succeeded). */
  async lastError(id: string): Promise<string | null> {
    return (await this.repo.findOneBy({ id }))?.lastError ?? null;
  }

  /**
   * Creates a rule. The caller checks the scope may create it (alertRuleAccountIds ⊆ scope); the
   * input is validated again here so nothing unchecked reaches the table.
   */
  async create(input: AlertRuleInput, actor: { userId: string | null }, now: Date = new Date()): Promise<AlertRule> {
    const parsed = alertRuleInputSchema.parse(input);
    const at = now.toISOString();
    const row: AlertRuleEntity = {
      id: randomUUID(),
      name: parsed.name,
      kind: parsed.kind,
      enabled: parsed.enabled,
      config: JSON.stringify(ruleConfigOf(parsed)),
      channelIds: JSON.stringify(parsed.channelIds),
      createdBy: actor.userId,
      createdAt: at,
      updatedAt: at,
      lastEvaluatedAt: null,
      lastStatus: null,
      lastError: null,
    };
    await this.repo.insert(row);
    return AlertRuleRepository.toDto(row);
  }

  /** Replaces a rule's definition (kind may change). Returns null when the scope cannot see it. */
  async update(scope: AccessScope, id: string, input: AlertRuleInput, now: Date = new Date()): Promise<AlertRule | null> {
    if (!(await this.get(scope, id))) return null;
    const parsed = alertRuleInputSchema.parse(input);
    await this.repo.update(
      { id },
      {
        name: parsed.name,
        kind: parsed.kind,
        enabled: parsed.enabled,
        config: JSON.stringify(ruleConfigOf(parsed)),
        channelIds: JSON.stringify(parsed.channelIds),
        updatedAt: now.toISOString(),
      },
    );
    return this.get(scope, id);
  }

  async remove(scope: AccessScope, id: string): Promise<boolean> {
    if (!(await this.get(scope, id))) return false;
    return ((await this.repo.delete({ id })).affected ?? 0) > 0;
  }

  /** What the last evaluation saw (budget: actual, forecast, used %), or why it failed. */
  async recordEvaluation(id: string, result: { at: string; status: AlertRule['status']; error: string | null }): Promise<void> {
    await this.repo.update(
      { id },
      { lastEvaluatedAt: result.at, ...(result.status ? { lastStatus: JSON.stringify(result.status) } : {}), lastError: result.error },
    );
  }
}

/** A channel as the worker needs it to deliver: includes the decrypted secret, never leaves the server. */
export interface ChannelDeliveryConfig {
  id: string;
  name: string;
  kind: 'email' | 'webhook';
  to?: string[];
  url?: string;
  format?: 'meridian' | 'slack' | 'teams';
  secret?: string;
}

/**
 * Notification channels. Channels are installation-wide (not per account): whoever manages them is
 * decided by the API. The webhook secret is sealed on the way in and only `deliveryConfig` opens it.
 */
export class NotificationChannelRepository {
  private readonly repo: Repository<NotificationChannelEntity>;

  constructor(
    ds: DataSource,
    private readonly secrets: SecretBox,
  ) {
    this.repo = ds.getRepository(NotificationChannelEntity);
  }

  static toDto(e: NotificationChannelEntity): NotificationChannelDto {
    const config = parseJson<{ to?: string[]; url?: string; format?: NotificationChannelDto['format']; weeklyDigest?: boolean }>(e.config, {});
    return {
      id: e.id,
      name: e.name,
      kind: e.kind as NotificationChannelDto['kind'],
      ...(config.to ? { to: config.to } : {}),
      ...(config.url ? { url: config.url } : {}),
      ...(config.format ? { format: config.format } : {}),
      hasSecret: e.secretEnc !== null,
      weeklyDigest: config.weeklyDigest === true,
      createdAt: e.createdAt,
    };
  }

  async list(): Promise<NotificationChannelDto[]> {
    return (await this.repo.find({ order: { createdAt: 'ASC', id: 'ASC' } })).map(NotificationChannelRepository.toDto);
  }

  async get(id: string): Promise<NotificationChannelDto | null> {
    const row = await this.repo.findOneBy({ id });
    return row ? NotificationChannelRepository.toDto(row) : null;
  }

  async create(input: ChannelInput, actor: { userId: string | null }, now: Date = new Date()): Promise<NotificationChannelDto> {
    const parsed = channelInputSchema.parse(input);
    const row: NotificationChannelEntity = {
      id: randomUUID(),
      name: parsed.name,
      kind: parsed.kind,
      config: JSON.stringify(channelConfigOf(parsed)),
      secretEnc: parsed.kind === 'webhook' && parsed.secret ? this.secrets.seal(parsed.secret) : null,
      createdBy: actor.userId,
      createdAt: now.toISOString(),
    };
    await this.repo.insert(row);
    return NotificationChannelRepository.toDto(row);
  }

  /** Replaces the settings; a webhook secret left out keeps the stored one (it is write-only). */
  async update(id: string, input: ChannelInput): Promise<NotificationChannelDto | null> {
    const existing = await this.repo.findOneBy({ id });
    if (!existing) return null;
    const parsed = channelInputSchema.parse(input);
    const secretEnc =
      parsed.kind === 'email' ? null : parsed.secret ? this.secrets.seal(parsed.secret) : existing.kind === 'webhook' ? existing.secretEnc : null;
    await this.repo.update({ id }, { name: parsed.name, kind: parsed.kind, config: JSON.stringify(channelConfigOf(parsed)), secretEnc });
    return this.get(id);
  }

  async remove(id: string): Promise<boolean> {
    return ((await this.repo.delete({ id })).affected ?? 0) > 0;
  }

  /** For delivery only (worker): the settings with the secret opened. */
  async deliveryConfig(id: string): Promise<ChannelDeliveryConfig | null> {
    const row = await this.repo.findOneBy({ id });
    if (!row) return null;
    const dto = NotificationChannelRepository.toDto(row);
    return {
      id: dto.id,
      name: dto.name,
      kind: dto.kind,
      ...(dto.to ? { to: dto.to } : {}),
      ...(dto.url ? { url: dto.url } : {}),
      ...(dto.format ? { format: dto.format } : {}),
      ...(row.secretEnc ? { secret: this.secrets.open(row.secretEnc) } : {}),
    };
  }
}

function channelConfigOf(input: ParsedChannelInput): { to?: string[]; url?: string; format?: string; weeklyDigest: boolean } {
  return input.kind === 'email' ? { to: input.to, weeklyDigest: input.weeklyDigest } : { url: input.url, format: input.format, weeklyDigest: input.weeklyDigest };
}

/** What a fire transition records besides its key: the words and amounts of the notification. */
export interface AlertFireContent {
  ruleName: string;
  category: AlertCategory;
  condition: string;
  value: { amount: string; currency: string } | null;
  limit: { amount: string; currency: string } | null;
  accountIds: string[];
  detail: Record<string, unknown>;
}

/** A transition the store applied, with the event it created or closed (for delivery). */
export interface AppliedTransition {
  transition: AlertTransition;
  event: AlertEvent;
}

/** Another evaluator applied (some of) the same transitions first: nothing of this batch was written. */
export class AlertRaceLostError extends Error {
  constructor(what: string) {
    super(`another evaluation already applied ${what}`);
  }
}

/**
 * Alert events: the finops state machine's records, with what each crossing said. The UNIQUE key
 * (rule, threshold, period, crossing) and conditional resolves make applying the same transitions
 * twice (two workers, a retried evaluation) a no-op for the second writer.
 */
export class AlertEventRepository {
  private readonly repo: Repository<AlertEventEntity>;

  constructor(
    private readonly ds: DataSource,
    private readonly writeLock: WriteLock,
  ) {
    this.repo = ds.getRepository(AlertEventEntity);
  }

  static toDto(e: AlertEventEntity): AlertEvent {
    return {
      id: e.id,
      ruleId: e.ruleId,
      ruleName: e.ruleName,
      category: e.category as AlertCategory,
      thresholdId: e.thresholdId,
      periodKey: e.periodKey,
      crossing: e.crossing,
      status: e.status as AlertStatusName,
      condition: e.condition,
      value: e.valueAmount !== null && e.valueCurrency ? { amount: e.valueAmount, currency: e.valueCurrency } : null,
      limit: e.limitAmount !== null && e.limitCurrency ? { amount: e.limitAmount, currency: e.limitCurrency } : null,
      accountIds: parseJson<string[]>(e.accountIds, []),
      firedAt: e.firedAt,
      acknowledgedAt: e.acknowledgedAt,
      acknowledgedBy: e.acknowledgedBy,
      resolvedAt: e.resolvedAt,
      resolveReason: e.resolveReason,
      detail: parseJson<Record<string, unknown>>(e.detail, {}),
    };
  }

  /**
   * SQL condition: the event concerns at least one account and none outside the scope (or the scope
   * sees everything). Accounts seen only through some customers count as outside.
   */
  private scoped(scope: AccessScope, qb: ReturnType<Repository<AlertEventEntity>['createQueryBuilder']>) {
    const ids = scope.ids();
    if (ids === undefined) return qb;
    const full = ids.filter((id) => scope.customersOf(id) === undefined);
    qb.andWhere('EXISTS (SELECT 1 FROM alert_event_account ea WHERE ea.event_id = e.id)');
    if (full.length === 0) return qb.andWhere('1 = 0');
    return qb.andWhere('NOT EXISTS (SELECT 1 FROM alert_event_account ea WHERE ea.event_id = e.id AND ea.account_id NOT IN (:...scopeIds))', {
      scopeIds: full,
    });
  }

  /** Newest first, under the scope, with the filters of the contract's query. */
  async list(scope: AccessScope, query: Partial<AlertEventsQuery> = {}): Promise<{ items: AlertEvent[]; total: number }> {
    const qb = this.repo.createQueryBuilder('e');
    this.scoped(scope, qb);
    if (query.status) qb.andWhere('e.status = :status', { status: query.status });
    if (query.category) qb.andWhere('e.category = :category', { category: query.category });
    if (query.ruleId) qb.andWhere('e.rule_id = :ruleId', { ruleId: query.ruleId });
    qb.orderBy('e.fired_at', 'DESC').addOrderBy('e.id', 'DESC').take(query.limit ?? 100);
    const [rows, total] = await qb.getManyAndCount();
    return { items: rows.map(AlertEventRepository.toDto), total };
  }

  async get(scope: AccessScope, id: string): Promise<AlertEvent | null> {
    const qb = this.repo.createQueryBuilder('e').where('e.id = :id', { id });
    this.scoped(scope, qb);
    const row = await qb.getOne();
    return row ? AlertEventRepository.toDto(row) : null;
  }

  /** Open → acknowledged (silent until it resolves). Returns the event, or null if not visible; unchanged if not open. */
  async acknowledge(scope: AccessScope, id: string, by: string | null, now: Date = new Date()): Promise<AlertEvent | null> {
    const event = await this.get(scope, id);
    if (!event) return null;
    if (event.status === 'open') {
      await this.repo.update({ id, status: 'open' }, { status: 'acknowledged', acknowledgedAt: now.toISOString(), acknowledgedBy: by });
    }
    return this.get(scope, id);
  }

  /**
   * The state machine's records of a rule: every unresolved event, and every event of the given
   * periods (the latest crossing of a key decides whether a new crossing fires).
   */
  async records(ruleId: string, periodKeys: readonly string[]): Promise<AlertRecord[]> {
    const qb = this.repo.createQueryBuilder('e').where('e.rule_id = :ruleId', { ruleId });
    if (periodKeys.length) qb.andWhere("(e.status <> 'resolved' OR e.period_key IN (:...periodKeys))", { periodKeys });
    else qb.andWhere("e.status <> 'resolved'");
    return (await qb.getMany()).map((e) => ({
      ruleId: e.ruleId,
      thresholdId: e.thresholdId,
      periodKey: e.periodKey,
      crossing: e.crossing,
      status: e.status as AlertRecord['status'],
      firedAt: e.firedAt,
      ...(e.acknowledgedAt ? { acknowledgedAt: e.acknowledgedAt } : {}),
      ...(e.acknowledgedBy ? { acknowledgedBy: e.acknowledgedBy } : {}),
      ...(e.resolvedAt ? { resolvedAt: e.resolvedAt } : {}),
      ...(e.resolveReason ? { resolveReason: e.resolveReason as ResolveReason } : {}),
    }));
  }

  /**
   * Applies one evaluation's transitions in one transaction: fires insert events, resolves close
   * them. If another evaluator got there first (unique key taken, or the event already resolved),
   * everything rolls back and AlertRaceLostError is thrown: that evaluator notifies, this one must not.
   */
  async applyTransitions(
    transitions: readonly AlertTransition[],
    contentOf: (t: AlertTransition) => AlertFireContent,
  ): Promise<AppliedTransition[]> {
    if (transitions.length === 0) return [];
    return this.writeLock.run(() =>
      this.ds.transaction(async (em) => {
        const applied: AppliedTransition[] = [];
        for (const t of transitions) {
          applied.push(t.kind === 'fire' ? await this.insertFire(em, t, contentOf(t)) : await this.resolve(em, t));
        }
        return applied;
      }),
    ).catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new AlertRaceLostError('these alert transitions');
      throw err;
    });
  }

  private async insertFire(em: EntityManager, t: AlertTransition, c: AlertFireContent): Promise<AppliedTransition> {
    const row: AlertEventEntity = {
      id: randomUUID(),
      ruleId: t.ruleId,
      ruleName: c.ruleName,
      category: c.category,
      thresholdId: t.thresholdId,
      periodKey: t.periodKey,
      crossing: t.crossing,
      status: 'open',
      condition: c.condition,
      valueAmount: c.value?.amount ?? null,
      valueCurrency: c.value?.currency ?? null,
      limitAmount: c.limit?.amount ?? null,
      limitCurrency: c.limit?.currency ?? null,
      accountIds: JSON.stringify([...new Set(c.accountIds)].sort()),
      detail: JSON.stringify(c.detail),
      firedAt: t.at,
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      resolveReason: null,
    };
    await em.getRepository(AlertEventEntity).insert(row);
    const accounts = [...new Set(c.accountIds)];
    if (accounts.length) await em.getRepository(AlertEventAccountEntity).insert(accounts.map((accountId) => ({ eventId: row.id, accountId })));
    return { transition: t, event: AlertEventRepository.toDto(row) };
  }

  private async resolve(em: EntityManager, t: AlertTransition): Promise<AppliedTransition> {
    const repo = em.getRepository(AlertEventEntity);
    const key = { ruleId: t.ruleId, thresholdId: t.thresholdId, periodKey: t.periodKey, crossing: t.crossing };
    const result = await repo
      .createQueryBuilder()
      .update(AlertEventEntity)
      .set({ status: 'resolved', resolvedAt: t.at, resolveReason: t.reason ?? 'cleared' })
      .where({ ...key, status: In(['open', 'acknowledged']) })
      .execute();
    if (!result.affected) throw new AlertRaceLostError(`the resolve of ${t.dedupKey}`);
    const row = await repo.findOneByOrFail(key);
    return { transition: t, event: AlertEventRepository.toDto(row) };
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e.driverError?.code ?? e.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT' || /UNIQUE constraint failed/.test(e.message ?? '');
}

export interface DeliveryAttemptInput {
  alertEventId: string | null;
  channelId: string;
  dedupKey: string;
  transition: 'fire' | 'resolve' | 'test' | 'digest';
  attempt: number;
  ok: boolean;
  status?: number | null;
  error?: string | null;
  at: string;
}

/** Every delivery attempt, and the dedup question "was this already delivered on this channel?". */
export class NotificationDeliveryRepository {
  private readonly repo: Repository<NotificationDeliveryEntity>;

  constructor(ds: DataSource) {
    this.repo = ds.getRepository(NotificationDeliveryEntity);
  }

  static toDto(e: NotificationDeliveryEntity): DeliveryAttemptDto {
    return { channelId: e.channelId, attempt: e.attempt, ok: e.ok, status: e.status, error: e.error, at: e.at, dedupKey: e.dedupKey };
  }

  async record(a: DeliveryAttemptInput): Promise<void> {
    await this.repo.insert({
      alertEventId: a.alertEventId,
      channelId: a.channelId,
      dedupKey: a.dedupKey,
      transition: a.transition,
      attempt: a.attempt,
      ok: a.ok,
      status: a.status ?? null,
      // Bounded: an error text is for people, and a receiver could answer with anything.
      error: a.error ? a.error.slice(0, 2000) : null,
      at: a.at,
    });
  }

  async deliveredOk(channelId: string, dedupKey: string): Promise<boolean> {
    return (await this.repo.countBy({ channelId, dedupKey, ok: true })) > 0;
  }

  /** What happened to one notification on one channel: delivered, how many attempts, the last one's time. */
  async state(channelId: string, dedupKey: string): Promise<{ delivered: boolean; attempts: number; lastAt: string | null }> {
    const rows = await this.repo.find({ where: { channelId, dedupKey }, order: { id: 'DESC' } });
    return { delivered: rows.some((r) => r.ok), attempts: rows.length, lastAt: rows[0]?.at ?? null };
  }

  async listForEvent(alertEventId: string): Promise<DeliveryAttemptDto[]> {
    return (await this.repo.find({ where: { alertEventId }, order: { id: 'ASC' } })).map(NotificationDeliveryRepository.toDto);
  }

  async listForEvents(alertEventIds: readonly string[]): Promise<Map<string, DeliveryAttemptDto[]>> {
    const out = new Map<string, DeliveryAttemptDto[]>();
    if (alertEventIds.length === 0) return out;
    for (const row of await this.repo.find({ where: { alertEventId: In([...alertEventIds]) }, order: { id: 'ASC' } })) {
      const list = out.get(row.alertEventId as string) ?? [];
      list.push(NotificationDeliveryRepository.toDto(row));
      out.set(row.alertEventId as string, list);
    }
    return out;
  }

  async listForChannel(channelId: string, limit = 100): Promise<DeliveryAttemptDto[]> {
    return (await this.repo.find({ where: { channelId }, order: { id: 'DESC' }, take: limit })).map(NotificationDeliveryRepository.toDto);
  }
}
