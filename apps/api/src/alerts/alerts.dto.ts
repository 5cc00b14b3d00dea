import { BadRequestException, PipeTransform } from '@nestjs/common';
import {
  ALERT_CATEGORIES,
  alertEventsQuerySchema,
  alertRuleInputSchema,
  anomalyRuleConfigSchema,
  budgetRuleConfigSchema,
  channelInputSchema,
  sandboxCapRuleConfigSchema,
  syncHealthRuleConfigSchema,
  WEBHOOK_FORMATS,
  type ApiError,
  type FieldIssue,
} from '@meridian/contracts';
import { z } from 'zod';
import { ZodQueryPipe } from '../common/zod-query.pipe';

const name = z.string().trim().min(1, 'is required').max(200);

/**
 * A change to a rule: the fields to replace. The kind stays; a kind's settings are replaced whole
 * (the merged rule is validated again as a complete rule).
 */
export const alertRulePatchSchema = z.strictObject({
  name: name.optional(),
  enabled: z.boolean().optional(),
  channelIds: z.array(z.string().min(1)).max(20).optional(),
  kind: z.enum(ALERT_CATEGORIES).optional(),
  budget: budgetRuleConfigSchema.optional(),
  anomaly: anomalyRuleConfigSchema.optional(),
  syncHealth: syncHealthRuleConfigSchema.optional(),
  sandboxCap: sandboxCapRuleConfigSchema.optional(),
});
export type AlertRulePatch = z.output<typeof alertRulePatchSchema>;

/** A change to a channel: the fields to replace (a webhook secret left out is kept). */
export const channelPatchSchema = z.strictObject({
  name: name.optional(),
  to: z.array(z.string()).optional(),
  url: z.string().optional(),
  format: z.enum(WEBHOOK_FORMATS).optional(),
  secret: z.string().optional(),
  weeklyDigest: z.boolean().optional(),
});
export type ChannelPatch = z.output<typeof channelPatchSchema>;

/** zod issues of a JSON body → one message per field, named by its full path ("budget.thresholds.0.percent"). */
export function bodyIssues(error: z.ZodError): FieldIssue[] {
  const issues = error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: 'unknown field' }));
    if (issue.code === 'invalid_union' && at[at.length - 1] === 'kind') {
      const options = (issue as { options?: unknown[] }).options;
      return [{ field: at.join('.'), message: options?.length ? `must be one of: ${options.join(', ')}` : issue.message }];
    }
    return [{ field: at.length ? at.join('.') : '(body)', message: issue.message }];
  });
  // One entry per field ("amount: must be a positive decimal…; must be greater than 0").
  const byField = new Map<string, string[]>();
  for (const i of issues) byField.set(i.field, [...new Set([...(byField.get(i.field) ?? []), i.message])]);
  return [...byField].map(([field, messages]) => ({ field, message: messages.join('; ') }));
}

export function badRequest(issues: FieldIssue[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `Invalid body: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    issues,
  } satisfies ApiError);
}

/** Parses with `schema` or throws a 400 naming every bad field by its path. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw badRequest(bodyIssues(result.error));
  return result.data;
}

/** Validates a JSON body at the edge; nested fields are named by their path. */
export class ZodBodyPathPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    return parseBody(this.schema, value);
  }
}

export const AlertRuleInputPipe = new ZodBodyPathPipe(alertRuleInputSchema);
export const AlertRulePatchPipe = new ZodBodyPathPipe(alertRulePatchSchema);
export const ChannelInputPipe = new ZodBodyPathPipe(channelInputSchema);
export const ChannelPatchPipe = new ZodBodyPathPipe(channelPatchSchema);
export const AlertEventsQueryPipe = ZodQueryPipe(alertEventsQuerySchema, ['status', 'category', 'ruleId', 'limit']);
