import { BadRequestException, PipeTransform } from '@nestjs/common';
import type { ApiError, FieldIssue } from '@meridian/contracts';
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
export const ZodBodyPipe = <S extends z.ZodType>(schema: S) => new ZodPipe(schema, 'body');
