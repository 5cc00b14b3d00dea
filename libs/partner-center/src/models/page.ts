/** One page of a collection, validated item by item. */
import type { z } from 'zod';

/** A collection item that failed validation, kept with a readable reason. */
export interface InvalidRecord {
  record: unknown;
  /** `field.path: problem; other.field: problem`. */
  reason: string;
}

export interface Page<T> {
  items: T[];
  invalid: InvalidRecord[];
  /** 1-based. */
  pageNumber: number;
}

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(item)'}: ${issue.message}`)
    .join('; ');
}

/** Validates every item; a bad item goes to `invalid` and never fails the page. */
export function validatePage<S extends z.ZodType>(schema: S, rawItems: readonly unknown[], pageNumber: number): Page<z.output<S>> {
  const items: z.output<S>[] = [];
  const invalid: InvalidRecord[] = [];
  for (const record of rawItems) {
    const result = schema.safeParse(record);
    if (result.success) items.push(result.data);
    else invalid.push({ record, reason: formatIssues(result.error) });
  }
  return { items, invalid, pageNumber };
}
