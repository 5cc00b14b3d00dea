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
  private readonly seen = new Map<string, string | null>();
  /**
   * Every model field, undefined. Copying it gives each record the same fixed shape, so the
   * assignments below stay fast-property stores: adding ~55 computed keys to an empty object one
   * by one turns it into a slow dictionary object (3× slower to build and to validate, measured).
   * An undefined field validates exactly as an absent one (`text` → '', nullish → null, required →
   * "missing"); `attributes` is left out because there a present undefined differs from absent.
   */
  private readonly template: Record<string, unknown> = {};

  constructor(modelKeys: readonly string[], renames: Readonly<Record<string, string>>) {
    for (const key of modelKeys) {
      if (key === 'attributes') continue;
      this.byLowercase.set(key.toLowerCase(), key);
      this.template[key] = undefined;
    }
    for (const [from, to] of Object.entries(renames)) this.byLowercase.set(from, to);
  }

  /** A new object with the model's fields; keys the model does not have are dropped (the schema would strip them). */
  map(record: Record<string, unknown>): Record<string, unknown> {
    const out = { ...this.template };
    for (const key in record) {
      let name = this.seen.get(key);
      if (name === undefined) {
        name = this.byLowercase.get(key.toLowerCase()) ?? null;
        if (this.seen.size < 1000) this.seen.set(key, name);
      }
      if (name !== null) out[name] = record[key];
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
