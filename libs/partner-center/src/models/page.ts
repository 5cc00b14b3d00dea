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

/**
 * A check that only accepts: returns what `schema.parse(record)` would, or `undefined` to let the
 * schema decide (e.g. fastDailyRatedUsageLineItem).
 */
export type FastAccept<T> = (record: unknown) => T | undefined;

const fastPaths = new WeakMap<z.ZodType, FastAccept<unknown>>();

/**
 * Gives a schema a fast path that validatePage uses for it by default (registered next to the
 * schema, e.g. the daily rated usage line item: the hot loop of every usage sync).
 */
export function registerFastAccept<S extends z.ZodType>(schema: S, fast: FastAccept<z.output<S>>): void {
  fastPaths.set(schema, fast);
}

/**
 * Validates every item; a bad item goes to `invalid` and never fails the page. With a fast path
 * (`fast`, or the one registered for the schema; `null` for none), an item it accepts skips the
 * schema; everything else (every rejection and its reason) is the schema's.
 */
export function validatePage<S extends z.ZodType>(
  schema: S,
  rawItems: readonly unknown[],
  pageNumber: number,
  fast: FastAccept<z.output<S>> | null = (fastPaths.get(schema) as FastAccept<z.output<S>> | undefined) ?? null,
): Page<z.output<S>> {
  const items: z.output<S>[] = [];
  const invalid: InvalidRecord[] = [];
  for (const record of rawItems) {
    if (fast) {
      const data = fast(record);
      if (data !== undefined) {
        items.push(data);
        continue;
      }
    }
    const result = schema.safeParse(record);
    if (result.success) items.push(result.data);
    else invalid.push({ record, reason: formatIssues(result.error) });
  }
  return { items, invalid, pageNumber };
}
