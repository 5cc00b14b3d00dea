import { hash } from 'node:crypto';
import type { DailyRatedUsageLineItem } from '@meridian/partner-center';
import { PENDING_SOURCE, type CostRow } from '@meridian/store';
import { exactProduct } from './exact-product';
import { serviceCategoryOf } from './service-category';

export interface UsageMappingContext {
  accountId: string;
  cloud: string;
  /** The account's billing currency: a line in another currency is quarantined, not summed. */
  currency: string;
  syncRunId: string;
  ingestedAt: string;
  /**
   * Billed usage: the invoice being read. It keys the rows (even if an item's invoiceNumber is
   * empty) and the rows are written as 'pending' until the invoice replaces the unbilled ones.
   */
  invoiceId?: string;
}

export type MappingResult = { ok: true; row: CostRow } | { ok: false; reason: string };

const ISO_DAY = /^\d{4}-\d{2}-\d{2}/;

/**
 * Remembers a pure function of a string for the values a sync meets again and again (the same
 * few dates, tag sets and regions on thousands of line items). Bounded: starts over when full.
 */
export function memoize<R>(fn: (s: string) => R, max = 4096): (s: string) => R {
  const cache = new Map<string, R>();
  return (s) => {
    let r = cache.get(s);
    if (r === undefined && !cache.has(s)) {
      r = fn(s);
      if (cache.size >= max) cache.clear();
      cache.set(s, r);
    }
    return r as R;
  };
}

const dayOfText = memoize((value: string): string | null => {
  if (!ISO_DAY.test(value)) return null;
  const day = value.slice(0, 10);
  return Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ? null : day;
});

/** Day of an ISO timestamp as written (Partner Center dates may carry offsets: keep their day). */
function dayOf(value: string | undefined | null): string | null {
  return value ? dayOfText(value) : null;
}

/** "West Europe" / "westeurope" / "EU West" → a stable lowercase id. */
export function normalizeRegion(resourceLocation: string, meterRegion: string): string {
  const source = resourceLocation.trim() || meterRegion.trim();
  return source ? source.toLowerCase().replace(/[\s_-]+/g, '') : 'unassigned';
}

const tagsJson = memoize(tagsJsonOf);
function tagsJsonOf(tags: string): string {
  if (!tags.trim()) return '{}';
  try {
    const parsed = JSON.parse(tags);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? JSON.stringify(parsed) : JSON.stringify({ _raw: tags });
  } catch {
    // Keep what Partner Center sent rather than lose it.
    return JSON.stringify({ _raw: tags });
  }
}

/**
 * The natural key of a daily rated usage line (partner-center-api.md §5.3): account + invoice (or
 * unbilled period) + Azure subscription + day + meter + resource + charge type + unit price,
 * hashed so the unique index stays narrow.
 */
export function usageNaturalKey(item: DailyRatedUsageLineItem, billingPeriodStart: string, usageDay: string, invoiceId = item.invoiceNumber): string {
  const scope = invoiceId ? `invoice:${invoiceId}` : `unbilled:${billingPeriodStart}`;
  const parts = [scope, item.entitlementId, usageDay, item.meterId, item.resourceUri, item.chargeType, item.unitPrice];
  return hash('sha256', parts.join('\u001f'), 'base64url');
}

/** Maps one validated line item to a cost row, or says why it cannot be used. */
export function mapUsageLineItem(item: DailyRatedUsageLineItem, ctx: UsageMappingContext): MappingResult {
  const usageDay = dayOf(item.usageDate);
  if (!usageDay) return { ok: false, reason: `usageDate: not an ISO date (${JSON.stringify(item.usageDate)})` };
  const billingPeriodStart = dayOf(item.chargeStartDate);
  if (!billingPeriodStart) return { ok: false, reason: `chargeStartDate: not an ISO date (${JSON.stringify(item.chargeStartDate)})` };
  if (!item.entitlementId) return { ok: false, reason: 'entitlementId: empty (cannot attribute usage to an Azure subscription)' };
  if (item.billingCurrency.toUpperCase() !== ctx.currency.toUpperCase()) {
    return { ok: false, reason: `billingCurrency: ${item.billingCurrency} differs from the account's billing currency ${ctx.currency}` };
  }
  if (ctx.invoiceId && item.invoiceNumber && item.invoiceNumber !== ctx.invoiceId) {
    return { ok: false, reason: `invoiceNumber: ${item.invoiceNumber} is not the invoice being read (${ctx.invoiceId})` };
  }
  // The client hands over canonical decimal strings (DecimalString): stored as they are.
  const billed = item.billingPreTaxTotal;
  const invoiceId = ctx.invoiceId ?? (item.invoiceNumber || null);
  return {
    ok: true,
    row: {
      billingAccountId: ctx.accountId,
      xNaturalKey: usageNaturalKey(item, billingPeriodStart, usageDay, invoiceId ?? ''),
      xCloud: ctx.cloud,
      xCustomerId: item.customerId || '',
      xCustomerName: item.customerName || '',
      xPlanId: item.subscriptionId || '',
      subAccountId: item.entitlementId,
      subAccountName: item.entitlementDescription || '',
      serviceName: item.meterCategory || 'Unknown',
      serviceCategory: serviceCategoryOf(item.meterCategory || ''),
      regionId: normalizeRegion(item.resourceLocation || '', item.meterRegion || ''),
      regionName: item.meterRegion || item.resourceLocation || '',
      resourceId: item.resourceUri || '',
      xResourceGroup: item.resourceGroup || '',
      xMeterId: item.meterId || '',
      xMeterName: item.meterName || '',
      xMeterSubcategory: item.meterSubCategory || '',
      chargeCategory: 'Usage',
      xChargeType: item.chargeType || 'new',
      chargePeriodStart: usageDay,
      billingPeriodStart,
      invoiceId,
      consumedQuantity: item.quantity,
      consumedUnit: item.unitOfMeasure || item.unitType || '',
      xUnitPrice: item.unitPrice,
      xEffectiveUnitPrice: item.effectiveUnitPrice,
      billedCost: billed,
      billingCurrency: item.billingCurrency.toUpperCase(),
      effectiveCost: billed,
      xListCost: exactProduct(item.quantity, item.unitPrice, item.pcToBCExchangeRate),
      xPricingCost: item.pricingPreTaxTotal,
      pricingCurrency: (item.pricingCurrency || item.billingCurrency).toUpperCase(),
      xExchangeRate: item.pcToBCExchangeRate,
      xExchangeRateDate: dayOf(item.pcToBCExchangeRateDate) ?? billingPeriodStart,
      xPartnerEarnedCreditRate: item.rateOfPartnerEarnedCredit ?? '0',
      tags: tagsJson(item.tags || ''),
      xSource: ctx.invoiceId ? PENDING_SOURCE : invoiceId ? 'billed' : 'unbilled',
      xSyncRunId: ctx.syncRunId,
      xIngestedAt: ctx.ingestedAt,
    },
  };
}

/**
 * Line items mapped per synchronous slice: a 2,000-item page mapped in one go holds the event loop
 * (and every dashboard request of the embedded mode) for tens of milliseconds.
 */
export const MAP_SLICE = 250;
