import { createHash } from 'node:crypto';
import { normalizeDecimal, sumDecimals, tieredIncrement, tiersOf, toDecimal, type TieredPrice } from '@meridian/finops';
import type { InvalidRecord, UtilizationRecord } from '@meridian/partner-center';
import { AccessScope, ESTIMATED_SOURCE, type CostRow, type SubscriptionEntity } from '@meridian/store';
import { normalizeRegion } from '../usage/usage-line-item.mapper';
import { serviceCategoryOf } from '../usage/service-category';
import type { StreamContext, SyncStreamRunner } from './stream-context';

const DAY = /^\d{4}-\d{2}-\d{2}/;

/** One resource's use of one meter on one day (records of the same key are added up). */
interface Usage {
  day: string;
  meterId: string;
  resourceUri: string;
  quantity: string;
  record: UtilizationRecord;
}

function monthStart(d: Date, monthsBack = 0): string {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack, 1)).toISOString().slice(0, 10);
}

function resourceGroupOf(uri: string): string {
  return /\/resourceGroups\/([^/]+)/i.exec(uri)?.[1] ?? '';
}

/** Natural key of an estimate: account + legacy subscription + day + meter + resource. */
export function estimateNaturalKey(subscriptionId: string, u: Pick<Usage, 'day' | 'meterId' | 'resourceUri'>): string {
  return createHash('sha256').update(['estimated', subscriptionId, u.day, u.meterId, u.resourceUri].join('\u001f')).digest('base64url');
}

/** The unit price of the tier a cumulative quantity ends in (the row's marginal price). */
function marginalPrice(cumulative: string, price: TieredPrice): string {
  const billable = toDecimal(cumulative).minus(toDecimal(price.includedQuantity));
  if (billable.lte(0)) return '0';
  const tiers = tiersOf(price);
  return normalizeDecimal([...tiers].reverse().find((t) => billable.gt(t.from))!.price);
}

/**
 * Legacy Azure (MS-AZR-0145P) subscriptions report quantities only (utilization records, §5.5).
 * Their cost is estimated from the account's rate card: per subscription × meter × month, the
 * graduated tiers apply to the month's cumulative quantity (included quantity free), day by day in
 * order, so a month's rows add up to its tiered cost exactly. Rows are x_source 'estimated' and
 * replace the subscription's estimates of the month in one transaction; cost reads leave them out
 * unless asked (docs/decisions/0013-prices-and-legacy-estimates.md). Reads the current and the
 * previous month, by the worker's clock.
 */
export class LegacyUtilizationStream implements SyncStreamRunner {
  readonly stream = 'legacy-utilization' as const;

  async run(ctx: StreamContext): Promise<void> {
    const customerIds = await ctx.store.catalog.customerIds(ctx.accountId);
    const subs = (await ctx.store.catalog.listSubscriptions(ctx.accountId, customerIds)).filter((s) => s.kind === 'legacy_azure');
    if (subs.length === 0) return;
    const prices = await ctx.store.prices.tieredPrices(ctx.accountId);
    if (prices.size === 0) throw new Error('no rate card is stored for this account yet: the prices stream must run first');
    const names = new Map((await ctx.store.catalog.listCustomers(AccessScope.accounts([ctx.accountId]), [ctx.accountId])).map((c) => [c.id, c.companyName]));
    const now = ctx.now();
    const months = [monthStart(now, 1), monthStart(now)];
    let done = 0;
    for (const sub of subs) {
      const usage = await this.read(ctx, sub, months[0], now);
      for (const month of months) {
        const rows = this.estimate(ctx, sub, names.get(sub.customerId) ?? '', usage.filter((u) => u.day.slice(0, 7) === month.slice(0, 7)), prices, month);
        await ctx.quarantine(rows.invalid);
        await ctx.store.costs.replaceEstimated(ctx.accountId, sub.id, month, rows.rows);
        ctx.progress.rows += rows.rows.length;
      }
      await ctx.unitsProgress(++done, subs.length);
    }
  }

  /** Every utilization record of the subscription from `from` to now, added up per day × meter × resource. */
  private async read(ctx: StreamContext, sub: SubscriptionEntity, from: string, now: Date): Promise<Usage[]> {
    const byKey = new Map<string, Usage>();
    const pages = ctx.client.utilizationRecords({ customerId: sub.customerId, subscriptionId: sub.id, startTime: `${from}T00:00:00Z`, endTime: now.toISOString(), granularity: 'daily', showDetails: true });
    for await (const page of pages) {
      const invalid: InvalidRecord[] = [...page.invalid];
      for (const r of page.items) {
        if (!DAY.test(r.usageStartTime)) {
          invalid.push({ record: r, reason: `usageStartTime: not an ISO date (${JSON.stringify(r.usageStartTime)})` });
          continue;
        }
        const u = { day: r.usageStartTime.slice(0, 10), meterId: r.resource.id, resourceUri: r.instanceData?.resourceUri ?? '' };
        const key = estimateNaturalKey(sub.id, u);
        const seen = byKey.get(key);
        byKey.set(key, { ...u, quantity: seen ? sumDecimals([seen.quantity, r.quantity]) : r.quantity, record: seen?.record ?? r });
      }
      await ctx.quarantine(invalid);
      await ctx.pageDone(0);
    }
    return [...byKey.values()];
  }

  private estimate(
    ctx: StreamContext,
    sub: SubscriptionEntity,
    customerName: string,
    usage: Usage[],
    prices: Map<string, TieredPrice & { currency: string }>,
    month: string,
  ): { rows: CostRow[]; invalid: InvalidRecord[] } {
    const rows: CostRow[] = [];
    const invalid: InvalidRecord[] = [];
    const cumulative = new Map<string, string>();
    const ingestedAt = new Date().toISOString();
    // Day order, then resource: the tiers see the month's quantity as it accumulated.
    for (const u of [...usage].sort((a, b) => a.day.localeCompare(b.day) || a.meterId.localeCompare(b.meterId) || a.resourceUri.localeCompare(b.resourceUri))) {
      const price = prices.get(u.meterId);
      if (!price) {
        invalid.push({ record: u.record, reason: `resource.id: meter ${u.meterId} is not on the account's rate card (no price to estimate with)` });
        continue;
      }
      const before = cumulative.get(u.meterId) ?? '0';
      const after = sumDecimals([before, u.quantity]);
      cumulative.set(u.meterId, after);
      const cost = tieredIncrement(before, u.quantity, price);
      const r = u.record;
      rows.push({
        billingAccountId: ctx.accountId,
        xNaturalKey: estimateNaturalKey(sub.id, u),
        xCloud: ctx.cloud,
        xCustomerId: sub.customerId,
        xCustomerName: customerName,
        xPlanId: sub.id,
        subAccountId: sub.id,
        subAccountName: sub.friendlyName,
        serviceName: r.resource.category || 'Unknown',
        serviceCategory: serviceCategoryOf(r.resource.category || ''),
        regionId: normalizeRegion(r.instanceData?.location ?? '', r.resource.region),
        regionName: r.resource.region || r.instanceData?.location || '',
        resourceId: u.resourceUri,
        xResourceGroup: resourceGroupOf(u.resourceUri),
        xMeterId: u.meterId,
        xMeterName: r.resource.name,
        xMeterSubcategory: r.resource.subcategory,
        chargeCategory: 'Usage',
        xChargeType: 'new',
        chargePeriodStart: u.day,
        billingPeriodStart: month,
        invoiceId: null,
        consumedQuantity: u.quantity,
        consumedUnit: r.unit,
        xUnitPrice: marginalPrice(after, price),
        xEffectiveUnitPrice: marginalPrice(after, price),
        billedCost: cost,
        billingCurrency: price.currency,
        effectiveCost: cost,
        // The card is the partner's price list: no customer-facing list price is known for an estimate.
        xListCost: null,
        xPricingCost: cost,
        pricingCurrency: price.currency,
        xExchangeRate: '1',
        xExchangeRateDate: month,
        xPartnerEarnedCreditRate: '0',
        tags: JSON.stringify(r.instanceData?.tags ?? {}),
        xSource: ESTIMATED_SOURCE,
        xSyncRunId: ctx.runId,
        xIngestedAt: ingestedAt,
      });
    }
    return { rows, invalid };
  }
}
