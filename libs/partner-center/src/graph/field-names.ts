/**
 * Graph export lines name the v1 fields in PascalCase, with a few renames (partner-center-api.md
 * §5.5), and the docs and samples disagree on casing (`BenefitOrderID` vs `BenefitOrderId`). So
 * keys are compared case-insensitively and mapped onto the v1 camelCase models, which then validate
 * them exactly as a v1 page.
 */
import { billingLineItemSchema } from '../models/billing-line-item';
import { dailyRatedUsageLineItemSchema } from '../models/daily-rated-usage';

/** Graph usage names (lowercase) whose v1 name differs by more than case. */
const USAGE_RENAMES: Readonly<Record<string, string>> = {
  tier2mpnid: 'resellerMpnId',
  unit: 'unitOfMeasure',
  partnerearnedcreditpercentage: 'rateOfPartnerEarnedCredit',
  creditpercentage: 'rateOfCredit',
};

/** Graph reconciliation names (lowercase) whose §6 v1 name differs by more than case. */
const RECONCILIATION_RENAMES: Readonly<Record<string, string>> = {
  total: 'totalForCustomer',
  tier2mpnid: 'resellerMpnId',
};

/** Maps a record's keys, whatever their case, onto one model's camelCase names. */
export class FieldNameMapper {
  private readonly byLowercase = new Map<string, string>();
  /** Keys as spelled in the lines: every line repeats the same few spellings, so lowercase each once. */
  private readonly seen = new Map<string, string>();

  constructor(modelKeys: readonly string[], renames: Readonly<Record<string, string>>) {
    for (const key of modelKeys) this.byLowercase.set(key.toLowerCase(), key);
    for (const [from, to] of Object.entries(renames)) this.byLowercase.set(from, to);
  }

  /** A new object with mapped keys; unknown keys are kept as they are (the schema strips them). */
  map(record: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key in record) {
      let name = this.seen.get(key);
      if (name === undefined) {
        name = this.byLowercase.get(key.toLowerCase()) ?? key;
        if (this.seen.size < 1000) this.seen.set(key, name);
      }
      out[name] = record[key];
    }
    return out;
  }
}

export function usageFieldMapper(): FieldNameMapper {
  return new FieldNameMapper(Object.keys(dailyRatedUsageLineItemSchema.shape), USAGE_RENAMES);
}

export function reconciliationFieldMapper(): FieldNameMapper {
  return new FieldNameMapper(Object.keys(billingLineItemSchema.shape), RECONCILIATION_RENAMES);
}
