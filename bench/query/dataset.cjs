// Realistic cost rows for the query benchmark (issue 15): a CSP partner's year of daily rated usage.
// CommonJS so that both the benchmark (ESM) and the repo-checks test (Jest, CommonJS) load it as is.
//
// Structure, not independent random columns: account → customer → subscription → resource group →
// resource (one region) → its meters (all of one service) → one line per meter per day while the
// resource lives. Sizes are skewed (Zipf: a few big customers own most subscriptions and cost).
// Everything derives from the seed: the catalog from one PRNG stream, each line's quantity from a
// hash of (resource, meter, day), so the rows do not depend on how they are paged.
'use strict';
const { createHash } = require('node:crypto');

/** The cardinalities issue 15 asks for; every one is reached once there are enough rows (MIN_ROWS). */
const CARDINALITY = {
  customers: 200,
  subscriptions: 1000,
  resourceGroups: 2000,
  meters: 5000,
  tagKeys: 5,
  tagValuesPerKey: 50,
  regions: 20,
  services: 30,
  accounts: 6,
  currencies: 3,
  months: 12,
};

/** One account per CSP authorization; each bills in one currency. Weight = share of customers. */
const ACCOUNTS = [
  { id: 'global-us', cloud: 'global', currency: 'USD', weight: 5 },
  { id: 'global-eu', cloud: 'global', currency: 'EUR', weight: 4 },
  { id: 'global-apac', cloud: 'global', currency: 'USD', weight: 2 },
  { id: 'usgov', cloud: 'usgov', currency: 'USD', weight: 1.5 },
  { id: 'china', cloud: 'china', currency: 'CNY', weight: 1 },
  { id: 'germany', cloud: 'germany', currency: 'EUR', weight: 0.5 },
];
/** USD → billing currency (Partner Center's pcToBC), 4 decimals, as an integer over 10^4. */
const RATE_E4 = { USD: 10000n, EUR: 9215n, CNY: 71034n };
const REGIONS_BY_CLOUD = {
  global: [
    'eastus',
    'eastus2',
    'westus2',
    'centralus',
    'westeurope',
    'northeurope',
    'uksouth',
    'francecentral',
    'swedencentral',
    'southeastasia',
    'japaneast',
    'australiaeast',
    'canadacentral',
  ],
  usgov: ['usgovvirginia', 'usgovarizona', 'usgovtexas'],
  china: ['chinaeast2', 'chinanorth3'],
  germany: ['germanycentral', 'germanynortheast'],
};
/** [service name, FOCUS ServiceCategory, weight (share of meters and resources), unit]. */
const SERVICES = [
  ['Virtual Machines', 'Compute', 30, '1 Hour'],
  ['Storage', 'Storage', 20, '1 GB/Month'],
  ['Bandwidth', 'Networking', 8, '1 GB'],
  ['Azure SQL Database', 'Databases', 8, '1 Hour'],
  ['Azure App Service', 'Compute', 7, '1 Hour'],
  ['Azure Kubernetes Service', 'Compute', 6, '1 Hour'],
  ['Azure Monitor', 'Management and Governance', 6, '1 GB'],
  ['Azure Cosmos DB', 'Databases', 5, '100 RU/s'],
  ['Virtual Network', 'Networking', 5, '1 Hour'],
  ['Azure Backup', 'Storage', 4, '1 GB/Month'],
  ['Azure Functions', 'Compute', 3, '10K'],
  ['Load Balancer', 'Networking', 3, '1 Hour'],
  ['Key Vault', 'Security', 3, '10K'],
  ['Azure Database for PostgreSQL', 'Databases', 3, '1 Hour'],
  ['Azure Cache for Redis', 'Databases', 2, '1 Hour'],
  ['Application Gateway', 'Networking', 2, '1 Hour'],
  ['Azure Firewall', 'Networking', 2, '1 Hour'],
  ['Log Analytics', 'Management and Governance', 2, '1 GB'],
  ['Microsoft Defender for Cloud', 'Security', 2, '1 Hour'],
  ['Azure Data Factory', 'Analytics', 1.5, '1K'],
  ['Azure Synapse Analytics', 'Analytics', 1.5, '1 Hour'],
  ['Azure Databricks', 'Analytics', 1.5, '1 Hour'],
  ['Event Hubs', 'Integration', 1, '1M'],
  ['Service Bus', 'Integration', 1, '1M'],
  ['Azure DNS', 'Networking', 1, '1M'],
  ['Container Registry', 'Containers', 1, '1/Day'],
  ['Azure Cognitive Search', 'AI + Machine Learning', 1, '1 Hour'],
  ['Azure OpenAI', 'AI + Machine Learning', 1, '1K'],
  ['Azure Front Door', 'Networking', 1, '1 GB'],
  ['Azure Site Recovery', 'Management and Governance', 1, '1/Month'],
];
const TAG_KEYS = ['costCenter', 'project', 'department', 'application', 'owner'];
/** Share of tagged resources carrying each key (some keys are missing on many resources). */
const TAG_KEY_PRESENCE = [0.9, 0.75, 0.6, 0.45, 0.35];
const UNTAGGED_SHARE = 0.12;
/** 12 months of usage days: 2025-12-01 … 2026-11-30 (365 days). */
const FIRST_DAY = Date.UTC(2025, 11, 1);
const DAYS = 365;
/** Months before this one are invoiced (billed, with an invoice id); the last two are still unbilled. */
const FIRST_UNBILLED_MONTH = '2026-10';
/** Below this many rows not every meter / resource group can have a line. */
const MIN_ROWS = 20_000;

/** mulberry32: a small, fast, seedable 32-bit PRNG (the catalog's one stream). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** A stateless hash of integers to [0, 1): a line's quantity must not depend on paging order. */
function hash01(seed, a, b, c) {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const v of [a, b, c]) {
    h = Math.imul(h ^ v, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h / 4294967296;
}
function guid(seed, kind, i) {
  const h = createHash('sha1').update(`${seed}|${kind}|${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
/** Picks an index by weight (cumulative weights, binary search). */
function weightedPicker(weights) {
  const cum = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => (cum[i] = total += w));
  return (u) => {
    const x = u * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
/** Zipf weight of a rank: a few large, a long tail of small. */
const zipf = (rank, s = 1.1) => 1 / (rank + 1) ** s;

/** An exact decimal string of an integer count of 10^-scale units, without trailing zeros. */
function decimal(units, scale) {
  const neg = units < 0n;
  const s = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const int = s.slice(0, s.length - scale);
  const frac = s.slice(s.length - scale).replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}
const dayString = (d) => new Date(FIRST_DAY + d * 86_400_000).toISOString().slice(0, 10);

/**
 * The catalog behind `rows` line items: accounts, customers, subscriptions, resource groups,
 * meters, and as many resources (with a lifetime of whole days) as make exactly `rows` lines.
 */
function buildCatalog(seed, rows) {
  if (!Number.isInteger(rows) || rows < MIN_ROWS) throw new Error(`rows must be an integer ≥ ${MIN_ROWS}`);
  const rnd = prng(seed);
  const pickAccount = weightedPicker(ACCOUNTS.map((a) => a.weight));

  // Customers: the first six one per account (every account has customers), the rest by weight.
  const customers = Array.from({ length: CARDINALITY.customers }, (_, i) => {
    const account = ACCOUNTS[i < ACCOUNTS.length ? i : pickAccount(rnd())];
    return { index: i, id: guid(seed, 'customer', i), name: `Customer ${String(i).padStart(3, '0')}`, account, weight: zipf(i) };
  });
  // Subscriptions: one per customer first (none is empty), the rest mostly to big customers
  // (their number carries the customer's size; their own weight only varies it).
  const pickCustomer = weightedPicker(customers.map((c) => c.weight));
  const subscriptions = Array.from({ length: CARDINALITY.subscriptions }, (_, i) => {
    const customer = customers[i < customers.length ? i : pickCustomer(rnd())];
    return { index: i, id: guid(seed, 'subscription', i), customer, weight: 0.2 + rnd() };
  });
  // Resource groups: one per subscription first, then by the subscription's size. Names are unique
  // (a resource group name is only unique within its subscription in Azure; here across the set).
  const regionCursor = Object.fromEntries(Object.keys(REGIONS_BY_CLOUD).map((c) => [c, 0]));
  const pickSubscription = weightedPicker(subscriptions.map((s) => s.weight));
  const rgWords = ['web', 'data', 'shared', 'prod', 'dev', 'test', 'network', 'analytics', 'backup', 'app'];
  const resourceGroups = Array.from({ length: CARDINALITY.resourceGroups }, (_, i) => {
    const subscription = subscriptions[i < subscriptions.length ? i : pickSubscription(rnd())];
    const cloud = subscription.customer.account.cloud;
    const regions = REGIONS_BY_CLOUD[cloud];
    // Each cloud's regions in turn first, so every region has a resource group.
    const region = regionCursor[cloud] < regions.length ? regions[regionCursor[cloud]++] : regions[Math.floor(rnd() ** 2 * regions.length)];
    const tagDefaults = TAG_KEYS.map(() => Math.floor(rnd() ** 1.5 * CARDINALITY.tagValuesPerKey));
    return {
      index: i,
      name: `rg-${rgWords[i % rgWords.length]}-${String(i).padStart(4, '0')}`,
      subscription,
      region,
      tagDefaults,
      weight: subscription.weight * (0.2 + rnd()),
    };
  });
  // Meters: one per service first, the rest by the service's weight; each meter belongs to one service.
  const pickService = weightedPicker(SERVICES.map((s) => s[2]));
  const meters = Array.from({ length: CARDINALITY.meters }, (_, i) => {
    const service = i < SERVICES.length ? i : pickService(rnd());
    // List price in USD, 10^-6 units: log-uniform from $0.0001 to ~$5 per unit.
    const usdPriceE6 = BigInt(Math.max(1, Math.round(10 ** (2 + rnd() * 4.7))));
    return {
      index: i,
      id: guid(seed, 'meter', i),
      name: `${SERVICES[service][0]} meter ${i}`,
      service,
      usdPriceE6,
      weight: zipf(i % 997, 0.8),
    };
  });
  const metersOfService = SERVICES.map(() => []);
  for (const m of meters) metersOfService[m.service].push(m);
  const pickMeter = weightedPicker(meters.map((m) => m.weight));
  const pickRg = weightedPicker(resourceGroups.map((g) => g.weight));

  // Resources: enough that each lives ~200 days on average at large sizes, never fewer than every
  // meter and resource group needs. The first ones cover every meter and group; the rest are drawn.
  const resourceCount = Math.max(CARDINALITY.meters, Math.ceil(rows / 400));
  const resources = [];
  for (let i = 0; i < resourceCount; i++) {
    const rg = resourceGroups[i < resourceGroups.length ? i : pickRg(rnd())];
    const primary = meters[i < meters.length ? i : pickMeter(rnd())];
    const sameService = metersOfService[primary.service];
    const extra = Math.floor(rnd() * 3); // 0–2 more meters of the same service (disk, egress, …)
    const resourceMeters = [primary];
    for (let k = 0; k < extra && resourceMeters.length < sameService.length; k++) {
      const m = sameService[Math.floor(rnd() * sameService.length)];
      if (!resourceMeters.includes(m)) resourceMeters.push(m);
    }
    const regions = REGIONS_BY_CLOUD[rg.subscription.customer.account.cloud];
    const region = rnd() < 0.85 ? rg.region : regions[Math.floor(rnd() * regions.length)];
    // Tags: some resources untagged, some keys missing, values mostly the group's (a project's RG).
    // The first 50 resources carry every key with value i, so every value of every key occurs.
    let tags = {};
    if (i < CARDINALITY.tagValuesPerKey) tags = Object.fromEntries(TAG_KEYS.map((k) => [k, `${k}-${i}`]));
    else if (rnd() >= UNTAGGED_SHARE) {
      TAG_KEYS.forEach((k, ki) => {
        if (rnd() < TAG_KEY_PRESENCE[ki])
          tags[k] = `${k}-${rnd() < 0.8 ? rg.tagDefaults[ki] : Math.floor(rnd() * CARDINALITY.tagValuesPerKey)}`;
      });
    }
    // Daily quantity (10^-4 units): hours × instances for instance meters, a volume for the
    // others; big customers' resources run somewhat bigger.
    const unit = SERVICES[primary.service][3];
    const size = Math.max(1, Math.round(rg.subscription.customer.weight ** 0.3 * 16 * rnd() ** 2));
    const baseQuantityE4 = unit === '1 Hour' ? 24 * 10_000 * Math.min(size, 64) : Math.round(10 ** (1 + rnd() * 3) * size);
    // Lifetime shape: 45% live longest (the whole year once there are enough rows), the others
    // shorter; fitLifetimes scales them all to the row count.
    const lifeShare = rnd() < 0.45 ? 1 : rnd() ** 1.5;
    resources.push({
      index: i,
      id: `/subscriptions/${rg.subscription.id}/resourceGroups/${rg.name}/providers/Microsoft.${SERVICES[primary.service][0].replace(/[^A-Za-z]/g, '')}/r${i}`,
      rg,
      region,
      meters: resourceMeters,
      tags: JSON.stringify(tags),
      baseQuantityE4,
      lifeShare,
      startShare: rnd(),
      start: 0,
      days: 0,
    });
  }
  fitLifetimes(resources, rows);
  return { seed, rows, accounts: ACCOUNTS, customers, subscriptions, resourceGroups, meters, resources };
}

/**
 * Gives each resource a lifetime in whole days so that the lines add up to exactly `rows`:
 * lifetimes scale together (bisection on the scale), then single-meter resources take the rest.
 */
function fitLifetimes(resources, rows) {
  const daysAt = (r, scale) => Math.min(DAYS, Math.max(1, Math.round(r.lifeShare * scale)));
  const linesAt = (scale) => resources.reduce((n, r) => n + r.meters.length * daysAt(r, scale), 0);
  if (linesAt(1e9) < rows) throw new Error(`${resources.length} resources cannot make ${rows} lines`);
  let lo = 0;
  let hi = 1e9;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (linesAt(mid) <= rows) lo = mid;
    else hi = mid;
  }
  for (const r of resources) r.days = daysAt(r, lo);
  let missing = rows - linesAt(lo);
  for (const width of [1, 2, 3]) {
    for (const r of resources) {
      if (missing === 0) break;
      if (r.meters.length !== width) continue;
      const add = Math.min(DAYS - r.days, Math.floor(missing / width));
      r.days += add;
      missing -= add * width;
    }
  }
  if (missing !== 0) throw new Error(`could not fit ${rows} lines (${missing} left)`);
  for (const r of resources) r.start = Math.floor(r.startShare * (DAYS - r.days + 1));
}

/** The store row of one resource × meter × day. */
function costRow(catalog, resource, meter, day) {
  const account = resource.rg.subscription.customer.account;
  const customer = resource.rg.subscription.customer;
  const subscription = resource.rg.subscription;
  const date = dayString(day);
  const month = date.slice(0, 7);
  const billed = month < FIRST_UNBILLED_MONTH;
  // ±30% from day to day around the resource's usual quantity.
  const quantityE4 = BigInt(
    Math.max(1, Math.round(resource.baseQuantityE4 * (0.7 + 0.6 * hash01(catalog.seed, resource.index, meter.index, day)))),
  );
  const listPriceE6 = (meter.usdPriceE6 * RATE_E4[account.currency] + 5000n) / 10000n || 1n;
  const unitPriceE6 = (listPriceE6 * 85n) / 100n || 1n; // the partner's price: 15% under list
  const cost = decimal(quantityE4 * unitPriceE6, 10);
  return {
    billingAccountId: account.id,
    xNaturalKey: createHash('sha256').update(`${resource.id}|${meter.id}|${date}`).digest('base64url'),
    xCloud: account.cloud,
    xCustomerId: customer.id,
    xCustomerName: customer.name,
    xPlanId: `plan-${customer.index}`,
    subAccountId: subscription.id,
    subAccountName: `Subscription ${subscription.index}`,
    serviceName: SERVICES[meter.service][0],
    serviceCategory: SERVICES[meter.service][1],
    regionId: resource.region,
    regionName: resource.region,
    resourceId: resource.id,
    xResourceGroup: resource.rg.name,
    xMeterId: meter.id,
    xMeterName: meter.name,
    xMeterSubcategory: '',
    chargeCategory: 'Usage',
    xChargeType: 'new',
    chargePeriodStart: date,
    billingPeriodStart: `${month}-01`,
    invoiceId: billed ? `INV-${account.id}-${month}` : null,
    consumedQuantity: decimal(quantityE4, 4),
    consumedUnit: SERVICES[meter.service][3],
    xUnitPrice: decimal(unitPriceE6, 6),
    xEffectiveUnitPrice: decimal(unitPriceE6, 6),
    billedCost: cost,
    billingCurrency: account.currency,
    effectiveCost: cost,
    xListCost: decimal(quantityE4 * listPriceE6, 10),
    xPricingCost: decimal(quantityE4 * meter.usdPriceE6, 10),
    pricingCurrency: 'USD',
    xExchangeRate: decimal(RATE_E4[account.currency], 4),
    xExchangeRateDate: `${month}-01`,
    xPartnerEarnedCreditRate: '0',
    tags: resource.tags,
    xSource: billed ? 'billed' : 'unbilled',
    xSyncRunId: 'bench',
    xIngestedAt: '2026-12-01T00:00:00.000Z',
  };
}

/** The rows, day after day as a daily sync would see them, in pages of `pageSize` (memory stays flat). */
function* pages(catalog, pageSize = 2000) {
  let page = [];
  for (let day = 0; day < DAYS; day++) {
    for (const r of catalog.resources) {
      if (day < r.start || day >= r.start + r.days) continue;
      for (const m of r.meters) {
        page.push(costRow(catalog, r, m, day));
        if (page.length === pageSize) {
          yield page;
          page = [];
        }
      }
    }
  }
  if (page.length) yield page;
}

/** The store's customer and subscription catalog rows (display names for top-N and filters). */
function catalogRows(catalog) {
  return {
    customers: catalog.customers.map((c) => ({
      accountId: c.account.id,
      id: c.id,
      companyName: c.name,
      domain: `customer${c.index}.example`,
      country: null,
      relationshipToPartner: 'reseller',
      syncRunId: 'bench',
    })),
    subscriptions: catalog.subscriptions.map((s) => ({
      accountId: s.customer.account.id,
      id: s.id,
      customerId: s.customer.id,
      parentId: null,
      kind: 'azure_subscription',
      offerId: 'MS-AZR-0145P',
      friendlyName: `Subscription ${s.index}`,
      status: 'active',
      syncRunId: 'bench',
    })),
  };
}

/** The date ranges the benchmark's queries use: the last month of the data and the whole year. */
const RANGES = { month: { from: '2026-11-01', to: '2026-11-30' }, year: { from: dayString(0), to: dayString(DAYS - 1) } };

module.exports = { CARDINALITY, MIN_ROWS, TAG_KEYS, RANGES, buildCatalog, pages, catalogRows, decimal };
