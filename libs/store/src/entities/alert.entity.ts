import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** An alert rule (budget, anomaly, sync health, sandbox cap). `config` is the kind's JSON config. */
@Entity({ name: 'alert_rule' })
export class AlertRuleEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** budget | anomaly | sync-health | sandbox-cap */
  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ type: 'boolean' })
  enabled: boolean;

  /** JSON of the kind's config (contracts: budgetRuleConfigSchema, anomalyRuleConfigSchema, …). */
  @Column({ type: 'text' })
  config: string;

  /** JSON array of notification channel ids. */
  @Column({ name: 'channel_ids', type: 'text' })
  channelIds: string;

  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;

  @Column({ name: 'last_evaluated_at', type: 'varchar', length: 32, nullable: true })
  lastEvaluatedAt: string | null;

  /** JSON: current values of the last evaluation (budget: actual, forecast, used %). */
  @Column({ name: 'last_status', type: 'text', nullable: true })
  lastStatus: string | null;

  /** Why the last evaluation failed (e.g. a missing exchange rate), null when it succeeded. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;
}

/** Where notifications go. The webhook signing secret is sealed with the SecretBox and never returned. */
@Entity({ name: 'notification_channel' })
export class NotificationChannelEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** email | webhook */
  @Column({ type: 'varchar', length: 16 })
  kind: string;

  /** JSON: { to: [...] } for e-mail, { url, format } for webhooks. */
  @Column({ type: 'text' })
  config: string;

  @Column({ name: 'secret_enc', type: 'text', nullable: true })
  secretEnc: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}

/** One threshold crossing of one rule in one period: open → acknowledged → resolved. */
@Entity({ name: 'alert_event' })
@Unique('uq_alert_event_crossing', ['ruleId', 'thresholdId', 'periodKey', 'crossing'])
@Index('ix_alert_event_status', ['status', 'firedAt'])
@Index('ix_alert_event_rule', ['ruleId', 'status'])
export class AlertEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'rule_id', type: 'varchar', length: 64 })
  ruleId: string;

  /** The rule's name when it fired (the event outlives a renamed or deleted rule). */
  @Column({ name: 'rule_name', type: 'varchar', length: 200 })
  ruleName: string;

  @Column({ type: 'varchar', length: 16 })
  category: string;

  @Column({ name: 'threshold_id', type: 'varchar', length: 300 })
  thresholdId: string;

  @Column({ name: 'period_key', type: 'varchar', length: 16 })
  periodKey: string;

  @Column({ type: 'integer' })
  crossing: number;

  /** open | acknowledged | resolved */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'text' })
  condition: string;

  @Column({ name: 'value_amount', type: 'text', nullable: true })
  valueAmount: string | null;

  @Column({ name: 'value_currency', type: 'varchar', length: 3, nullable: true })
  valueCurrency: string | null;

  @Column({ name: 'limit_amount', type: 'text', nullable: true })
  limitAmount: string | null;

  @Column({ name: 'limit_currency', type: 'varchar', length: 3, nullable: true })
  limitCurrency: string | null;

  /** JSON array; the same ids are in alert_event_account for filtering by access scope. */
  @Column({ name: 'account_ids', type: 'text' })
  accountIds: string;

  /** JSON object: what the notification says beyond condition/value/limit (scope, percent, basis…). */
  @Column({ type: 'text' })
  detail: string;

  @Column({ name: 'fired_at', type: 'varchar', length: 32 })
  firedAt: string;

  @Column({ name: 'acknowledged_at', type: 'varchar', length: 32, nullable: true })
  acknowledgedAt: string | null;

  @Column({ name: 'acknowledged_by', type: 'varchar', length: 64, nullable: true })
  acknowledgedBy: string | null;

  @Column({ name: 'resolved_at', type: 'varchar', length: 32, nullable: true })
  resolvedAt: string | null;

  @Column({ name: 'resolve_reason', type: 'varchar', length: 32, nullable: true })
  resolveReason: string | null;
}

@Entity({ name: 'alert_event_account' })
export class AlertEventAccountEntity {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 64 })
  eventId: string;

  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 64 })
  accountId: string;
}

/** One attempt to deliver one notification (fire, resolve or test) on one channel. */
@Entity({ name: 'notification_delivery' })
@Index('ix_delivery_channel_key', ['channelId', 'dedupKey'])
@Index('ix_delivery_event', ['alertEventId'])
export class NotificationDeliveryEntity {
  @PrimaryGeneratedColumn()
  id: number;

  /** Null for "send test". */
  @Column({ name: 'alert_event_id', type: 'varchar', length: 64, nullable: true })
  alertEventId: string | null;

  @Column({ name: 'channel_id', type: 'varchar', length: 64 })
  channelId: string;

  @Column({ name: 'dedup_key', type: 'varchar', length: 500 })
  dedupKey: string;

  /** fire | resolve | test | digest */
  @Column({ type: 'varchar', length: 16 })
  transition: string;

  @Column({ type: 'integer' })
  attempt: number;

  @Column({ type: 'boolean' })
  ok: boolean;

  @Column({ type: 'integer', nullable: true })
  status: number | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'varchar', length: 32 })
  at: string;
}
