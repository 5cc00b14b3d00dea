import { BadRequestException, PipeTransform } from '@nestjs/common';
import type { ApiError, FieldIssue } from '@meridian/contracts';
import { z } from 'zod';

/** zod issues → field-level messages ("groupBy: must be one or two of: …"). */
export function fieldIssues(error: z.ZodError, allowed: string[]): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: key, message: `unknown parameter; allowed: ${allowed.join(', ')}` }));
    }
    // The parameter is what the caller can fix; "groupBy.1" would name our parsed form of it.
    return [{ field: issue.path.length ? String(issue.path[0]) : '(query)', message: issue.message }];
  });
}

/** Validates a request's query string at the edge; a bad one is a 400 naming each bad parameter. */
export class ZodQueryPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly allowed: string[],
  ) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const issues = fieldIssues(result.error, this.allowed);
    const body: ApiError = {
      statusCode: 400,
      error: 'Bad Request',
      message: `Invalid query: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      issues,
    };
    throw new BadRequestException(body);
  }
}
