import type { AlertEvent, AlertRule, DeliveryAttemptDto, EvaluationResult } from '@meridian/contracts';
import { addDays, alertDedupKey, alertTransitions, type AlertRecord, type AlertTransition } from '@meridian/finops';
import { backoffDelay, deliverWithRetry, retryDelivery, sendTestNotification, type AlertNotice, type DeliverOptions, type DeliveryAttempt, type NotificationChannel, type ScopeRef } from '@meridian/notify';
import { AccessScope, AlertRaceLostError, type AlertFireContent, type AppliedTransition, type ChannelDeliveryConfig, type Store } from '@meridian/store';
import type { AlertingConfig } from './alerting.config';
import { anomalyConditions } from './anomaly-rule';
import { budgetConditions } from './budget-rule';
import { notificationChannelFor } from './channels';
import { EvaluationLock } from './evaluation-lock';
import { contentKey, RuleConditions, RuleContext } from './rule-conditions';
import { sandboxCapConditions } from './sandbox-cap-rule';
import { buildWeeklyDigest } from './weekly-digest';
import { syncHealthConditions } from './sync-health-rule';

export interface AlertLogger {
  log(message: string): void;
  error(message: string): void;
}

export interface AlertEvaluatorOptions {
  logger?: AlertLogger;
  /** Waits between delivery retries (tests shorten them through config.delivery instead). */
  sleep?: (ms: number) => Promise<void>;
  /** Builds the notify channel of a stored channel (default: SMTP / webhook from the config). */
  channelFor?: (channel: ChannelDeliveryConfig, config: AlertingConfig) => NotificationChannel;
  /** Serialise evaluations across processes with a PostgreSQL advisory lock (default true). */
  crossProcessLock?: boolean;
  /** Counts rule evaluations and notification deliveries (Prometheus, MeridianMetrics). */
  metrics?: AlertMetrics;
}

/** What the evaluator reports to metrics: each rule evaluated, each notification's final outcome. */
export interface AlertMetrics {
  alertEvaluation(outcome: 'ok' | 'failed'): void;
  alertDelivery(channel: string, outcome: 'delivered' | 'failed'): void;
}

const silent: AlertLogger = { log: () => undefined, error: () => undefined };

/** One transition to notify, to its rule's channels or (a redelivery) to the ones that failed. */
interface DeliveryItem {
  rule: AlertRule;
  applied: AppliedTransition;
  current?: AlertFireContent;
  channelIds?: string[];
}

type DeliveryTransition = 'fire' | 'resolve' | 'test' | 'digest';

/** The attempt recorded when a channel could not even be built: nothing was sent. */
function notSent(error: Error, dedupKey: string, kind: NotificationChannel['kind']): DeliveryAttempt {
  return { attempt: 1, ok: false, error: error.message, at: new Date().toISOString(), dedupKey, channel: kind };
}

/** How far back undelivered notifications are retried. */
const REDELIVER_DAYS = 7;

/** The longest one notification's retries can take (every backoff at its ceiling), plus a margin. */
export function retryCycleMs(d: AlertingConfig['delivery']): number {
  let total = 0;
  // backoffDelay with the jitter at its top: the longest each wait can be.
  for (let retry = 1; retry < d.attempts; retry++) total += backoffDelay(retry, d.baseMs, d.maxMs, () => 1);
  return total + 1_000;
}

/** The fire (and, once resolved, the resolve) transition a stored event stands for. */
function storedTransitions(event: AlertEvent): AlertTransition[] {
  const key = { ruleId: event.ruleId, thresholdId: event.thresholdId, periodKey: event.periodKey };
  const fire: AlertTransition = { ...key, kind: 'fire', crossing: event.crossing, at: event.firedAt, dedupKey: alertDedupKey(key, event.crossing, 'fire') };
  if (!event.resolvedAt) return [fire];
  const reason = (event.resolveReason ?? 'cleared') as NonNullable<AlertTransition['reason']>;
  return [fire, { ...key, kind: 'resolve', crossing: event.crossing, at: event.resolvedAt, reason, dedupKey: alertDedupKey(key, event.crossing, 'resolve') }];
}

/**
 * Evaluates every enabled alert rule, records what crossed or cleared (finops state machine, one
 * event per crossing, unique in the store), and notifies each transition once per channel.
 * Everything reads the injected time `at`; nothing here reads the clock except delivery timestamps.
 */
export class AlertEvaluator {
  private readonly lock: EvaluationLock;
  private readonly logger: AlertLogger;

  constructor(
    private readonly store: Store,
    private readonly config: AlertingConfig,
    private readonly options: AlertEvaluatorOptions = {},
  ) {
    this.lock = new EvaluationLock(store.dataSource, options.crossProcessLock ?? true);
    this.logger = options.logger ?? silent;
  }

  evaluate({ at }: { at: Date }): Promise<EvaluationResult> {
    return this.lock.run(() => this.evaluateNow(at));
  }

  private async evaluateNow(at: Date): Promise<EvaluationResult> {
    const result: EvaluationResult = { at: at.toISOString(), rules: 0, fired: 0, resolved: 0, notifications: 0, errors: [] };
    const rules = await this.store.alertRules.listEnabled();
    result.rules = rules.length;
    const toDeliver: DeliveryItem[] = [];
    for (const rule of rules) {
      try {
        const seen = await this.conditionsOf(rule, at);
        const transitions = await this.transitionsOf(rule, seen, at);
        let applied: AppliedTransition[] = [];
        try {
          applied = await this.store.alertEvents.applyTransitions(transitions, (t) => this.fireContent(rule, seen, t));
        } catch (err) {
          // Another worker recorded these crossings first: it notifies, this one must not.
          if (!(err instanceof AlertRaceLostError)) throw err;
          this.logger.log(`rule ${rule.id}: ${err.message}`);
        }
        for (const a of applied) {
          if (a.transition.kind === 'fire') result.fired++;
          else result.resolved++;
          toDeliver.push({ rule, applied: a, current: seen.content.get(contentKey(a.transition.periodKey, a.transition.thresholdId)) });
        }
        await this.store.alertRules.recordEvaluation(rule.id, { at: result.at, status: seen.status, error: null });
        this.options.metrics?.alertEvaluation('ok');
      } catch (err) {
        this.options.metrics?.alertEvaluation('failed');
        const message = (err as Error).message;
        result.errors.push({ ruleId: rule.id, error: message });
        this.logger.error(`rule ${rule.id} (${rule.name}): evaluation failed: ${message}`);
        await this.store.alertRules.recordEvaluation(rule.id, { at: result.at, status: null, error: message }).catch(() => undefined);
      }
    }
    const fresh = new Set(toDeliver.map((d) => d.applied.transition.dedupKey));
    const redeliver = await this.undeliveredEarlier(rules, at, fresh);
    result.notifications = await this.deliverAll([...toDeliver, ...redeliver]);
    return result;
  }

  /**
   * Notifications of earlier runs that no channel attempt delivered (the receiver was down through
   * every retry): tried again on the channels that failed, for alerts of the last week. A channel
   * whose last failed attempt is younger than one full retry cycle is left alone: another
   * evaluator may still be retrying it. Transitions an earlier run never attempted at all (its
   * process died between recording and sending) are not resent: see docs/decisions/0011.
   */
  private async undeliveredEarlier(rules: AlertRule[], at: Date, fresh: ReadonlySet<string>): Promise<DeliveryItem[]> {
    const since = addDays(at.toISOString().slice(0, 10), -REDELIVER_DAYS);
    const settled = Date.now() - retryCycleMs(this.config.delivery);
    const out: DeliveryItem[] = [];
    for (const rule of rules.filter((r) => r.channelIds.length > 0)) {
      const { items } = await this.store.alertEvents.list(AccessScope.all(), { ruleId: rule.id, limit: 200 });
      for (const event of items) {
        for (const transition of storedTransitions(event)) {
          if (transition.at.slice(0, 10) < since || fresh.has(transition.dedupKey)) continue;
          const failedOn: string[] = [];
          for (const channelId of rule.channelIds) {
            const state = await this.store.deliveries.state(channelId, transition.dedupKey);
            if (!state.delivered && state.attempts > 0 && state.lastAt !== null && Date.parse(state.lastAt) < settled) failedOn.push(channelId);
          }
          if (failedOn.length > 0) out.push({ rule, applied: { event, transition }, channelIds: failedOn });
        }
      }
    }
    if (out.length > 0) this.logger.log(`redelivering ${out.length} notification(s) no earlier attempt delivered`);
    return out;
  }

  private conditionsOf(rule: AlertRule, at: Date): Promise<RuleConditions> {
    const ctx: RuleContext = { store: this.store, at, records: (periodKeys) => this.store.alertEvents.records(rule.id, periodKeys) };
    if (rule.kind === 'budget' && rule.budget) return budgetConditions(rule, rule.budget, ctx);
    if (rule.kind === 'anomaly' && rule.anomaly) return anomalyConditions(rule, rule.anomaly, ctx);
    if (rule.kind === 'sync-health' && rule.syncHealth) return syncHealthConditions(rule, rule.syncHealth, ctx);
    if (rule.kind === 'sandbox-cap' && rule.sandboxCap) return sandboxCapConditions(rule, rule.sandboxCap, ctx);
    throw new Error(`rule ${rule.id} of kind ${rule.kind} has no ${rule.kind} configuration`);
  }

  private async transitionsOf(rule: AlertRule, seen: RuleConditions, at: Date): Promise<AlertTransition[]> {
    const periodKeys = seen.groups.map((g) => g.periodKey);
    const records = await this.store.alertEvents.records(rule.id, periodKeys);
    const evaluation = (periodKey: string, conditions: RuleConditions['groups'][number]['conditions']) => ({
      ruleId: rule.id,
      periodKey,
      at: at.toISOString(),
      conditions,
    });
    if (seen.periods === 'single') {
      const [group] = seen.groups;
      return alertTransitions(records, evaluation(group.periodKey, group.conditions));
    }
    // Independent periods (anomaly runs): each run is judged against its own records only.
    return seen.groups.flatMap((g) => {
      const own: AlertRecord[] = records.filter((r) => r.periodKey === g.periodKey);
      return alertTransitions(own, evaluation(g.periodKey, g.conditions));
    });
  }

  private fireContent(rule: AlertRule, seen: RuleConditions, t: AlertTransition): AlertFireContent {
    return (
      seen.content.get(contentKey(t.periodKey, t.thresholdId)) ?? {
        ruleName: rule.name,
        category: rule.kind,
        condition: `${t.thresholdId} crossed`,
        value: null,
        limit: null,
        accountIds: [],
        detail: {},
      }
    );
  }

  /** Delivers each applied transition to its rule's channels: channels in parallel, transitions in order. */
  private async deliverAll(items: DeliveryItem[]): Promise<number> {
    const byChannel = new Map<string, { applied: AppliedTransition; notice: AlertNotice }[]>();
    for (const item of items) {
      const notice = noticeOf(item.applied, item.current);
      for (const channelId of item.channelIds ?? item.rule.channelIds) byChannel.set(channelId, [...(byChannel.get(channelId) ?? []), { applied: item.applied, notice }]);
    }
    const counts = await Promise.all(
      [...byChannel.entries()].map(async ([channelId, queue]) => {
        let delivered = 0;
        const settings = await this.store.channels.deliveryConfig(channelId);
        if (!settings) {
          this.logger.error(`channel ${channelId} no longer exists: ${queue.length} notification(s) not sent`);
          return 0;
        }
        const channel = this.openChannel(settings);
        if (channel instanceof Error) {
          this.logger.error(`channel ${channelId}: ${channel.message}`);
          for (const { applied } of queue) {
            this.options.metrics?.alertDelivery(settings.kind, 'failed');
            await this.recordAttempt(channelId, applied.event.id, applied.transition.kind, notSent(channel, applied.transition.dedupKey, settings.kind));
          }
          return 0;
        }
        for (const { applied, notice } of queue) {
          const outcome = await deliverWithRetry(
            channel,
            { dedupKey: applied.transition.dedupKey, notice },
            this.retryOptions(channelId, applied.event.id, applied.transition.kind),
          );
          if (!outcome.skippedAsDuplicate) this.options.metrics?.alertDelivery(settings.kind, outcome.delivered ? 'delivered' : 'failed');
          if (outcome.delivered) delivered++;
          else if (!outcome.skippedAsDuplicate) {
            this.logger.error(`channel ${channelId}: ${applied.transition.dedupKey} not delivered after ${outcome.attempts} attempt(s): ${outcome.last?.error ?? 'unknown error'}`);
          }
        }
        return delivered;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** The notify channel of a stored channel's settings, or why it cannot be built (e.g. no SMTP relay configured). */
  private openChannel(settings: ChannelDeliveryConfig): NotificationChannel | Error {
    try {
      return (this.options.channelFor ?? notificationChannelFor)(settings, this.config);
    } catch (err) {
      return err as Error;
    }
  }

  /** Retries, dedup against the delivery log and a record of every attempt, for one channel. */
  private retryOptions(channelId: string, alertEventId: string | null, transition: DeliveryTransition): DeliverOptions {
    return {
      ...this.config.delivery,
      ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      alreadyDelivered: (key) => this.store.deliveries.deliveredOk(channelId, key),
      onAttempt: (a) => this.recordAttempt(channelId, alertEventId, transition, a),
    };
  }

  private recordAttempt(channelId: string, alertEventId: string | null, transition: DeliveryTransition, a: DeliveryAttempt): Promise<void> {
    return this.store.deliveries.record({
      alertEventId,
      channelId,
      dedupKey: a.dedupKey,
      transition,
      attempt: a.attempt,
      ok: a.ok,
      status: a.status ?? null,
      error: a.error ?? null,
      at: a.at,
    });
  }

  /**
   * The weekly cost digest to every channel that opted in, once per channel and week: the dedup key
   * `digest/<first day>` is checked against the delivery log, so a second worker or a re-run sends
   * nothing twice. Runs under the evaluation lock. Returns how many channels received it.
   */
  sendWeeklyDigest({ at }: { at: Date }): Promise<{ week: string; channels: number; delivered: number }> {
    return this.lock.run(async () => {
      const digest = await buildWeeklyDigest(this.store, at);
      const dedupKey = `digest/${digest.from}`;
      const targets = (await this.store.channels.list()).filter((c) => c.weeklyDigest);
      let delivered = 0;
      for (const target of targets) {
        const settings = await this.store.channels.deliveryConfig(target.id);
        if (!settings) continue;
        const channel = this.openChannel(settings);
        if (channel instanceof Error) {
          this.logger.error(`digest to channel ${target.id}: ${channel.message}`);
          await this.recordAttempt(target.id, null, 'digest', notSent(channel, dedupKey, settings.kind));
          continue;
        }
        const sendDigest = channel.sendDigest?.bind(channel);
        if (!sendDigest) continue;
        const outcome = await retryDelivery(channel.kind, dedupKey, () => sendDigest(digest, dedupKey), this.retryOptions(target.id, null, 'digest'));
        if (!outcome.skippedAsDuplicate) this.options.metrics?.alertDelivery(settings.kind, outcome.delivered ? 'delivered' : 'failed');
        if (outcome.delivered) delivered++;
      }
      this.logger.log(`weekly digest ${digest.from}..${digest.to}: ${delivered} of ${targets.length} channel(s)`);
      return { week: digest.from, channels: targets.length, delivered };
    });
  }

  /** "Send test" of a channel: a labelled sample notification, one attempt, recorded like any other. */
  async sendChannelTest(channelId: string): Promise<{ delivered: boolean; attempts: DeliveryAttemptDto[] } | null> {
    const settings = await this.store.channels.deliveryConfig(channelId);
    if (!settings) return null;
    const attempts: DeliveryAttemptDto[] = [];
    const record = async (a: DeliveryAttempt) => {
      await this.recordAttempt(channelId, null, 'test', a);
      attempts.push({ channelId, attempt: a.attempt, ok: a.ok, status: a.status ?? null, error: a.error ?? null, at: a.at, dedupKey: a.dedupKey });
    };
    const channel = this.openChannel(settings);
    if (channel instanceof Error) {
      await record(notSent(channel, 'test/not-sent', settings.kind));
      return { delivered: false, attempts };
    }
    const outcome = await sendTestNotification(channel, { attempts: 1, baseMs: 0, onAttempt: record });
    return { delivered: outcome.delivered, attempts };
  }
}

/**
 * The notification of a transition. A fire says what the event recorded; a resolve repeats the
 * condition and, when the rule still watches it, the current value (the spend after a raised budget).
 */
export function noticeOf(applied: AppliedTransition, current?: AlertFireContent): AlertNotice {
  const { event, transition } = applied;
  const useCurrent = transition.kind === 'resolve' && current;
  const value = useCurrent ? current.value : event.value;
  const limit = useCurrent ? current.limit : event.limit;
  const scope = (event.detail.scope as ScopeRef[] | undefined) ?? [];
  const reason = transition.kind === 'resolve' ? resolveWords(transition.reason, event) : '';
  return {
    kind: transition.kind,
    category: event.category,
    ruleName: event.ruleName,
    condition: `${event.condition}${reason}`,
    ...(value ? { value } : {}),
    ...(limit ? { limit } : {}),
    scope,
    period: event.periodKey,
    occurredAt: transition.at,
    path: `/alerts/${encodeURIComponent(event.id)}`,
  };
}

function resolveWords(reason: AlertTransition['reason'], event: AlertEvent): string {
  if (reason === 'period-ended') return ` (period ${event.periodKey} ended)`;
  if (reason === 'not-evaluated') return ' (no longer watched by the rule)';
  return ' — cleared';
}
