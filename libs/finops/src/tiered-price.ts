import { MoneyDecimal, normalizeDecimal, toDecimal } from './decimal';

/**
 * A rate-card meter's price (partner-center-api.md §8.1): `rates` maps a quantity threshold to the
 * unit price from that threshold on (graduated tiers), and `includedQuantity` units each month are
 * free. Thresholds count billable units, i.e. after the included quantity (as the Partner Center
 * simulator prices legacy usage; docs/decisions/0013-prices-and-legacy-estimates.md).
 */
export interface TieredPrice {
  /** threshold → unit price, decimal strings; one threshold must be "0". */
  rates: Readonly<Record<string, string>>;
  includedQuantity: string;
}

/** One tier's share of a quantity. */
export interface TierShare {
  /** Billable units from … to (exclusive upper bound; null = no upper bound). */
  from: string;
  to: string | null;
  unitPrice: string;
  quantity: string;
  cost: string;
}

interface Tier {
  from: MoneyDecimal;
  price: MoneyDecimal;
}

/** The tiers in ascending order; refuses what no price can be computed from (callers validated already). */
export function tiersOf(price: TieredPrice): Tier[] {
  const tiers = Object.entries(price.rates)
    .map(([threshold, unitPrice]) => ({ from: toDecimal(threshold), price: toDecimal(unitPrice) }))
    .sort((a, b) => a.from.comparedTo(b.from));
  if (tiers.length === 0) throw new Error('a tiered price needs at least one rate');
  if (!tiers[0].from.isZero()) throw new Error(`the lowest tier starts at ${tiers[0].from.toFixed()}, not 0`);
  if (tiers.some((t) => t.price.isNegative())) throw new Error('a unit price is negative');
  if (toDecimal(price.includedQuantity).isNegative()) throw new Error('the included quantity is negative');
  return tiers;
}

/** How a cumulative quantity (e.g. a month's use of one meter) splits over the free part and the tiers. */
export function tierShares(quantity: string, price: TieredPrice): { included: string; tiers: TierShare[]; cost: string } {
  const tiers = tiersOf(price);
  const q = toDecimal(quantity);
  if (q.isNegative()) throw new Error(`a quantity cannot be negative: ${quantity}`);
  const included = MoneyDecimal.min(q, toDecimal(price.includedQuantity));
  const billable = q.minus(included);
  const shares: TierShare[] = [];
  let cost = new MoneyDecimal(0);
  tiers.forEach((tier, i) => {
    const next = tiers[i + 1]?.from;
    if (billable.lte(tier.from)) return;
    const units = (next && billable.gt(next) ? next : billable).minus(tier.from);
    const tierCost = units.times(tier.price);
    cost = cost.plus(tierCost);
    shares.push({ from: normalizeDecimal(tier.from), to: next ? normalizeDecimal(next) : null, unitPrice: normalizeDecimal(tier.price), quantity: normalizeDecimal(units), cost: normalizeDecimal(tierCost) });
  });
  return { included: normalizeDecimal(included), tiers: shares, cost: normalizeDecimal(cost) };
}

/** Exact cost of a cumulative quantity under graduated tiers, included quantity free. */
export function tieredCost(quantity: string, price: TieredPrice): string {
  return tierShares(quantity, price).cost;
}

/**
 * Cost of `quantity` more units once `before` units were already used in the period: the
 * difference of the cumulative costs, so the increments of a month add up to the month's
 * tiered cost exactly, whatever the order of days.
 */
export function tieredIncrement(before: string, quantity: string, price: TieredPrice): string {
  const after = toDecimal(before).plus(toDecimal(quantity));
  return normalizeDecimal(toDecimal(tieredCost(after.toFixed(), price)).minus(toDecimal(tieredCost(before, price))));
}
