/**
 * Daily rated usage generator.
 *
 * An item is a pure function of (seed, account, day, position): position = slotIndex × 2 + k,
 * where k = 0 is the "new" charge of a slot (entitlement × resource × meter) on that day and
 * k = 1 an occasional "cancel" (refund) for it. Nothing per period is materialised: a page is
 * produced by walking (day, position) from a cursor, so memory stays flat whatever the volume.
 *
 * The only cross-item state is the Integration Sandbox cap (usage of an Azure subscription stops
 * accruing once it reaches 200 USD in a calendar month). For capped accounts a day is walked from
 * position 0 with the per-entitlement month-to-date totals at the start of that day, which are
 * computed day by day and cached (small: entitlements × days).
 */
import { dayOfWeek, dayToIso, monthKey, monthStart, nextMonthStart } from './dates';
import { strHash32, u01 } from './hash';
import { Dec, ZERO, decStr, round8 } from './money';
import type { PlantedSpike } from './anomalies';
import type { AccountModel, Slot } from './profile';

export type ChargeType = 'new' | 'cancel';

export interface UsageItem {
  slot: Slot;
  day: number;
  pos: number;
  chargeType: ChargeType;
  quantity: Dec;
  pricingTotal: Dec;
  billingTotal: Dec;
  fx: MonthInfo;
}

export interface MonthInfo {
  rate: Dec;
  rateStr: string;
  /** pcToBCExchangeRateDate and chargeStartDate */
  startIso: string;
  /** chargeEndDate (start of next month, as in the reference sample) */
  endIso: string;
  days: number;
}

export interface Cursor {
  day: number;
  pos: number;
}

/** Reference point of the slow quantity trend (2025-01-01). */
const TREND_ORIGIN = 20089;
const CANCEL_PROBABILITY = 0.002;
const CAP_CACHE_MAX = 800;

/** Fixed monthly FX rates pricing → billing currency (deterministic, independent of the seed). */
const FX_BASE: Record<string, [number, number]> = {
  'USD>EUR': [0.895, 0.05],
  'EUR>USD': [1.06, 0.06],
  'USD>GBP': [0.77, 0.04],
  'USD>CNY': [7.05, 0.2],
};

export class UsageGenerator {
  private readonly months = new Map<number, MonthInfo>();
  private readonly capCache = new Map<number, Dec[]>();
  private readonly dayIso = new Map<number, string>();
  readonly positionsPerDay: number;

  constructor(
    readonly model: AccountModel,
    /** Planted anomalies of this account (anomalies.ts). */
    readonly spikes: readonly PlantedSpike[] = [],
  ) {
    this.positionsPerDay = model.slots.length * 2;
  }

  month(day: number): MonthInfo {
    const ms = monthStart(day);
    let m = this.months.get(ms);
    if (!m) {
      const { currency, pricingCurrency } = this.model.def;
      let rateStr = '1';
      if (currency !== pricingCurrency) {
        const pair = `${pricingCurrency}>${currency}`;
        const [base, spread] = FX_BASE[pair] ?? [1, 0];
        rateStr = (base + spread * u01(strHash32(pair), monthKey(ms))).toFixed(4);
      }
      const next = nextMonthStart(ms);
      m = { rate: new Dec(rateStr), rateStr: new Dec(rateStr).toFixed(), startIso: dayToIso(ms), endIso: dayToIso(next), days: next - ms };
      this.months.set(ms, m);
    }
    return m;
  }

  private iso(day: number): string {
    let s = this.dayIso.get(day);
    if (!s) {
      s = dayToIso(day);
      if (this.dayIso.size > 4000) this.dayIso.clear();
      this.dayIso.set(day, s);
    }
    return s;
  }

  /** Quantity of the "new" charge of a slot on a day as a 6-decimal string, or null if none. */
  private quantity(slot: Slot, day: number, daysInMonth: number): string | null {
    const m = slot.meter;
    const e = slot.ent;
    if (day < e.createdDay) return null;
    const k = this.model.key;
    const i = slot.idx;
    if (m.presence < 1 && u01(k, i, day, 1) >= m.presence) return null;
    const dow = dayOfWeek(day);
    const weekend = dow === 0 || dow === 6;
    const trend = Math.max(0.2, 1 + (slot.growth * (day - TREND_ORIGIN)) / 365);
    const noise = 1 + m.noise * (2 * u01(k, i, day, 2) - 1);
    let q: number;
    switch (m.qty) {
      case 'hours': {
        if (e.isDev && weekend && m.meterCategory === 'Virtual Machines') return null;
        if (m.unit === '1/Day') {
          q = slot.scale;
        } else {
          q = 24 * slot.scale;
          // occasional partial day (deallocated, scaled in, created mid-day)
          if (m.noise > 0 && u01(k, i, day, 3) < 0.07) q = slot.scale * (2 + 21.5 * u01(k, i, day, 4));
        }
        break;
      }
      case 'monthly':
        q = m.noise === 0 ? Math.max(1, Math.round(slot.scale * m.base)) / daysInMonth : (m.base * slot.scale * trend * noise) / daysInMonth;
        break;
      case 'volume':
        q = m.base * slot.scale * trend * noise * (weekend ? m.weekend : 1);
        break;
    }
    for (const sp of this.spikes) if (sp.day === day && sp.service === m.meterCategory) q *= sp.factor;
    const s = q.toFixed(6);
    return Number(s) > 0 ? s : null;
  }

  /** The uncapped item at (day, pos), or null. */
  rawItem(day: number, pos: number): UsageItem | null {
    const slot = this.model.slots[pos >> 1];
    const k = pos & 1;
    const fx = this.month(day);
    const qs = this.quantity(slot, day, fx.days);
    if (qs === null) return null;
    let quantity = new Dec(qs);
    let chargeType: ChargeType = 'new';
    if (k === 1) {
      if (this.model.monthlyCap) return null;
      if (u01(this.model.key, slot.idx, day, 7) >= CANCEL_PROBABILITY) return null;
      const frac = 0.1 + 0.9 * u01(this.model.key, slot.idx, day, 8);
      quantity = new Dec(qs).times(frac.toFixed(4)).toDecimalPlaces(6, Dec.ROUND_HALF_UP).negated();
      if (quantity.isZero()) return null;
      chargeType = 'cancel';
    }
    const pricingTotal = round8(quantity.times(slot.effectiveUnitPrice));
    const billingTotal = round8(pricingTotal.times(fx.rate));
    return { slot, day, pos, chargeType, quantity, pricingTotal, billingTotal, fx };
  }

  /** Month-to-date pricing totals per entitlement at the start of `day` (capped accounts). */
  private cumAt(day: number): Dec[] {
    const ms = monthStart(day);
    const zeros = (): Dec[] => this.model.entitlements.map(() => ZERO);
    if (day === ms) return zeros();
    let d = day;
    while (d > ms && !this.capCache.has(d)) d--;
    const cum = d === ms ? zeros() : this.capCache.get(d)!.slice();
    for (let x = d; x < day; x++) {
      for (const _ of this.walkCapped(x, cum, Number.POSITIVE_INFINITY)) void _;
      if (this.capCache.size >= CAP_CACHE_MAX) this.capCache.delete(this.capCache.keys().next().value as number);
      this.capCache.set(x + 1, cum.slice());
    }
    return cum;
  }

  private *walkCapped(day: number, cum: Dec[], fromPos: number): Generator<UsageItem> {
    const cap = this.model.monthlyCap!;
    const n = this.positionsPerDay;
    for (let pos = 0; pos < n; pos++) {
      const it = this.rawItem(day, pos);
      if (!it) continue;
      const ei = it.slot.ent.idx;
      const c = cum[ei];
      if (c.gte(cap)) continue;
      if (c.plus(it.pricingTotal).gt(cap)) {
        const eff = it.slot.effectiveUnitPrice;
        if (eff.lte(0)) continue;
        const q = cap.minus(c).div(eff).toDecimalPlaces(6, Dec.ROUND_DOWN);
        if (q.lte(0)) continue;
        it.quantity = q;
        it.pricingTotal = round8(q.times(eff));
        it.billingTotal = round8(it.pricingTotal.times(it.fx.rate));
      }
      cum[ei] = c.plus(it.pricingTotal);
      if (pos >= fromPos) yield it;
    }
  }

  /** Items of one day, from position `fromPos` on, in position order. */
  *dayItems(day: number, fromPos = 0): Generator<UsageItem> {
    if (this.model.monthlyCap) {
      yield* this.walkCapped(day, this.cumAt(day).slice(), fromPos);
      return;
    }
    const n = this.positionsPerDay;
    for (let pos = fromPos; pos < n; pos++) {
      const it = this.rawItem(day, pos);
      if (it) yield it;
    }
  }

  /** Items of days [fromDay, toDayExcl), optionally resuming at a cursor. */
  *items(fromDay: number, toDayExcl: number, cursor?: Cursor): Generator<UsageItem> {
    const start = cursor ? Math.max(cursor.day, fromDay) : fromDay;
    for (let day = start; day < toDayExcl; day++) {
      yield* this.dayItems(day, cursor && day === cursor.day ? cursor.pos : 0);
    }
  }

  /** Up to `size` items from the cursor plus the cursor of the next item (null when done). */
  page(fromDay: number, toDayExcl: number, cursor: Cursor | undefined, size: number): { items: UsageItem[]; next: Cursor | null } {
    const items: UsageItem[] = [];
    let next: Cursor | null = null;
    for (const it of this.items(fromDay, toDayExcl, cursor)) {
      if (items.length < size) items.push(it);
      else {
        next = { day: it.day, pos: it.pos };
        break;
      }
    }
    return { items, next };
  }

  /** Serialises an item exactly (decimal tokens written from the decimal strings). */
  toJson(it: UsageItem): string {
    const s = it.slot;
    const e = s.ent;
    const d = this.model.def;
    return (
      s.json.head +
      `,"chargeStartDate":"${it.fx.startIso}","chargeEndDate":"${it.fx.endIso}","usageDate":"${this.iso(it.day)}"` +
      s.json.meter +
      `,"chargeType":"${it.chargeType}","unitPrice":${decStr(s.unitPrice)},"quantity":${decStr(it.quantity)}` +
      s.json.mid +
      `,"billingPreTaxTotal":${decStr(it.billingTotal)},"billingCurrency":"${d.currency}"` +
      `,"pricingPreTaxTotal":${decStr(it.pricingTotal)},"pricingCurrency":"${d.pricingCurrency}"` +
      `,"entitlementId":"${e.id}","entitlementDescription":${JSON.stringify(e.friendlyName)}` +
      `,"pcToBCExchangeRate":${it.fx.rateStr},"pcToBCExchangeRateDate":"${it.fx.startIso}"` +
      s.json.tail
    );
  }
}

export const GROUP_KEYS = ['service', 'region', 'customer', 'subscription', 'invoice', 'source'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

export interface GroundTruthRow {
  keys: Partial<Record<GroupKey, string>>;
  amount: string;
  lineItems: number;
}

/** Where an item stands at the simulation clock: its invoice ('' while unbilled). */
export type Billing = (it: UsageItem) => { invoice: string; source: 'billed' | 'unbilled' };

function groupValue(it: UsageItem, k: GroupKey, billing: Billing): string {
  switch (k) {
    case 'invoice':
      return billing(it).invoice;
    case 'source':
      return billing(it).source;
    case 'service':
      return it.slot.meter.meterCategory;
    case 'region':
      return it.slot.resource.region.name;
    case 'customer':
      return it.slot.ent.customer.id;
    case 'subscription':
      return it.slot.ent.id;
  }
}

/** Exact sums of billingPreTaxTotal over days [fromDay, toDayExcl). */
export function sumUsage(
  gen: UsageGenerator,
  fromDay: number,
  toDayExcl: number,
  groupBy: readonly GroupKey[],
  /** Items served malformed (see faults.ts): counted apart, never in the totals. */
  isMalformed: (it: UsageItem) => boolean = () => false,
  billing: Billing = () => ({ invoice: '', source: 'unbilled' }),
): { rows: GroundTruthRow[]; total: Dec; lineItems: number; malformed: { lineItems: number; amount: Dec } } {
  const groups = new Map<string, { keys: Partial<Record<GroupKey, string>>; amount: Dec; n: number }>();
  let total = ZERO;
  let n = 0;
  const malformed = { lineItems: 0, amount: ZERO };
  for (const it of gen.items(fromDay, toDayExcl)) {
    if (isMalformed(it)) {
      malformed.lineItems++;
      malformed.amount = malformed.amount.plus(it.billingTotal);
      continue;
    }
    total = total.plus(it.billingTotal);
    n++;
    const vals = groupBy.map((k) => groupValue(it, k, billing));
    const key = vals.join('\u0000');
    let g = groups.get(key);
    if (!g) {
      const keys: Partial<Record<GroupKey, string>> = {};
      groupBy.forEach((k, i) => (keys[k] = vals[i]));
      g = { keys, amount: ZERO, n: 0 };
      groups.set(key, g);
    }
    g.amount = g.amount.plus(it.billingTotal);
    g.n++;
  }
  const rows = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => ({ keys: g.keys, amount: decStr(g.amount), lineItems: g.n }));
  if (groupBy.length === 0 && rows.length === 0) rows.push({ keys: {}, amount: '0', lineItems: 0 });
  return { rows, total, lineItems: n, malformed };
}

