/**
 * Legacy Azure (offer MS-AZR-0145P): the Azure rate card (partner-center-api.md §8.1) and Azure
 * utilization records (§5.5). Quantities only; cost = quantity × rate-card price.
 *
 * One demo account (LEGACY_ACCOUNT) has a legacy subscription on its first customer, next to the
 * Azure plan. It adds nothing to daily rated usage or to the ground truth (which sum new-commerce
 * usage), so existing totals are unchanged. Records are a pure function of (seed, account,
 * resource, day); a day exists once the clock has passed it.
 */
import { MARKET_REGIONS, METERS, priceFactor, type MeterDef, type Region } from './catalog';
import { dayOfWeek, dayToYmd } from './dates';
import { MALFORMED_VARIANTS, type FaultInjector } from './faults';
import { guidFrom, sha256Hex, strHash32, u01 } from './hash';
import { Dec, decStr } from './money';
import type { AccountModel, Customer, Subscription } from './profile';

export const LEGACY_OFFER_ID = 'MS-AZR-0145P';
export const LEGACY_ACCOUNT = 'global-us';

/** Meters on the rate card, with a volume tier (threshold, price multiplier) where Azure has one. */
const CARD: readonly { meter: MeterDef; tier?: readonly [number, number]; included?: number }[] = [
  { meter: METERS.vmD2v3 },
  { meter: METERS.vmB2s },
  { meter: METERS.vmE4v5 },
  { meter: METERS.diskP10 },
  { meter: METERS.blobHot, tier: [51200, 0.95] },
  { meter: METERS.blobWrite },
  { meter: METERS.bwOut, tier: [10240, 0.8], included: 5 },
  { meter: METERS.appS1 },
  { meter: METERS.sqlS1 },
  { meter: METERS.laIngest, included: 5 },
];

export interface RateCardMeter {
  id: string;
  meter: MeterDef;
  region: Region;
  /** threshold → unit price (strings, exact) */
  rates: [string, Dec][];
  included: number;
}

/** Rate card of an account in a currency (prices = USD list × the cloud's factor × FX to `currency`). */
export function rateCard(acct: AccountModel, currency: string): RateCardMeter[] {
  const regions = MARKET_REGIONS[acct.def.market].slice(0, 3).map(([r]) => r);
  const fx = currency === acct.def.pricingCurrency ? new Dec(1) : currencyFactor(acct.def.pricingCurrency, currency);
  const factor = new Dec(priceFactor(acct.def.cloud, acct.def.pricingCurrency)).times(fx);
  const out: RateCardMeter[] = [];
  for (const region of regions) {
    for (const c of CARD) {
      const base = new Dec(c.meter.priceUsd).times(factor).toDecimalPlaces(6, Dec.ROUND_HALF_UP);
      const rates: [string, Dec][] = [['0', base]];
      if (c.tier) rates.push([String(c.tier[0]), base.times(c.tier[1]).toDecimalPlaces(6, Dec.ROUND_HALF_UP)]);
      out.push({ id: guidFrom(`ratecard|${acct.def.cloud}|${region.name}|${c.meter.key}`), meter: c.meter, region, rates, included: c.included ?? 0 });
    }
  }
  return out;
}

/** Fixed conversion factors between the simulator's currencies (rate card only). */
const USD_PER: Record<string, string> = { USD: '1', EUR: '1.08', GBP: '1.27', CNY: '0.14' };
export const RATE_CARD_CURRENCIES = Object.keys(USD_PER);
function currencyFactor(from: string, to: string): Dec {
  return new Dec(USD_PER[from] ?? '1').div(USD_PER[to] ?? '1');
}

/** A meter as the rate card serves it (exact decimal strings). */
function meterJson(m: RateCardMeter) {
  return {
    id: m.id,
    name: m.meter.meterName,
    rates: Object.fromEntries(m.rates.map(([k, v]) => [k, decStr(v)])),
    tags: [] as string[],
    category: m.meter.meterCategory,
    subcategory: m.meter.meterSubCategory,
    region: `Azure ${m.region.display}`,
    unit: m.meter.unit,
    includedQuantity: String(m.included),
    effectiveDate: '2024-01-01T00:00:00Z',
  };
}

/** How a meter is served malformed (the `malformed` fault): a price that is not a number, no effective date, a boolean included quantity. */
export const MALFORMED_METER_VARIANTS = ['rate-not-a-number', 'missing-effective-date', 'included-quantity-wrong-type'] as const;
export type MalformedMeter = (typeof MALFORMED_METER_VARIANTS)[number];

/** Serialises one meter with its decimals as JSON numbers (every digit kept), or broken as `variant` says. */
function meterText(m: RateCardMeter, variant: MalformedMeter | null): string {
  const j = meterJson(m);
  let text = JSON.stringify({ ...j, rates: Object.fromEntries(Object.keys(j.rates).map((k) => [k, `@@${k}@@`])), includedQuantity: '@@inc@@' });
  for (const [k, v] of Object.entries(j.rates)) text = text.replace(`"@@${k}@@"`, variant === 'rate-not-a-number' && k === '0' ? '"N/A"' : v);
  text = text.replace('"@@inc@@"', variant === 'included-quantity-wrong-type' ? 'true' : j.includedQuantity);
  return variant === 'missing-effective-date' ? text.replace(/,"effectiveDate":"[^"]*"/, '') : text;
}

/** The "day" a rate card's meters are drawn malformed on (no usage day is negative). */
const RATE_CARD_DAY = -1;

/** Which meter (by position) the account's `malformed` fault breaks, and how. */
export function malformedMeter(faults: FaultInjector, account: string): (i: number) => MalformedMeter | null {
  return (i) => {
    const v = faults.malformed(account, RATE_CARD_DAY, i);
    return v ? MALFORMED_METER_VARIANTS[MALFORMED_VARIANTS.indexOf(v)] : null;
  };
}

/**
 * The account's rate card. `malformed(i)` says which meter (by position) is served broken, so
 * /_sim/ground-truth/ratecard can tell which ones a client should have quarantined.
 */
export function rateCardJson(acct: AccountModel, currency: string, locale: string, malformed: (i: number) => MalformedMeter | null = () => null): string {
  const meters = rateCard(acct, currency).map((m, i) => meterText(m, malformed(i)));
  const offerTerms = [{ name: 'Monetary Credit', discount: 0.0, excludedMeterIds: [], effectiveDate: '2024-01-01T00:00:00Z' }];
  return `{"locale":${JSON.stringify(locale)},"currency":${JSON.stringify(currency)},"isTaxIncluded":false,"meters":[${meters.join(',')}],"offerTerms":${JSON.stringify(offerTerms)},"attributes":{"objectType":"AzureRateCard"}}`;
}

/** Ground truth of a rate card: the meters served intact (exact strings) and the ones served malformed. */
export function rateCardTruth(acct: AccountModel, currency: string, malformed: (i: number) => MalformedMeter | null) {
  const all = rateCard(acct, currency);
  return {
    account: acct.def.id,
    currency,
    meters: all.filter((_, i) => !malformed(i)).map(meterJson),
    malformed: all.flatMap((m, i) => (malformed(i) ? [{ id: m.id, variant: malformed(i) }] : [])),
  };
}

/** Ground truth of legacy usage: each legacy subscription's daily quantities per resource over days [from, toExcl). */
export function legacyTruth(acct: AccountModel, customers: readonly Customer[], from: number, toExcl: number) {
  return customers.flatMap((c) => {
    const l = legacyOf(acct, c);
    if (!l) return [];
    return [
      {
        customerId: c.id,
        subscriptionId: l.sub.id,
        resources: l.resources.map((r) => ({
          meterId: r.card.id,
          resourceUri: r.uri,
          days: Array.from({ length: Math.max(0, toExcl - from) }, (_, i) => ({ day: dayToYmd(from + i), quantity: legacyQuantity(acct, r, from + i) })).filter((d) => d.quantity !== null),
        })),
      },
    ];
  });
}

export interface LegacyResource {
  idx: number;
  card: RateCardMeter;
  name: string;
  uri: string;
  tags: Record<string, string>;
  /** typical daily quantity */
  base: number;
}

export interface LegacySubscription {
  sub: Subscription;
  customer: Customer;
  resources: LegacyResource[];
}

/** The legacy subscription of an account's customer, if it has one. */
export function legacyOf(acct: AccountModel, c: Customer): LegacySubscription | null {
  if (acct.def.id !== LEGACY_ACCOUNT || c.idx !== 0) return null;
  const label = `pc-sim|${acct.seed}|${acct.def.id}|legacy|${c.id}`;
  const created = '2019-06-03T00:00:00Z';
  const sub: Subscription = {
    id: guidFrom(`${label}|sub`),
    entitlementId: guidFrom(`${label}|entitlement`),
    offerId: LEGACY_OFFER_ID,
    offerName: 'Microsoft Azure',
    friendlyName: 'Microsoft Azure (legacy)',
    quantity: 1,
    unitType: 'Usage-based',
    status: 'active',
    creationDate: created,
    effectiveStartDate: created,
    commitmentEndDate: '9999-12-14T00:00:00Z',
    autoRenewEnabled: false,
    billingType: 'usage',
    billingCycle: 'monthly',
    contractType: 'subscription',
    orderId: sha256Hex(`${label}|order`).slice(0, 32),
    isAzurePlan: false,
  };
  const card = rateCard(acct, acct.def.currency).filter((m) => m.region === MARKET_REGIONS[acct.def.market][0][0]);
  const resources = card.map((m, idx): LegacyResource => {
    const name = `${m.meter.meterCategory.toLowerCase().replace(/[^a-z]/g, '').slice(0, 8)}legacy${String(idx).padStart(2, '0')}`;
    const base = m.meter.qty === 'hours' ? 24 : m.meter.qty === 'monthly' ? (m.meter.base * (0.5 + u01(strHash32(label), idx))) / 30 : m.meter.base * (0.5 + u01(strHash32(label), idx, 1));
    return { idx, card: m, name, uri: `/subscriptions/${sub.id}/resourceGroups/rg-legacy/providers/Microsoft.Classic/${name}`, tags: idx % 2 ? { env: 'prod' } : {}, base };
  });
  return { sub, customer: c, resources };
}

/** Quantity of a legacy resource on a day (6 decimals), or null if it reported nothing. */
export function legacyQuantity(acct: AccountModel, r: LegacyResource, day: number): string | null {
  const m = r.card.meter;
  const noise = 1 + m.noise * (2 * u01(acct.key, 0x1e6, r.idx, day) - 1);
  const dow = dayOfWeek(day);
  const weekend = dow === 0 || dow === 6 ? m.weekend : 1;
  const q = r.base * noise * (m.qty === 'volume' ? weekend : 1);
  const s = q.toFixed(6);
  return Number(s) > 0 ? s : null;
}

export function utilizationJson(acct: AccountModel, r: LegacyResource, day: number, quantity: string, hour: number | null, details: boolean): string {
  const ymd = dayToYmd(day);
  const start = hour === null ? `${ymd}T00:00:00+00:00` : `${ymd}T${String(hour).padStart(2, '0')}:00:00+00:00`;
  const endDay = hour === null || hour === 23 ? dayToYmd(day + 1) : ymd;
  const end = hour === null ? `${endDay}T00:00:00+00:00` : `${endDay}T${String(hour === 23 ? 0 : hour + 1).padStart(2, '0')}:00:00+00:00`;
  const instanceData = details
    ? { resourceUri: r.uri, location: r.card.region.name, partNumber: '', orderNumber: '', tags: r.tags, additionalInfo: {} }
    : undefined;
  return JSON.stringify({
    usageStartTime: start,
    usageEndTime: end,
    resource: { id: r.card.id, name: r.card.meter.meterName, category: r.card.meter.meterCategory, subcategory: r.card.meter.meterSubCategory, region: `Azure ${r.card.region.display}` },
    quantity: Number(quantity),
    unit: r.card.meter.unit,
    infoFields: {},
    ...(instanceData ? { instanceData } : {}),
    attributes: { objectType: 'AzureUtilizationRecord' },
  });
}

/** Month-to-date cost of a legacy subscription (tiers on the cumulative monthly quantity, included quantity first). */
export function legacyCost(acct: AccountModel, l: LegacySubscription, fromDay: number, toDayExcl: number): Dec {
  let total = new Dec(0);
  for (const r of l.resources) {
    let q = new Dec(0);
    for (let d = fromDay; d < toDayExcl; d++) {
      const s = legacyQuantity(acct, r, d);
      if (s) q = q.plus(s);
    }
    let billable = Dec.max(0, q.minus(r.card.included));
    const tiers = r.card.rates.map(([k, v]) => [new Dec(k), v] as const);
    for (let i = tiers.length - 1; i >= 0; i--) {
      const over = Dec.max(0, billable.minus(tiers[i][0]));
      total = total.plus(over.times(tiers[i][1]));
      billable = billable.minus(over);
    }
  }
  return total.toDecimalPlaces(8, Dec.ROUND_HALF_UP);
}
