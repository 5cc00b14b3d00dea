/**
 * The lines of an export blob → validated line items, or quarantined records with their reason.
 * Runs on the main thread or in the blob decoder thread (blob-decoder.ts): both give the same
 * items, in the same order, with the same reasons.
 */
import type { z } from 'zod';
import { billingLineItemSchema } from '../models/billing-line-item';
import { dailyRatedUsageLineItemSchema } from '../models/daily-rated-usage';
import { validateRecord } from '../models/page';
import { parseExportLine } from './export-line';
import { reconciliationFieldMapper, usageFieldMapper, type FieldNameMapper } from './field-names';

/** Which model an export's lines are: by name, so a decoder thread can build the same one. */
export type ExportDataset = 'usage' | 'reconciliation';

/** What one decoded line is (`kinds[i]` of DecodedLines). */
export const DECODED_ITEM = 0;
/** Not a JSON object: the quarantined record is the line's text. */
export const DECODED_NOT_JSON = 1;
/** JSON, but the model refused it: the quarantined record is the mapped object. */
export const DECODED_INVALID = 2;

/**
 * Consecutive non-empty lines of one blob, from `firstLine` (1-based, as the checkpoint counts
 * them): `values[i]` is the item or the InvalidRecord, `kinds[i]` says which. Parallel arrays keep
 * what crosses from the decoder thread small.
 */
export interface DecodedLines {
  firstLine: number;
  kinds: number[];
  values: unknown[];
}

export function exportModel(dataset: ExportDataset): { mapper: FieldNameMapper; schema: z.ZodType } {
  return dataset === 'usage'
    ? { mapper: usageFieldMapper(), schema: dailyRatedUsageLineItemSchema }
    : { mapper: reconciliationFieldMapper(), schema: billingLineItemSchema };
}

export class ExportLineDecoder {
  private readonly mapper: FieldNameMapper;
  private readonly schema: z.ZodType;
  /** Non-empty lines seen so far in the blob, skipped ones included. */
  private line = 0;

  constructor(
    dataset: ExportDataset,
    private readonly blobName: string,
    /** Lines already delivered before (a resumed blob): counted, not decoded. */
    private readonly skip: number,
  ) {
    ({ mapper: this.mapper, schema: this.schema } = exportModel(dataset));
  }

  /** Decodes the next lines of the blob; null when they were all skipped. */
  decode(lines: readonly string[]): DecodedLines | null {
    const kinds: number[] = [];
    const values: unknown[] = [];
    let firstLine = 0;
    for (const text of lines) {
      this.line += 1;
      if (this.line <= this.skip) continue;
      if (firstLine === 0) firstLine = this.line;
      const parsed = parseExportLine(text, this.mapper, `blob ${this.blobName} line ${this.line}`);
      if (parsed.invalid) {
        kinds.push(DECODED_NOT_JSON);
        values.push(parsed.invalid);
        continue;
      }
      const valid = validateRecord(this.schema, parsed.record);
      kinds.push(valid.ok ? DECODED_ITEM : DECODED_INVALID);
      values.push(valid.ok ? valid.item : { record: parsed.record, reason: valid.reason });
    }
    return firstLine === 0 ? null : { firstLine, kinds, values };
  }
}
