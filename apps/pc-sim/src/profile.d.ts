/**
 * The static part of the simulated world: accounts, customers, subscriptions, Azure
 * entitlements, resources and usage "slots" (entitlement × resource × meter). Built once per
 * simulator from the seed; small (hundreds of slots per account), so it is materialised.
 * Daily usage is NOT materialised: see usage.ts.
 */
import { type CloudId, type Country, type MarketId, type MeterDef, type Region, type ResourceTypeDef } from './catalog';
import { Dec } from './money';
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
export declare const DEMO_ACCOUNTS: readonly AccountDef[];
/** Integration sandbox limits (reference §10). */
export declare const SANDBOX_LIMITS: {
    readonly customers: 75;
    readonly azureSubscriptionsPerCustomer: 5;
    readonly licensesPerSubscription: 25;
    readonly monthlyUsageCapUsd: "200";
};
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
    json: {
        head: string;
        meter: string;
        mid: string;
        tail: string;
    };
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
export declare function buildAccount(def: AccountDef, seed: number): AccountModel;
/** A large production account for benchmarks: about `itemsPerDay` line items per usage day. */
export declare function scaleAccount(itemsPerDay: number): AccountDef;
export declare function buildWorld(seed: number, scaleItemsPerDay?: number): AccountModel[];
