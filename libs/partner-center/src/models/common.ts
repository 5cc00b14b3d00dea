/** Shared zod building blocks for Partner Center models. */
import Decimal from 'decimal.js';
import { z } from 'zod';

/** Already-normalised decimal text (no exponent, no trailing zeros, no `+`); `-0` is excluded apart. */
export const CANONICAL_DECIMAL = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;

/** Plain decimal text as produced by exact-json.ts from a JSON number (exponent allowed). */
export const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Normalises text that matched DECIMAL_TEXT. Most amounts are already canonical ("2.04", "-0.5"):
 * those are kept as they are (fast path, no allocation); anything else (exponents, trailing zeros,
 * "+", "-0") goes through decimal.js.
 */
export function normalizeDecimalText(s: string): string {
  return CANONICAL_DECIMAL.test(s) && s !== '-0' ? s : new Decimal(s).toFixed();
}

/**
 * An exact decimal amount as a normalised string (`"0.096"`, `"-12.5"`, `"0.00000001"`): plain
 * notation, no exponent, no trailing zeros, no `-0`. Construct `new Decimal(value)` to compute.
 *
 * Only strings are accepted: a JSON number here would mean exact-json.ts did not capture the key,
 * and the value would already have lost precision.
 */
export const decimalString = z
  .string({ error: (iss) => (iss.input === undefined ? 'required decimal is missing' : 'expected a decimal string (exact JSON number)') })
  .trim()
  .regex(DECIMAL_TEXT, 'expected a decimal number')
  .transform(normalizeDecimalText)
  .brand<'DecimalString'>();
export type DecimalString = z.infer<typeof decimalString>;

/** ISO 8601 date or date-time, `Z` or offset (`2019-08-28T00:00:00-07:00`); kept as text. */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
export const isoDateTime = z.string().regex(ISO_DATE_TIME, 'expected an ISO 8601 date-time');

/** Descriptive text the API often sends as `""` (or null / not at all); normalised to `''`. */
export const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');

/** Non-empty identifier. */
export const id = z.string().min(1, 'must not be empty');

/** `attributes.objectType` tag every item carries; when present it must name the expected type. */
export function objectType<T extends string>(name: T) {
  return z.object({ objectType: z.literal(name) }).optional();
}
