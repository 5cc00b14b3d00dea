import { z } from 'zod';
import { CLOUDS } from './clouds';

/**
 * Alerts (DESIGN §8): rules are defined once across accounts and evaluated by the worker after
 * every sync and daily; each threshold crossing becomes one alert event (open → acknowledged →
 * resolved) and one notification per channel, with a resolve notice when it clears.
 */

const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
const positiveDecimal = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a positive decimal number as a string')
  .refine((v) => Number(v) > 0, 'must be greater than 0');
const percent = z.number().positive('must be greater than 0').max(1000, 'at most 1000');
const name = z.string().trim().min(1, 'is required').max(200);

export const ALERT_CATEGORIES = ['budget', 'anomaly', 'sync-health', 'sandbox-cap'] as const;
export type AlertCategory = (typeof ALERT_CATEGORIES)[number];
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatusName = (typeof ALERT_STATUSES)[number];

export const BUDGET_PERIODS = ['monthly', 'quarterly', 'yearly'] as const;
export const BUDGET_SCOPE_KINDS = ['all', 'cloud', 'account', 'customer', 'subscription', 'service'] as const;

/**
 * Where a budget applies. 'all' and 'cloud' span accounts, so only users who see every account may
 * create or see them; the other kinds name the account they live in (a service budget may omit it
 * to span every account).
 */
export const budgetScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('cloud'), cloud: z.enum(CLOUDS) }),
  z.strictObject({ kind: z.literal('account'), accountId: z.string().min(1) }),
  z.strictObject({ kind: z.literal('customer'), accountId: z.string().min(1), customerId: z.string().min(1) }),
  z.strictObject({ kind: z.literal('subscription'), accountId: z.string().min(1), subscriptionId: z.string().min(1) }),
  z.strictObject({ kind: z.literal('service'), service: z.string().min(1).max(200), accountId: z.string().min(1).optional() }),
]);
export type BudgetScopeDto = z.infer<typeof budgetScopeSchema>;

export const budgetThresholdSchema = z.strictObject({ percent, basis: z.enum(['actual', 'forecast']) });

export const budgetRuleConfigSchema = z.strictObject({
  scope: budgetScopeSchema,
  period: z.enum(BUDGET_PERIODS),
  amount: positiveDecimal,
  /** The reporting currency, or the account's own currency (amounts are converted with the rate table). */
  currency,
  thresholds: z
    .array(budgetThresholdSchema)
    .min(1, 'must list at least one threshold')
    .max(10, 'at most 10 thresholds'),
});

export const anomalyRuleConfigSchema = z.strictObject({
  /** Judge each account's daily cost, or each account × service. */
  grain: z.enum(['account', 'service']),
  sensitivity: z.enum(['low', 'medium', 'high']).default('medium'),
  /** Restrict to one account; absent = every account the rule's author may see. */
  accountId: z.string().min(1).optional(),
  /** Ignore differences smaller than this, in the account's currency. */
  minAbsoluteDelta: positiveDecimal.default('10'),
});

export const syncHealthRuleConfigSchema = z.strictObject({
  accountId: z.string().min(1).optional(),
  /** No successful usage sync for this long → stale. */
  staleHours: z.number().int().min(1).max(24 * 30).default(26),
  /** Alert on authentication failures (revoked or wrong secret). */
  authFailures: z.boolean().default(true),
  /** Throttled (429) without a success for this long. */
  throttledHours: z.number().int().min(1).max(24 * 30).default(6),
  /** Quarantined records in the last run at or above this count. */
  quarantinedAtLeast: z.number().int().min(1).default(1),
});

export const sandboxCapRuleConfigSchema = z.strictObject({
  accountId: z.string().min(1).optional(),
  /** Percent of the $200/month cap. */
  thresholds: z.array(percent).min(1).max(5).default([80, 100]),
});

/** The rule kinds. A budget is a rule of kind 'budget'. */
export const alertRuleConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('budget'), budget: budgetRuleConfigSchema }),
  z.strictObject({ kind: z.literal('anomaly'), anomaly: anomalyRuleConfigSchema }),
  z.strictObject({ kind: z.literal('sync-health'), syncHealth: syncHealthRuleConfigSchema }),
  z.strictObject({ kind: z.literal('sandbox-cap'), sandboxCap: sandboxCapRuleConfigSchema }),
]);

const ruleCommon = {
  name,
  enabled: z.boolean().default(true),
  /** Where notifications go; a rule without channels still records alerts. */
  channelIds: z.array(z.string().min(1)).max(20).default([]),
};

export const alertRuleInputSchema = z.intersection(z.strictObject(ruleCommon), alertRuleConfigSchema);
export type AlertRuleInput = z.input<typeof alertRuleInputSchema>;

export const alertRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(ALERT_CATEGORIES),
  enabled: z.boolean(),
  channelIds: z.array(z.string()),
  budget: budgetRuleConfigSchema.optional(),
  anomaly: anomalyRuleConfigSchema.optional(),
  syncHealth: syncHealthRuleConfigSchema.optional(),
  sandboxCap: sandboxCapRuleConfigSchema.optional(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Last evaluation: when, and the current values (actual, forecast, used %) for budgets. */
  lastEvaluatedAt: z.string().nullable(),
  status: z
    .object({ actual: z.string().optional(), forecast: z.string().optional(), currency: z.string().optional(), usedPercent: z.string().nullable().optional(), periodKey: z.string().optional() })
    .nullable(),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;
export const alertRuleListSchema = z.object({ items: z.array(alertRuleSchema) });

export const CHANNEL_KINDS = ['email', 'webhook'] as const;
export const WEBHOOK_FORMATS = ['meridian', 'slack', 'teams'] as const;

export const channelInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('email'),
    name,
    to: z.array(z.string().trim().toLowerCase().email('must be an email address')).min(1, 'must list at least one address').max(50),
    /** Also send the weekly cost digest here. */
    weeklyDigest: z.boolean().default(false),
  }),
  z.strictObject({
    kind: z.literal('webhook'),
    name,
    url: z.string().url('must be an absolute URL').refine((u) => /^https?:\/\//.test(u), 'must be http or https'),
    format: z.enum(WEBHOOK_FORMATS).default('meridian'),
    /** HMAC-SHA256 signing secret: write-only, stored encrypted, never returned. */
    secret: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
    weeklyDigest: z.boolean().default(false),
  }),
]);
export type ChannelInput = z.input<typeof channelInputSchema>;

export const channelSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(CHANNEL_KINDS),
  to: z.array(z.string()).optional(),
  url: z.string().optional(),
  format: z.enum(WEBHOOK_FORMATS).optional(),
  hasSecret: z.boolean(),
  /** Receives the weekly cost digest. */
  weeklyDigest: z.boolean(),
  createdAt: z.string(),
});
export type NotificationChannelDto = z.infer<typeof channelSchema>;
export const channelListSchema = z.object({ items: z.array(channelSchema) });

export const deliveryAttemptSchema = z.object({
  channelId: z.string(),
  attempt: z.number().int(),
  ok: z.boolean(),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  at: z.string(),
  dedupKey: z.string(),
});
export type DeliveryAttemptDto = z.infer<typeof deliveryAttemptSchema>;

export const channelTestResultSchema = z.object({ delivered: z.boolean(), attempts: z.array(deliveryAttemptSchema) });

export const alertEventSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  category: z.enum(ALERT_CATEGORIES),
  thresholdId: z.string(),
  periodKey: z.string(),
  crossing: z.number().int(),
  status: z.enum(ALERT_STATUSES),
  /** What crossed, in words. */
  condition: z.string(),
  value: z.object({ amount: z.string(), currency: z.string() }).nullable(),
  limit: z.object({ amount: z.string(), currency: z.string() }).nullable(),
  /** Accounts the alert concerns (the access scope filters on them). */
  accountIds: z.array(z.string()),
  firedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolveReason: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AlertEvent = z.infer<typeof alertEventSchema>;
export const alertEventListSchema = z.object({ items: z.array(alertEventSchema), total: z.number().int() });
export const alertEventDetailSchema = alertEventSchema.extend({ deliveries: z.array(deliveryAttemptSchema) });

export const alertEventsQuerySchema = z.strictObject({
  status: z.enum(ALERT_STATUSES).optional(),
  category: z.enum(ALERT_CATEGORIES).optional(),
  ruleId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AlertEventsQuery = z.output<typeof alertEventsQuerySchema>;

export const evaluationResultSchema = z.object({
  at: z.string(),
  rules: z.number().int(),
  fired: z.number().int(),
  resolved: z.number().int(),
  notifications: z.number().int(),
  errors: z.array(z.object({ ruleId: z.string(), error: z.string() })),
});
export type EvaluationResult = z.infer<typeof evaluationResultSchema>;

/** The weekly cost digest sent now: the week (its Monday) and the opted-in channels it reached. */
export const digestResultSchema = z.object({ week: z.string(), channels: z.number().int(), delivered: z.number().int() });
export type DigestResult = z.infer<typeof digestResultSchema>;
