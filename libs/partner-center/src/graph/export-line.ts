/** One line of an export blob → a record under the v1 field names, or an InvalidRecord with its reason. */
import { parseJsonNumbersAsText } from '../exact-json';
import type { InvalidRecord } from '../models/page';
import type { FieldNameMapper } from './field-names';

export type ParsedLine = { record: Record<string, unknown>; invalid?: undefined } | { record?: undefined; invalid: InvalidRecord };

/** Longest line text kept in an InvalidRecord (a garbled blob can have megabyte "lines"). */
const MAX_QUARANTINED_LINE = 64 * 1024;

export function parseExportLine(line: string, mapper: FieldNameMapper, where: string): ParsedLine {
  let value: unknown;
  try {
    // Every member number is kept as its exact text: amounts may be numbers or numeric strings, and
    // the models accept only decimal strings (never a double that already lost digits).
    value = parseJsonNumbersAsText(line);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { invalid: { record: quarantined(line), reason: `${where}: not valid JSON (${message})` } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { invalid: { record: quarantined(line), reason: `${where}: not a JSON object` } };
  }
  return { record: mapper.map(value as Record<string, unknown>) };
}

function quarantined(line: string): string {
  return line.length > MAX_QUARANTINED_LINE ? `${line.slice(0, MAX_QUARANTINED_LINE)}…(${line.length} chars)` : line;
}
