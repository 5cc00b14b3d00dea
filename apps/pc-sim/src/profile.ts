/**
 * The static part of the simulated world: accounts, customers, subscriptions, Azure
 * entitlements, resources and usage "slots" (entitlement × resource × meter). Built once per
 * simulator from the seed; small (hundreds of slots per account), so it is materialised.
 * Daily usage is NOT materialised: see usage.ts.
 */
import {
  CLOUDS,
  COMPANY_NAMES,
  ENTITLEMENT_NAMES,
  MARKET_COUNTRIES,
  MARKET_REGIONS,
  METERS,
  RESOURCE_TYPES,
  licenseOffer,
  priceFactor,
  type CloudId,
  type Country,
  type MarketId,
  type MeterDef,
  type Region,
  type ResourceTypeDef,
} from './catalog';
import { parseYmd, dayToIso } from './dates';
import { Rng, guidFrom, sha256Hex, strHash32 } from './hash';
import { Dec, decStr } from './money';

export interface AccountDef {
  id: string;
  name: string;
  cloud: CloudId;
  currency: string;
  pricingCurrency: string;
  sandbox: boolean;
  market: MarketId;
  /** [min, max] customers */
  customers: readonly [number, number];
  /** [min, max] usage slots (≈ line items per day) */
  slots: readonly [number, number];
}

export const DEMO_ACCOUNTS: readonly AccountDef[] = [
  { id: 'global-us', name: 'Contoso CSP Global', cloud: 'global', currency: 'USD', pricingCurrency: 'USD', sandbox: false, market: 'us', customers: [6, 12], slots: [130, 200] },
  { id: 'eu', name: 'Contoso CSP Europe', cloud: 'global', currency: 'EUR', pricingCurrency: 'USD', sandbox: false, market: 'eu', customers: [6, 12], slots: [130, 200] },
  { id: 'usgov', name: 'Contoso CSP US Government', cloud: 'usgov', currency: 'USD', pricingCurrency: 'USD', sandbox: false, market: 'usgov', customers: [6, 12], slots: [120, 190] },
  { id: 'china', name: 'Contoso CSP China (21Vianet)', cloud: 'china', currency: 'CNY', pricingCurrency: 'CNY', sandbox: false, market: 'cn', customers: [6, 12], slots: [110, 180] },
  { id: 'germany', name: 'Contoso CSP Germany', cloud: 'germany', currency: 'EUR', pricingCurrency: 'EUR', sandbox: false, market: 'de', customers: [6, 12], slots: [110, 170] },
  { id: 'global-sandbox', name: 'Contoso CSP Integration Sandbox', cloud: 'global', currency: 'USD', pricingCurrency: 'USD', sandbox: true, market: 'us', customers: [3, 5], slots: [15, 28] },
];

/**
 * The `currencies` profile: global-cloud accounts priced in USD and billed in three other currencies
 * (plus one billed in USD), so Microsoft's rates have two or more legs from one pricing currency and
 * cross rates between billing currencies (e.g. CNY → EUR through USD, decision 0018) can be derived
 * from synced line items. Small accounts: a sync of all four takes seconds.
 */
export const CURRENCY_ACCOUNTS: readonly AccountDef[] = [
  { id: 'fx-usd', name: 'Contoso CSP Global (USD billing)', cloud: 'global', currency: 'USD', pricingCurrency: 'USD', sandbox: false, market: 'us', customers: [2, 3], slots: [12, 20] },
  { id: 'fx-eur', name: 'Contoso CSP Europe (EUR billing)', cloud: 'global', currency: 'EUR', pricingCurrency: 'USD', sandbox: false, market: 'eu', customers: [2, 3], slots: [12, 20] },
  { id: 'fx-gbp', name: 'Contoso CSP United Kingdom (GBP billing)', cloud: 'global', currency: 'GBP', pricingCurrency: 'USD', sandbox: false, market: 'eu', customers: [2, 3], slots: [12, 20] },
  { id: 'fx-cny', name: 'Contoso CSP Asia (CNY billing)', cloud: 'global', currency: 'CNY', pricingCurrency: 'USD', sandbox: false, market: 'us', customers: [2, 3], slots: [12, 20] },
];

/** Integration sandbox limits (reference §10). */
export const SANDBOX_LIMITS = { customers: 75, azureSubscriptionsPerCustomer: 5, licensesPerSubscription: 25, monthlyUsageCapUsd: '200' } as const;

export interface Subscription {
  id: string;
  entitlementId: string;
  offerId: string;
  offerName: string;
  friendlyName: string;
  quantity: number;
  unitType: string;
  status: string;
  creationDate: string;
  effectiveStartDate: string;
  commitmentEndDate: string;
  autoRenewEnabled: boolean;
  billingType: 'usage' | 'license';
  billingCycle: string;
  termDuration?: string;
  contractType: string;
  orderId: string;
  isAzurePlan: boolean;
}

export interface Customer {
  idx: number;
  id: string;
  commerceId: string;
  companyName: string;
  domain: string;
  country: Country;
  email: string;
  plan: Subscription;
  license: Subscription | null;
  entitlements: Entitlement[];
}

export interface Entitlement {
  /** Index within the account (stable). */
  idx: number;
  id: string;
  friendlyName: string;
  status: 'active';
  customer: Customer;
  createdDay: number;
  pecRate: '0' | '0.15';
  isDev: boolean;
  primaryRegion: Region;
}

export interface Resource {
  ent: Entitlement;
  type: ResourceTypeDef;
  name: string;
  resourceGroup: string;
  region: Region;
  uri: string;
  tags: string;
}

export interface Slot {
  idx: number;
  ent: Entitlement;
  resource: Resource;
  meter: MeterDef;
  meterId: string;
  meterRegion: string;
  unitPrice: Dec;
  effectiveUnitPrice: Dec;
  /** hours: instance count; monthly/volume: size multiplier */
  scale: number;
  /** yearly relative growth of the quantity */
  growth: number;
  /** Pre-rendered JSON fragments (see usage.ts serialiser). */
  json: { head: string; meter: string; mid: string; tail: string };
}

export interface AccountModel {
  def: AccountDef;
  /** 32-bit key mixed into every per-item hash. */
  key: number;
  seed: number;
  tenantId: string;
  appId: string;
  secret: string;
  mpnId: string;
  customers: Customer[];
  customersById: Map<string, Customer>;
  entitlements: Entitlement[];
  slots: Slot[];
  /** Sandbox cap per Azure subscription per month, in pricing currency; null = uncapped. */
  monthlyCap: Dec | null;
}

const EARLIEST = parseYmd('2021-01-04')!;
const LATEST = parseYmd('2024-12-16')!;

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function aadSecret(label: string): string {
  const h = Buffer.from(sha256Hex(label), 'hex').toString('base64url').replace(/[-_]/g, '.');
  return `${h.slice(0, 3)}8Q~${h.slice(3, 37)}`;
}

function jsonStr(s: string): string {
  return JSON.stringify(s);
}

export function buildAccount(def: AccountDef, seed: number): AccountModel {
  const label = `pc-sim|${seed}|${def.id}`;
  const rng = new Rng(label);
  const cloud = CLOUDS[def.cloud];
  const tenantId = guidFrom(`${label}|tenant`);
  const appId = guidFrom(`${label}|app`);
  const secret = aadSecret(`${label}|secret`);
  const mpnId = String(1_000_000 + (strHash32(`${label}|mpn`) % 9_000_000));
  const monthlyCap = def.sandbox ? new Dec(SANDBOX_LIMITS.monthlyUsageCapUsd) : null;

  // Customers ---------------------------------------------------------------------------------
  const nCustomers = Math.min(rng.int(def.customers[0], def.customers[1]), def.sandbox ? SANDBOX_LIMITS.customers : Infinity);
  const names = rng.sample(COMPANY_NAMES, nCustomers);
  const customers: Customer[] = [];
  const entitlements: Entitlement[] = [];
  const lic = licenseOffer(def.cloud);
  for (let i = 0; i < nCustomers; i++) {
    const cl = `${label}|customer|${i}`;
    const baseName = names[i];
    const companyName = def.sandbox ? `${baseName} (Test)` : def.market === 'cn' ? `${baseName} China` : baseName;
    const domainSlug = slug(baseName) + (def.sandbox ? 'test' : '') + (def.market === 'eu' ? 'eu' : '');
    const domain = `${domainSlug}.${cloud.domainSuffix}`;
    const id = guidFrom(`${cl}|tenant`);
    const createdDay = EARLIEST + rng.int(0, LATEST - EARLIEST - 60);
    const country = rng.weighted(MARKET_COUNTRIES[def.market]);
    const planId = guidFrom(`${cl}|plan`);
    const plan: Subscription = {
      id: planId,
      entitlementId: guidFrom(`${cl}|plan-entitlement`),
      offerId: 'DZH318Z0BCZC:0001',
      offerName: 'Azure plan',
      friendlyName: 'Azure plan',
      quantity: 1,
      unitType: 'Usage-based',
      status: 'active',
      creationDate: dayToIso(createdDay),
      effectiveStartDate: dayToIso(createdDay),
      commitmentEndDate: '9999-12-14T00:00:00Z',
      autoRenewEnabled: false,
      billingType: 'usage',
      billingCycle: 'monthly',
      contractType: 'subscription',
      orderId: sha256Hex(`${cl}|order`).slice(0, 32),
      isAzurePlan: true,
    };
    let license: Subscription | null = null;
    if (lic && rng.chance(0.5)) {
      const licDay = createdDay + rng.int(0, 40);
      const qty = def.sandbox ? rng.int(1, SANDBOX_LIMITS.licensesPerSubscription) : rng.int(5, 250);
      license = {
        id: guidFrom(`${cl}|license`),
        entitlementId: guidFrom(`${cl}|license-entitlement`),
        offerId: lic.offerId,
        offerName: lic.offerName,
        friendlyName: lic.offerName,
        quantity: qty,
        unitType: 'Licenses',
        status: 'active',
        creationDate: dayToIso(licDay),
        effectiveStartDate: dayToIso(licDay),
        commitmentEndDate: dayToIso(licDay + 365),
        autoRenewEnabled: true,
        billingType: 'license',
        billingCycle: 'monthly',
        termDuration: 'P1Y',
        contractType: 'subscription',
        orderId: sha256Hex(`${cl}|license-order`).slice(0, 32),
        isAzurePlan: false,
      };
    }
    const c: Customer = {
      idx: i,
      id,
      commerceId: guidFrom(`${cl}|commerce`),
      companyName,
      domain,
      country,
      email: `billing@${slug(baseName)}.example`,
      plan,
      license,
      entitlements: [],
    };
    const nEnt = Math.min(rng.int(1, 3), SANDBOX_LIMITS.azureSubscriptionsPerCustomer);
    const entNames = [ENTITLEMENT_NAMES[0], ...rng.sample(ENTITLEMENT_NAMES.slice(1), nEnt - 1)];
    for (let j = 0; j < nEnt; j++) {
      const friendlyName = entNames[j];
      const e: Entitlement = {
        idx: entitlements.length,
        id: guidFrom(`${cl}|entitlement|${j}`),
        friendlyName,
        status: 'active',
        customer: c,
        createdDay: createdDay + (j === 0 ? 0 : rng.int(1, 300)),
        pecRate: !def.sandbox && rng.chance(0.65) ? '0.15' : '0',
        isDev: friendlyName === 'Development' || friendlyName === 'Test',
        primaryRegion: rng.weighted(MARKET_REGIONS[def.market]),
      };
      c.entitlements.push(e);
      entitlements.push(e);
    }
    customers.push(c);
  }

  // Resources and slots ---------------------------------------------------------------------
  const slots: Slot[] = [];
  const counters = new Map<string, number>();
  const typeWeights = RESOURCE_TYPES.map((t) => [t, t.weight] as const);
  const target = rng.int(def.slots[0], def.slots[1]);
  const entWeights = entitlements.map((e) => [e, e.friendlyName === 'Production' ? 3 : e.isDev ? 1 : 1.5] as const);

  const addResource = (ent: Entitlement, type: ResourceTypeDef, meters: readonly MeterDef[]): void => {
    const region = rng.chance(0.75) ? ent.primaryRegion : rng.weighted(MARKET_REGIONS[def.market]);
    let rg = rng.pick(type.resourceGroups);
    if (type.key === 'aksnodes') rg = `MC_rg-aks_aks-${slug(ent.friendlyName)}_${region.name}`;
    const ck = `${ent.idx}|${type.key}`;
    const n = (counters.get(ck) ?? 0) + 1;
    counters.set(ck, n);
    const envShort = ent.isDev ? 'dev' : ent.friendlyName === 'Test' ? 'test' : 'prod';
    const name =
      type.key === 'storage'
        ? `st${slug(ent.customer.companyName).slice(0, 10)}${envShort}${String(n).padStart(2, '0')}`
        : type.key === 'aksnodes'
          ? `aks-nodepool${n}-${String(10000000 + (strHash32(`${label}|${ck}|${n}`) % 89999999))}-vmss`
          : `${type.namePrefix}-${envShort}-${slug(ent.friendlyName).slice(0, 6)}-${String(n).padStart(2, '0')}`;
    const uri = `/subscriptions/${ent.id}/resourceGroups/${rg}/providers/${type.provider}/${name}`;
    let tags = '';
    if (rng.chance(0.7)) {
      const t: Record<string, string> = { env: envShort, costCenter: `CC-${rng.int(1000, 9999)}` };
      if (rng.chance(0.5)) t.owner = rng.pick(['platform-team', 'data-team', 'web-team', 'it-ops', 'finance-apps']);
      if (rng.chance(0.3)) t.project = rng.pick(['phoenix', 'atlas', 'mercury', 'orion', 'hermes']);
      tags = JSON.stringify(t);
    }
    const res: Resource = { ent, type, name, resourceGroup: rg, region, uri, tags };
    const counted = type.key === 'vm' || type.key === 'appservice' || type.key === 'sql' || type.key === 'aksnodes';
    // Sandbox workloads are small (single instances, low volumes).
    const scale = def.sandbox ? (counted ? 1 : 0.2 + 0.8 * rng.next()) : counted ? rng.int(1, 3) : 0.3 + 2.7 * rng.next() ** 2;
    const growth = -0.05 + 0.3 * rng.next();
    for (const meter of meters) {
      slots.push(makeSlot(def, tenantId, mpnId, slots.length, res, meter, meter.qty === 'hours' ? Math.max(1, Math.round(scale)) : scale, growth));
    }
  };

  // Sandbox: one always-on expensive VM so the 200 USD monthly cap visibly bites.
  if (def.sandbox && entitlements.length) {
    const vmType = RESOURCE_TYPES.find((t) => t.key === 'vm')!;
    addResource(entitlements[0], vmType, [METERS.vmE8v5]);
  }
  // Every entitlement gets at least one resource, then fill up to the target slot count.
  for (const e of entitlements) {
    const t = rng.weighted(typeWeights);
    addResource(e, t, rng.pick(t.meterSets));
  }
  while (slots.length < target) {
    const e = rng.weighted(entWeights);
    const t = rng.weighted(typeWeights);
    addResource(e, t, rng.pick(t.meterSets));
  }

  return {
    def,
    key: strHash32(label),
    seed,
    tenantId,
    appId,
    secret,
    mpnId,
    customers,
    customersById: new Map(customers.map((c) => [c.id.toLowerCase(), c])),
    entitlements,
    slots,
    monthlyCap,
  };
}

function makeSlot(def: AccountDef, tenantId: string, mpnId: string, idx: number, res: Resource, meter: MeterDef, scale: number, growth: number): Slot {
  const cloud = CLOUDS[def.cloud];
  const meterRegion = meter.zone ? cloud.bandwidthZone : res.region.display;
  const meterId = guidFrom(`meter|${def.cloud}|${meterRegion}|${meter.key}`);
  const unitPrice = new Dec(meter.priceUsd).times(priceFactor(def.cloud, def.pricingCurrency)).toDecimalPlaces(6, Dec.ROUND_HALF_UP);
  const ent = res.ent;
  const effectiveUnitPrice = unitPrice.times(new Dec(1).minus(ent.pecRate)).toDecimalPlaces(8, Dec.ROUND_HALF_UP);
  const c = ent.customer;
  const pec = ent.pecRate !== '0';
  const head =
    `{"partnerId":${jsonStr(tenantId)},"partnerName":${jsonStr(def.name)},"customerId":${jsonStr(c.id)},"customerName":${jsonStr(c.companyName)}` +
    `,"customerDomainName":${jsonStr(c.domain)},"customerCountry":${jsonStr(c.country.country)},"invoiceNumber":""` +
    `,"mpnId":${jsonStr(mpnId)},"resellerMpnId":"","productId":"DZH318Z0BCZC","skuId":"0001","availabilityId":"DZH318Z0BXWC"` +
    `,"skuName":"Azure plan","productName":"Azure plan","publisherName":"Microsoft","publisherId":""` +
    `,"subscriptionId":${jsonStr(c.plan.id)},"subscriptionDescription":"Azure plan"`;
  const meterJson =
    `,"meterType":${jsonStr(meter.meterType)},"meterCategory":${jsonStr(meter.meterCategory)},"meterId":${jsonStr(meterId)}` +
    `,"meterSubCategory":${jsonStr(meter.meterSubCategory)},"meterName":${jsonStr(meter.meterName)},"meterRegion":${jsonStr(meterRegion)}` +
    `,"unitOfMeasure":${jsonStr(meter.unit)},"resourceLocation":${jsonStr(res.region.name)},"consumedService":${jsonStr(res.type.consumedService)}` +
    `,"resourceGroup":${jsonStr(res.resourceGroup)},"resourceUri":${jsonStr(res.uri)},"tags":${jsonStr(res.tags)}` +
    `,"additionalInfo":${jsonStr(res.type.additionalInfo?.(meter) ?? '')},"serviceInfo1":"","serviceInfo2":""`;
  const mid = `,"unitType":${jsonStr(meter.unit)}`;
  const tail =
    `,"effectiveUnitPrice":${decStr(effectiveUnitPrice)},"rateOfPartnerEarnedCredit":${ent.pecRate},"rateOfCredit":0` +
    `,"creditType":${jsonStr(pec ? 'Partner Earned Credit Applied' : 'Credit Not Applied')},"hasPartnerEarnedCredit":${pec}` +
    `,"benefitOrderId":"","benefitId":"","benefitType":"","invoiceLineItemType":"usage_line_items","billingProvider":"marketplace"` +
    `,"attributes":{"objectType":"DailyRatedUsageLineItem"}}`;
  return {
    idx,
    ent,
    resource: res,
    meter,
    meterId,
    meterRegion,
    unitPrice,
    effectiveUnitPrice,
    scale,
    growth,
    json: { head, meter: meterJson, mid, tail },
  };
}

/** A large production account for benchmarks: about `itemsPerDay` line items per usage day. */
export function scaleAccount(itemsPerDay: number): AccountDef {
  return { id: 'scale', name: 'Contoso CSP Scale Test', cloud: 'global', currency: 'USD', pricingCurrency: 'USD', sandbox: false, market: 'us', customers: [12, 12], slots: [itemsPerDay, itemsPerDay] };
}

/**
 * Which accounts a simulator serves: the six demo accounts, the sandbox alone, the scale account
 * alone, or the four accounts of CURRENCY_ACCOUNTS.
 */
export const PROFILES = ['demo', 'sandbox', 'scale', 'currencies'] as const;
export type Profile = (typeof PROFILES)[number];
/**
 * Graph export delay per profile: short for demo and sandbox, so `npm start` shows Graph data within
 * a minute; longer for scale (a big export takes a while for real, 1–25 min observed).
 */
export const PROFILE_GRAPH_DELAY_SECONDS: Record<Profile, number> = { demo: 3, sandbox: 3, scale: 10, currencies: 3 };

/** Items per day of the scale profile's account when none is given. */
export const DEFAULT_SCALE_ITEMS_PER_DAY = 20_000;

export function buildWorld(seed: number, scaleItemsPerDay?: number, profile: Profile = 'demo'): AccountModel[] {
  const demo = profile === 'sandbox' ? DEMO_ACCOUNTS.filter((d) => d.sandbox) : profile === 'scale' ? [] : profile === 'currencies' ? CURRENCY_ACCOUNTS : DEMO_ACCOUNTS;
  const perDay = scaleItemsPerDay ?? (profile === 'scale' ? DEFAULT_SCALE_ITEMS_PER_DAY : undefined);
  const defs = perDay ? [...demo, scaleAccount(perDay)] : demo;
  return defs.map((d) => buildAccount(d, seed));
}

