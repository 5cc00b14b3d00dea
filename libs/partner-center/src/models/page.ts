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
  fast: FastAccept<z.output<S>> | null = fastAcceptOf(schema),
): Page<z.output<S>> {
  const items: z.output<S>[] = [];
  const invalid: InvalidRecord[] = [];
  for (const record of rawItems) {
    const result = validateRecord(schema, record, fast);
    if (result.ok) items.push(result.item);
    else invalid.push({ record, reason: result.reason });
  }
  return { items, invalid, pageNumber };
}

/** The fast path registered for `schema`, or null. */
export function fastAcceptOf<S extends z.ZodType>(schema: S): FastAccept<z.output<S>> | null {
  return (fastPaths.get(schema) as FastAccept<z.output<S>> | undefined) ?? null;
}

/** One record, as validatePage validates each (the fast path first, then the schema and its reason). */
export function validateRecord<S extends z.ZodType>(
  schema: S,
  record: unknown,
  fast: FastAccept<z.output<S>> | null = fastAcceptOf(schema),
): { ok: true; item: z.output<S> } | { ok: false; reason: string } {
  if (fast) {
    const data = fast(record);
    if (data !== undefined) return { ok: true, item: data };
  }
  const result = schema.safeParse(record);
  return result.success ? { ok: true, item: result.data } : { ok: false, reason: formatIssues(result.error) };
}
