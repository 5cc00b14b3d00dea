"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SANDBOX_LIMITS = exports.DEMO_ACCOUNTS = void 0;
exports.buildAccount = buildAccount;
exports.scaleAccount = scaleAccount;
exports.buildWorld = buildWorld;
/**
 * The static part of the simulated world: accounts, customers, subscriptions, Azure
 * entitlements, resources and usage "slots" (entitlement × resource × meter). Built once per
 * simulator from the seed; small (hundreds of slots per account), so it is materialised.
 * Daily usage is NOT materialised: see usage.ts.
 */
const catalog_1 = require("./catalog");
const dates_1 = require("./dates");
const hash_1 = require("./hash");
const money_1 = require("./money");
exports.DEMO_ACCOUNTS = [
    { id: 'global-us', name: 'Contoso CSP Global', cloud: 'global', currency: 'USD', pricingCurrency: 'USD', sandbox: false, market: 'us', customers: [6, 12], slots: [130, 200] },
    { id: 'eu', name: 'Contoso CSP Europe', cloud: 'global', currency: 'EUR', pricingCurrency: 'USD', sandbox: false, market: 'eu', customers: [6, 12], slots: [130, 200] },
    { id: 'usgov', name: 'Contoso CSP US Government', cloud: 'usgov', currency: 'USD', pricingCurrency: 'USD', sandbox: false, market: 'usgov', customers: [6, 12], slots: [120, 190] },
    { id: 'china', name: 'Contoso CSP China (21Vianet)', cloud: 'china', currency: 'CNY', pricingCurrency: 'CNY', sandbox: false, market: 'cn', customers: [6, 12], slots: [110, 180] },
    { id: 'germany', name: 'Contoso CSP Germany', cloud: 'germany', currency: 'EUR', pricingCurrency: 'EUR', sandbox: false, market: 'de', customers: [6, 12], slots: [110, 170] },
    { id: 'global-sandbox', name: 'Contoso CSP Integration Sandbox', cloud: 'global', currency: 'USD', pricingCurrency: 'USD', sandbox: true, market: 'us', customers: [3, 5], slots: [15, 28] },
];
/** Integration sandbox limits (reference §10). */
exports.SANDBOX_LIMITS = { customers: 75, azureSubscriptionsPerCustomer: 5, licensesPerSubscription: 25, monthlyUsageCapUsd: '200' };
const EARLIEST = (0, dates_1.parseYmd)('2021-01-04');
const LATEST = (0, dates_1.parseYmd)('2024-12-16');
function slug(name) {
    return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
function aadSecret(label) {
    const h = Buffer.from((0, hash_1.sha256Hex)(label), 'hex').toString('base64url').replace(/[-_]/g, '.');
    return `${h.slice(0, 3)}8Q~${h.slice(3, 37)}`;
}
function jsonStr(s) {
    return JSON.stringify(s);
}
function buildAccount(def, seed) {
    const label = `pc-sim|${seed}|${def.id}`;
    const rng = new hash_1.Rng(label);
    const cloud = catalog_1.CLOUDS[def.cloud];
    const tenantId = (0, hash_1.guidFrom)(`${label}|tenant`);
    const appId = (0, hash_1.guidFrom)(`${label}|app`);
    const secret = aadSecret(`${label}|secret`);
    const mpnId = String(1_000_000 + ((0, hash_1.strHash32)(`${label}|mpn`) % 9_000_000));
    const monthlyCap = def.sandbox ? new money_1.Dec(exports.SANDBOX_LIMITS.monthlyUsageCapUsd) : null;
    // Customers ---------------------------------------------------------------------------------
    const nCustomers = Math.min(rng.int(def.customers[0], def.customers[1]), def.sandbox ? exports.SANDBOX_LIMITS.customers : Infinity);
    const names = rng.sample(catalog_1.COMPANY_NAMES, nCustomers);
    const customers = [];
    const entitlements = [];
    const lic = (0, catalog_1.licenseOffer)(def.cloud);
    for (let i = 0; i < nCustomers; i++) {
        const cl = `${label}|customer|${i}`;
        const baseName = names[i];
        const companyName = def.sandbox ? `${baseName} (Test)` : def.market === 'cn' ? `${baseName} China` : baseName;
        const domainSlug = slug(baseName) + (def.sandbox ? 'test' : '') + (def.market === 'eu' ? 'eu' : '');
        const domain = `${domainSlug}.${cloud.domainSuffix}`;
        const id = (0, hash_1.guidFrom)(`${cl}|tenant`);
        const createdDay = EARLIEST + rng.int(0, LATEST - EARLIEST - 60);
        const country = rng.weighted(catalog_1.MARKET_COUNTRIES[def.market]);
        const planId = (0, hash_1.guidFrom)(`${cl}|plan`);
        const plan = {
            id: planId,
            entitlementId: (0, hash_1.guidFrom)(`${cl}|plan-entitlement`),
            offerId: 'DZH318Z0BCZC:0001',
            offerName: 'Azure plan',
            friendlyName: 'Azure plan',
            quantity: 1,
            unitType: 'Usage-based',
            status: 'active',
            creationDate: (0, dates_1.dayToIso)(createdDay),
            effectiveStartDate: (0, dates_1.dayToIso)(createdDay),
            commitmentEndDate: '9999-12-14T00:00:00Z',
            autoRenewEnabled: false,
            billingType: 'usage',
            billingCycle: 'monthly',
            contractType: 'subscription',
            orderId: (0, hash_1.sha256Hex)(`${cl}|order`).slice(0, 32),
            isAzurePlan: true,
        };
        let license = null;
        if (lic && rng.chance(0.5)) {
            const licDay = createdDay + rng.int(0, 40);
            const qty = def.sandbox ? rng.int(1, exports.SANDBOX_LIMITS.licensesPerSubscription) : rng.int(5, 250);
            license = {
                id: (0, hash_1.guidFrom)(`${cl}|license`),
                entitlementId: (0, hash_1.guidFrom)(`${cl}|license-entitlement`),
                offerId: lic.offerId,
                offerName: lic.offerName,
                friendlyName: lic.offerName,
                quantity: qty,
                unitType: 'Licenses',
                status: 'active',
                creationDate: (0, dates_1.dayToIso)(licDay),
                effectiveStartDate: (0, dates_1.dayToIso)(licDay),
                commitmentEndDate: (0, dates_1.dayToIso)(licDay + 365),
                autoRenewEnabled: true,
                billingType: 'license',
                billingCycle: 'monthly',
                termDuration: 'P1Y',
                contractType: 'subscription',
                orderId: (0, hash_1.sha256Hex)(`${cl}|license-order`).slice(0, 32),
                isAzurePlan: false,
            };
        }
        const c = {
            idx: i,
            id,
            commerceId: (0, hash_1.guidFrom)(`${cl}|commerce`),
            companyName,
            domain,
            country,
            email: `billing@${slug(baseName)}.example`,
            plan,
            license,
            entitlements: [],
        };
        const nEnt = Math.min(rng.int(1, 3), exports.SANDBOX_LIMITS.azureSubscriptionsPerCustomer);
        const entNames = [catalog_1.ENTITLEMENT_NAMES[0], ...rng.sample(catalog_1.ENTITLEMENT_NAMES.slice(1), nEnt - 1)];
        for (let j = 0; j < nEnt; j++) {
            const friendlyName = entNames[j];
            const e = {
                idx: entitlements.length,
                id: (0, hash_1.guidFrom)(`${cl}|entitlement|${j}`),
                friendlyName,
                status: 'active',
                customer: c,
                createdDay: createdDay + (j === 0 ? 0 : rng.int(1, 300)),
                pecRate: !def.sandbox && rng.chance(0.65) ? '0.15' : '0',
                isDev: friendlyName === 'Development' || friendlyName === 'Test',
                primaryRegion: rng.weighted(catalog_1.MARKET_REGIONS[def.market]),
            };
            c.entitlements.push(e);
            entitlements.push(e);
        }
        customers.push(c);
    }
    // Resources and slots ---------------------------------------------------------------------
    const slots = [];
    const counters = new Map();
    const typeWeights = catalog_1.RESOURCE_TYPES.map((t) => [t, t.weight]);
    const target = rng.int(def.slots[0], def.slots[1]);
    const entWeights = entitlements.map((e) => [e, e.friendlyName === 'Production' ? 3 : e.isDev ? 1 : 1.5]);
    const addResource = (ent, type, meters) => {
        const region = rng.chance(0.75) ? ent.primaryRegion : rng.weighted(catalog_1.MARKET_REGIONS[def.market]);
        let rg = rng.pick(type.resourceGroups);
        if (type.key === 'aksnodes')
            rg = `MC_rg-aks_aks-${slug(ent.friendlyName)}_${region.name}`;
        const ck = `${ent.idx}|${type.key}`;
        const n = (counters.get(ck) ?? 0) + 1;
        counters.set(ck, n);
        const envShort = ent.isDev ? 'dev' : ent.friendlyName === 'Test' ? 'test' : 'prod';
        const name = type.key === 'storage'
            ? `st${slug(ent.customer.companyName).slice(0, 10)}${envShort}${String(n).padStart(2, '0')}`
            : type.key === 'aksnodes'
                ? `aks-nodepool${n}-${String(10000000 + ((0, hash_1.strHash32)(`${label}|${ck}|${n}`) % 89999999))}-vmss`
                : `${type.namePrefix}-${envShort}-${slug(ent.friendlyName).slice(0, 6)}-${String(n).padStart(2, '0')}`;
        const uri = `/subscriptions/${ent.id}/resourceGroups/${rg}/providers/${type.provider}/${name}`;
        let tags = '';
        if (rng.chance(0.7)) {
            const t = { env: envShort, costCenter: `CC-${rng.int(1000, 9999)}` };
            if (rng.chance(0.5))
                t.owner = rng.pick(['platform-team', 'data-team', 'web-team', 'it-ops', 'finance-apps']);
            if (rng.chance(0.3))
                t.project = rng.pick(['phoenix', 'atlas', 'mercury', 'orion', 'hermes']);
            tags = JSON.stringify(t);
        }
        const res = { ent, type, name, resourceGroup: rg, region, uri, tags };
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
        const vmType = catalog_1.RESOURCE_TYPES.find((t) => t.key === 'vm');
        addResource(entitlements[0], vmType, [catalog_1.METERS.vmE8v5]);
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
        key: (0, hash_1.strHash32)(label),
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
function makeSlot(def, tenantId, mpnId, idx, res, meter, scale, growth) {
    const cloud = catalog_1.CLOUDS[def.cloud];
    const meterRegion = meter.zone ? cloud.bandwidthZone : res.region.display;
    const meterId = (0, hash_1.guidFrom)(`meter|${def.cloud}|${meterRegion}|${meter.key}`);
    const unitPrice = new money_1.Dec(meter.priceUsd).times((0, catalog_1.priceFactor)(def.cloud, def.pricingCurrency)).toDecimalPlaces(6, money_1.Dec.ROUND_HALF_UP);
    const ent = res.ent;
    const effectiveUnitPrice = unitPrice.times(new money_1.Dec(1).minus(ent.pecRate)).toDecimalPlaces(8, money_1.Dec.ROUND_HALF_UP);
    const c = ent.customer;
    const pec = ent.pecRate !== '0';
    const head = `{"partnerId":${jsonStr(tenantId)},"partnerName":${jsonStr(def.name)},"customerId":${jsonStr(c.id)},"customerName":${jsonStr(c.companyName)}` +
        `,"customerDomainName":${jsonStr(c.domain)},"customerCountry":${jsonStr(c.country.country)},"invoiceNumber":""` +
        `,"mpnId":${jsonStr(mpnId)},"resellerMpnId":"","productId":"DZH318Z0BCZC","skuId":"0001","availabilityId":"DZH318Z0BXWC"` +
        `,"skuName":"Azure plan","productName":"Azure plan","publisherName":"Microsoft","publisherId":""` +
        `,"subscriptionId":${jsonStr(c.plan.id)},"subscriptionDescription":"Azure plan"`;
    const meterJson = `,"meterType":${jsonStr(meter.meterType)},"meterCategory":${jsonStr(meter.meterCategory)},"meterId":${jsonStr(meterId)}` +
        `,"meterSubCategory":${jsonStr(meter.meterSubCategory)},"meterName":${jsonStr(meter.meterName)},"meterRegion":${jsonStr(meterRegion)}` +
        `,"unitOfMeasure":${jsonStr(meter.unit)},"resourceLocation":${jsonStr(res.region.name)},"consumedService":${jsonStr(res.type.consumedService)}` +
        `,"resourceGroup":${jsonStr(res.resourceGroup)},"resourceUri":${jsonStr(res.uri)},"tags":${jsonStr(res.tags)}` +
        `,"additionalInfo":${jsonStr(res.type.additionalInfo?.(meter) ?? '')},"serviceInfo1":"","serviceInfo2":""`;
    const mid = `,"unitType":${jsonStr(meter.unit)}`;
    const tail = `,"effectiveUnitPrice":${(0, money_1.decStr)(effectiveUnitPrice)},"rateOfPartnerEarnedCredit":${ent.pecRate},"rateOfCredit":0` +
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
function scaleAccount(itemsPerDay) {
    return { id: 'scale', name: 'Contoso CSP Scale Test', cloud: 'global', currency: 'USD', pricingCurrency: 'USD', sandbox: false, market: 'us', customers: [12, 12], slots: [itemsPerDay, itemsPerDay] };
}
function buildWorld(seed, scaleItemsPerDay) {
    const defs = scaleItemsPerDay ? [...exports.DEMO_ACCOUNTS, scaleAccount(scaleItemsPerDay)] : exports.DEMO_ACCOUNTS;
    return defs.map((d) => buildAccount(d, seed));
}
//# sourceMappingURL=profile.js.map