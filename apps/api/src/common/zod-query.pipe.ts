import { BadRequestException, PipeTransform } from '@nestjs/common';
import { DATE_PRESETS, resolveDatePreset, type ApiError, type DatePreset, type FieldIssue } from '@meridian/contracts';
import { apiToday } from './clock';
import { z } from 'zod';

/** zod issues → field-level messages ("groupBy: must be one or two of: …"). */
export function fieldIssues(error: z.ZodError, allowed: string[]): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: key, message: `unknown ${allowed.length ? `parameter; allowed: ${allowed.join(', ')}` : 'field'}` }));
    }
    // The parameter is what the caller can fix; "groupBy.1" would name our parsed form of it.
    return [{ field: issue.path.length ? String(issue.path[0]) : '(request)', message: issue.message }];
  });
}

/** Validates a request's query string or body at the edge; bad input is a 400 naming each bad field. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly what: 'query' | 'body',
    private readonly allowed: string[] = [],
  ) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const issues = fieldIssues(result.error, this.allowed);
    const body: ApiError = {
      statusCode: 400,
      error: 'Bad Request',
      message: `Invalid ${this.what}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      issues,
    };
    throw new BadRequestException(body);
  }
}

export const ZodQueryPipe = <S extends z.ZodType>(schema: S, allowed: string[]) => new ZodPipe(schema, 'query', allowed);

/**
 * A cost query: `preset=mtd|last-month|…` fills from/to with the api's clock, then the schema
 * validates everything (preset and from/to together is refused: which one would win?).
 */
export class CostQueryPipe<S extends z.ZodType> extends ZodPipe<S> {
  constructor(schema: S, allowed: string[]) {
    super(schema, 'query', allowed);
  }

  override transform(value: unknown): z.output<S> {
    const query = { ...((value ?? {}) as Record<string, unknown>) };
    const preset = query.preset;
    if (typeof preset === 'string' && (DATE_PRESETS as readonly string[]).includes(preset)) {
      if (query.from !== undefined || query.to !== undefined) {
        throw new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          message: 'Invalid query: preset: cannot be combined with from/to',
          issues: [{ field: 'preset', message: 'cannot be combined with from/to' }],
        } satisfies ApiError);
      }
      Object.assign(query, resolveDatePreset(preset as DatePreset, apiToday()));
    }
    return super.transform(query);
  }
}
export const ZodBodyPipe = <S extends z.ZodType>(schema: S) => new ZodPipe(schema, 'body');
