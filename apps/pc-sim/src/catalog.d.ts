/**
 * Static reference data: clouds, regions, Azure meters, names. Nothing here depends on the seed.
 */
export type CloudId = 'global' | 'usgov' | 'china' | 'germany';
export interface CloudInfo {
    id: CloudId;
    /** Token resource (v1 `resource`; v2 scope is `{resource}/.default`). */
    resource: string;
    /** Real-world authority host, for information only (the simulator serves `/login/{cloud}`). */
    realAuthority: string;
    realApiBase: string;
    /** Zone name used as `meterRegion` of bandwidth meters. */
    bandwidthZone: string;
    domainSuffix: string;
}
export declare const CLOUDS: Record<CloudId, CloudInfo>;
export declare function isCloudId(s: string): s is CloudId;
export interface Region {
    /** `resourceLocation` */
    name: string;
    /** `meterRegion` */
    display: string;
}
export declare const REGIONS: {
    readonly eastus: {
        readonly name: "eastus";
        readonly display: "US East";
    };
    readonly eastus2: {
        readonly name: "eastus2";
        readonly display: "US East 2";
    };
    readonly centralus: {
        readonly name: "centralus";
        readonly display: "US Central";
    };
    readonly westus2: {
        readonly name: "westus2";
        readonly display: "US West 2";
    };
    readonly canadacentral: {
        readonly name: "canadacentral";
        readonly display: "CA Central";
    };
    readonly westeurope: {
        readonly name: "westeurope";
        readonly display: "EU West";
    };
    readonly northeurope: {
        readonly name: "northeurope";
        readonly display: "EU North";
    };
    readonly uksouth: {
        readonly name: "uksouth";
        readonly display: "UK South";
    };
    readonly francecentral: {
        readonly name: "francecentral";
        readonly display: "FR Central";
    };
    readonly germanywestcentral: {
        readonly name: "germanywestcentral";
        readonly display: "DE West Central";
    };
    readonly swedencentral: {
        readonly name: "swedencentral";
        readonly display: "SE Central";
    };
    readonly southeastasia: {
        readonly name: "southeastasia";
        readonly display: "AP Southeast";
    };
    readonly usgovvirginia: {
        readonly name: "usgovvirginia";
        readonly display: "US Gov Virginia";
    };
    readonly usgovarizona: {
        readonly name: "usgovarizona";
        readonly display: "US Gov Arizona";
    };
    readonly usgovtexas: {
        readonly name: "usgovtexas";
        readonly display: "US Gov Texas";
    };
    readonly chinaeast2: {
        readonly name: "chinaeast2";
        readonly display: "CN East 2";
    };
    readonly chinanorth2: {
        readonly name: "chinanorth2";
        readonly display: "CN North 2";
    };
    readonly chinanorth3: {
        readonly name: "chinanorth3";
        readonly display: "CN North 3";
    };
    readonly germanycentral: {
        readonly name: "germanycentral";
        readonly display: "DE Central";
    };
    readonly germanynortheast: {
        readonly name: "germanynortheast";
        readonly display: "DE Northeast";
    };
};
export type RegionWeights = readonly (readonly [Region, number])[];
export type MarketId = 'us' | 'eu' | 'usgov' | 'cn' | 'de';
/** Region mixes per market (weight = share of resources placed there). */
export declare const MARKET_REGIONS: Record<MarketId, RegionWeights>;
export declare const MARKET_COUNTRIES: Record<MarketId, readonly (readonly [Country, number])[]>;
export interface Country {
    country: string;
    city: string;
    state: string;
    culture: string;
}
export declare const COMPANY_NAMES: readonly ["Fabrikam", "Northwind Traders", "Tailspin Toys", "Wingtip Toys", "Adventure Works", "Litware", "Woodgrove Bank", "Proseware", "Lucerne Publishing", "Alpine Ski House", "Coho Winery", "Fourth Coffee", "Margie's Travel", "Trey Research", "Wide World Importers", "Blue Yonder Airlines", "Humongous Insurance", "Graphic Design Institute", "Consolidated Messenger", "City Power & Light", "Relecloud", "VanArsdel", "Munson's Pickles and Preserves", "Bellows College", "Best For You Organics", "A. Datum Corporation", "Southridge Video", "Tasmanian Traders", "School of Fine Art", "Liberty Delightful Sinful Bakery", "Nod Publishers", "Baldwin Museum of Science"];
export declare const ENTITLEMENT_NAMES: readonly ["Production", "Development", "Test", "Shared Services", "Data Platform", "Web Platform", "Analytics", "Disaster Recovery"];
export type QtyKind = 
/** hours per instance per day (≤ 24 × instances) */
'hours'
/** monthly unit spread over the days (quantity ≈ size / 30 per day) */
 | 'monthly'
/** free-running volume (GB, operations, …) */
 | 'volume';
export interface MeterDef {
    key: string;
    meterCategory: string;
    meterSubCategory: string;
    meterName: string;
    meterType: string;
    unit: string;
    priceUsd: string;
    qty: QtyKind;
    /** Typical daily quantity (volume), size (monthly) or instance count upper bound (hours). */
    base: number;
    /** Multiplier on weekends (volume/hours). */
    weekend: number;
    /** Relative day-to-day noise amplitude. */
    noise: number;
    /** Probability the meter reports on a given day. */
    presence: number;
    /** Uses the cloud's bandwidth zone instead of the region display name. */
    zone?: boolean;
}
export declare const METERS: {
    readonly vmD2v3: MeterDef;
    readonly vmD4v5: MeterDef;
    readonly vmB2s: MeterDef;
    readonly vmE4v5: MeterDef;
    readonly vmE8v5: MeterDef;
    readonly vmD4v3Win: MeterDef;
    readonly bwOut: MeterDef;
    readonly bwIntra: MeterDef;
    readonly diskP10: MeterDef;
    readonly diskP30: MeterDef;
    readonly diskE10: MeterDef;
    readonly blobHot: MeterDef;
    readonly blobWrite: MeterDef;
    readonly blobRead: MeterDef;
    readonly appP1v3: MeterDef;
    readonly appS1: MeterDef;
    readonly sqlGpVcore: MeterDef;
    readonly sqlGpStorage: MeterDef;
    readonly sqlS1: MeterDef;
    readonly cosmosRu: MeterDef;
    readonly cosmosData: MeterDef;
    readonly aksUptime: MeterDef;
    readonly laIngest: MeterDef;
    readonly monMetrics: MeterDef;
    readonly kvOps: MeterDef;
    readonly kvHsm: MeterDef;
    readonly pipStatic: MeterDef;
    readonly vnetPeering: MeterDef;
    readonly lbData: MeterDef;
    readonly lbRules: MeterDef;
    readonly fnExec: MeterDef;
    readonly fnTime: MeterDef;
    readonly backupVm: MeterDef;
    readonly backupLrs: MeterDef;
};
export interface ResourceTypeDef {
    key: string;
    provider: string;
    consumedService: string;
    namePrefix: string;
    resourceGroups: readonly string[];
    /** Alternative meter sets; one is picked per resource. */
    meterSets: readonly (readonly MeterDef[])[];
    /** Relative frequency. */
    weight: number;
    /** Sandbox-friendly (cheap); expensive types are rarer in the sandbox. */
    additionalInfo?: (meter: MeterDef) => string;
}
export declare const RESOURCE_TYPES: readonly ResourceTypeDef[];
/** Unit-price factors from USD list prices to each (cloud, pricing currency). */
export declare function priceFactor(cloud: CloudId, pricingCurrency: string): string;
/** A license-based subscription offered in each cloud (not part of usage). */
export declare function licenseOffer(cloud: CloudId): {
    offerId: string;
    offerName: string;
} | null;
