/**
 * Exact JSON parsing for money.
 *
 * Partner Center sends amounts as JSON *numbers* with up to ~20 decimals (e.g.
 * `"unitPrice": 0.09600000000000000001`). `JSON.parse` would turn them into IEEE-754 doubles and
 * silently drop digits, and nothing downstream could get them back. So, before parsing, we rewrite
 * the number token of each known decimal key into a JSON string (`"unitPrice":"0.0960…01"`), keeping
 * every digit; the zod models then validate and normalise those strings.
 *
 * Why a targeted regex is safe: the pattern needs `"key"` immediately followed by `:` and a number.
 * Inside a JSON string every `"` is escaped as `\"`, so text like `"tags": "{\"unitPrice\":1}"` can
 * never match (the key's closing quote is preceded by a backslash). Only real object keys match, and
 * a single linear `replace` over a 2,000-item page is fast (no second tokenizer, no reviver, which
 * would only see the already-rounded double anyway).
 */

/** JSON number grammar (RFC 8259), anchored by the lookahead to the end of the token. */
const JSON_NUMBER = String.raw`-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?`;

const cache = new Map<string, RegExp>();

function patternFor(keys: readonly string[]): RegExp {
  const cacheKey = keys.join('\u0000');
  let re = cache.get(cacheKey);
  if (!re) {
    const alternatives = keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    re = new RegExp(String.raw`"(${alternatives})"(\s*:\s*)(${JSON_NUMBER})(?=\s*[,}\]])`, 'g');
    cache.set(cacheKey, re);
  }
  re.lastIndex = 0;
  return re;
}

/** Rewrites `"key": <number>` into `"key": "<number>"` for the given keys (any nesting depth). */
export function quoteDecimalFields(json: string, keys: readonly string[]): string {
  if (keys.length === 0) return json;
  return json.replace(patternFor(keys), '"$1"$2"$3"');
}

/** `JSON.parse` that keeps the listed decimal keys as exact strings. Throws SyntaxError like JSON.parse. */
export function parseExactJson(json: string, decimalKeys: readonly string[] = []): unknown {
  return JSON.parse(quoteDecimalFields(json, decimalKeys));
}

/**
 * A JSON number that is an object member's value: an unescaped `"` (the end of a key: inside a
 * string every `"` is escaped, and after a string *value* comes `,`, `}` or `]`, never `:`), the
 * colon, the number. A key ending in an escaped backslash (`"a\\":1`) is not matched: that number
 * stays a JSON number and the schema rejects it as inexact, never silently rounds it.
 */
const MEMBER_NUMBER = new RegExp(String.raw`(?<!\\)"(\s*:\s*)(${JSON_NUMBER})(?=\s*[,}\]])`, 'g');

/**
 * `JSON.parse` that keeps *every* member number as its exact decimal text (for records whose
 * amounts may come as numbers or numeric strings under keys spelled in any case, e.g. the Graph
 * billing export). Use only where no field is meant to be a JSON number. Throws SyntaxError.
 */
export function parseJsonNumbersAsText(json: string): unknown {
  return JSON.parse(json.replace(MEMBER_NUMBER, '"$1"$2"'));
}
