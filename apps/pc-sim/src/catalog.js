"use strict";
/**
 * Static reference data: clouds, regions, Azure meters, names. Nothing here depends on the seed.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.RESOURCE_TYPES = exports.METERS = exports.ENTITLEMENT_NAMES = exports.COMPANY_NAMES = exports.MARKET_COUNTRIES = exports.MARKET_REGIONS = exports.REGIONS = exports.CLOUDS = void 0;
exports.isCloudId = isCloudId;
exports.priceFactor = priceFactor;
exports.licenseOffer = licenseOffer;
exports.CLOUDS = {
    global: {
        id: 'global',
        resource: 'https://api.partnercenter.microsoft.com',
        realAuthority: 'https://login.microsoftonline.com',
        realApiBase: 'https://api.partnercenter.microsoft.com',
        bandwidthZone: 'Zone 1',
        domainSuffix: 'onmicrosoft.com',
    },
    usgov: {
        id: 'usgov',
        resource: 'https://api.partnercenter.microsoft.com',
        realAuthority: 'https://login.microsoftonline.us',
        realApiBase: 'https://api.partnercenter.microsoft.com',
        bandwidthZone: 'US Gov Zone 1',
        domainSuffix: 'onmicrosoft.us',
    },
    china: {
        id: 'china',
        resource: 'https://partner.partnercenterapi.microsoftonline.cn',
        realAuthority: 'https://login.chinacloudapi.cn',
        realApiBase: 'https://partner.partnercenterapi.microsoftonline.cn',
        bandwidthZone: 'CN Zone 1',
        domainSuffix: 'partner.onmschina.cn',
    },
    germany: {
        id: 'germany',
        resource: 'https://api.partnercenter.microsoft.com',
        realAuthority: 'https://login.microsoftonline.de',
        realApiBase: 'https://api.partnercenter.microsoft.com',
        bandwidthZone: 'DE Zone 1',
        domainSuffix: 'onmicrosoft.de',
    },
};
function isCloudId(s) {
    return Object.prototype.hasOwnProperty.call(exports.CLOUDS, s);
}
exports.REGIONS = {
    eastus: { name: 'eastus', display: 'US East' },
    eastus2: { name: 'eastus2', display: 'US East 2' },
    centralus: { name: 'centralus', display: 'US Central' },
    westus2: { name: 'westus2', display: 'US West 2' },
    canadacentral: { name: 'canadacentral', display: 'CA Central' },
    westeurope: { name: 'westeurope', display: 'EU West' },
    northeurope: { name: 'northeurope', display: 'EU North' },
    uksouth: { name: 'uksouth', display: 'UK South' },
    francecentral: { name: 'francecentral', display: 'FR Central' },
    germanywestcentral: { name: 'germanywestcentral', display: 'DE West Central' },
    swedencentral: { name: 'swedencentral', display: 'SE Central' },
    southeastasia: { name: 'southeastasia', display: 'AP Southeast' },
    usgovvirginia: { name: 'usgovvirginia', display: 'US Gov Virginia' },
    usgovarizona: { name: 'usgovarizona', display: 'US Gov Arizona' },
    usgovtexas: { name: 'usgovtexas', display: 'US Gov Texas' },
    chinaeast2: { name: 'chinaeast2', display: 'CN East 2' },
    chinanorth2: { name: 'chinanorth2', display: 'CN North 2' },
    chinanorth3: { name: 'chinanorth3', display: 'CN North 3' },
    germanycentral: { name: 'germanycentral', display: 'DE Central' },
    germanynortheast: { name: 'germanynortheast', display: 'DE Northeast' },
};
/** Region mixes per market (weight = share of resources placed there). */
exports.MARKET_REGIONS = {
    us: [
        [exports.REGIONS.eastus, 30],
        [exports.REGIONS.eastus2, 18],
        [exports.REGIONS.westus2, 16],
        [exports.REGIONS.centralus, 10],
        [exports.REGIONS.canadacentral, 5],
        [exports.REGIONS.westeurope, 8],
        [exports.REGIONS.northeurope, 4],
        [exports.REGIONS.uksouth, 4],
        [exports.REGIONS.southeastasia, 5],
    ],
    eu: [
        [exports.REGIONS.westeurope, 34],
        [exports.REGIONS.northeurope, 20],
        [exports.REGIONS.germanywestcentral, 12],
        [exports.REGIONS.francecentral, 10],
        [exports.REGIONS.swedencentral, 7],
        [exports.REGIONS.uksouth, 8],
        [exports.REGIONS.eastus, 6],
        [exports.REGIONS.southeastasia, 3],
    ],
    usgov: [
        [exports.REGIONS.usgovvirginia, 60],
        [exports.REGIONS.usgovarizona, 22],
        [exports.REGIONS.usgovtexas, 18],
    ],
    cn: [
        [exports.REGIONS.chinaeast2, 50],
        [exports.REGIONS.chinanorth2, 25],
        [exports.REGIONS.chinanorth3, 25],
    ],
    de: [
        [exports.REGIONS.germanycentral, 70],
        [exports.REGIONS.germanynortheast, 30],
    ],
};
exports.MARKET_COUNTRIES = {
    us: [
        [{ country: 'US', city: 'Redmond', state: 'WA', culture: 'en-US' }, 3],
        [{ country: 'US', city: 'New York', state: 'NY', culture: 'en-US' }, 3],
        [{ country: 'US', city: 'Austin', state: 'TX', culture: 'en-US' }, 2],
        [{ country: 'US', city: 'Chicago', state: 'IL', culture: 'en-US' }, 2],
        [{ country: 'CA', city: 'Toronto', state: 'ON', culture: 'en-CA' }, 1],
    ],
    eu: [
        [{ country: 'DE', city: 'München', state: '', culture: 'de-DE' }, 3],
        [{ country: 'FR', city: 'Paris', state: '', culture: 'fr-FR' }, 3],
        [{ country: 'NL', city: 'Amsterdam', state: '', culture: 'nl-NL' }, 2],
        [{ country: 'IE', city: 'Dublin', state: '', culture: 'en-IE' }, 1],
        [{ country: 'ES', city: 'Madrid', state: '', culture: 'es-ES' }, 1],
        [{ country: 'IT', city: 'Milano', state: '', culture: 'it-IT' }, 1],
        [{ country: 'SE', city: 'Stockholm', state: '', culture: 'sv-SE' }, 1],
    ],
    usgov: [
        [{ country: 'US', city: 'Arlington', state: 'VA', culture: 'en-US' }, 3],
        [{ country: 'US', city: 'Washington', state: 'DC', culture: 'en-US' }, 3],
        [{ country: 'US', city: 'Phoenix', state: 'AZ', culture: 'en-US' }, 1],
    ],
    cn: [
        [{ country: 'CN', city: 'Shanghai', state: '', culture: 'zh-CN' }, 3],
        [{ country: 'CN', city: 'Beijing', state: '', culture: 'zh-CN' }, 3],
        [{ country: 'CN', city: 'Shenzhen', state: '', culture: 'zh-CN' }, 2],
    ],
    de: [
        [{ country: 'DE', city: 'Frankfurt am Main', state: '', culture: 'de-DE' }, 3],
        [{ country: 'DE', city: 'Berlin', state: '', culture: 'de-DE' }, 2],
        [{ country: 'DE', city: 'Magdeburg', state: '', culture: 'de-DE' }, 1],
    ],
};
exports.COMPANY_NAMES = [
    'Fabrikam',
    'Northwind Traders',
    'Tailspin Toys',
    'Wingtip Toys',
    'Adventure Works',
    'Litware',
    'Woodgrove Bank',
    'Proseware',
    'Lucerne Publishing',
    'Alpine Ski House',
    'Coho Winery',
    'Fourth Coffee',
    "Margie's Travel",
    'Trey Research',
    'Wide World Importers',
    'Blue Yonder Airlines',
    'Humongous Insurance',
    'Graphic Design Institute',
    'Consolidated Messenger',
    'City Power & Light',
    'Relecloud',
    'VanArsdel',
    "Munson's Pickles and Preserves",
    'Bellows College',
    'Best For You Organics',
    'A. Datum Corporation',
    'Southridge Video',
    'Tasmanian Traders',
    'School of Fine Art',
    'Liberty Delightful Sinful Bakery',
    'Nod Publishers',
    'Baldwin Museum of Science',
];
exports.ENTITLEMENT_NAMES = [
    'Production',
    'Development',
    'Test',
    'Shared Services',
    'Data Platform',
    'Web Platform',
    'Analytics',
    'Disaster Recovery',
];
function m(key, meterCategory, meterSubCategory, meterName, unit, priceUsd, qty, base, opts = {}) {
    return {
        key,
        meterCategory,
        meterSubCategory,
        meterName,
        unit,
        priceUsd,
        qty,
        base,
        meterType: opts.meterType ?? unit,
        weekend: opts.weekend ?? 1,
        noise: opts.noise ?? 0.1,
        presence: opts.presence ?? 1,
        zone: opts.zone,
    };
}
exports.METERS = {
    vmD2v3: m('vm.d2v3', 'Virtual Machines', 'Dv3/DSv3 Series', 'D2 v3/D2s v3', '1 Hour', '0.096', 'hours', 2, { meterType: '1 Compute Hour' }),
    vmD4v5: m('vm.d4v5', 'Virtual Machines', 'Dsv5 Series', 'D4s v5', '1 Hour', '0.192', 'hours', 3, { meterType: '1 Compute Hour' }),
    vmB2s: m('vm.b2s', 'Virtual Machines', 'BS Series', 'B2s', '1 Hour', '0.0416', 'hours', 2, { meterType: '1 Compute Hour' }),
    vmE4v5: m('vm.e4v5', 'Virtual Machines', 'Esv5 Series', 'E4s v5', '1 Hour', '0.252', 'hours', 2, { meterType: '1 Compute Hour' }),
    vmE8v5: m('vm.e8v5', 'Virtual Machines', 'Esv5 Series', 'E8s v5', '1 Hour', '0.504', 'hours', 1, { meterType: '1 Compute Hour' }),
    vmD4v3Win: m('vm.d4v3win', 'Virtual Machines', 'Dv3/DSv3 Series Windows', 'D4 v3/D4s v3', '1 Hour', '0.376', 'hours', 2, { meterType: '1 Compute Hour' }),
    bwOut: m('bw.out', 'Bandwidth', 'Rtn Preference: MGN', 'Standard Data Transfer Out', '1 GB', '0.087', 'volume', 14, { weekend: 0.55, noise: 0.35, presence: 0.92, zone: true }),
    bwIntra: m('bw.intra', 'Bandwidth', 'Inter-Region', 'Intra Continent Data Transfer Out', '1 GB', '0.02', 'volume', 9, { weekend: 0.6, noise: 0.4, presence: 0.8, zone: true }),
    diskP10: m('disk.p10', 'Storage', 'Premium SSD Managed Disks', 'P10 LRS Disk', '1/Month', '19.71', 'monthly', 1, { noise: 0 }),
    diskP30: m('disk.p30', 'Storage', 'Premium SSD Managed Disks', 'P30 LRS Disk', '1/Month', '135.17', 'monthly', 1, { noise: 0 }),
    diskE10: m('disk.e10', 'Storage', 'Standard SSD Managed Disks', 'E10 LRS Disk', '1/Month', '9.6', 'monthly', 1, { noise: 0 }),
    blobHot: m('st.hot', 'Storage', 'Tiered Block Blob', 'Hot LRS Data Stored', '1 GB/Month', '0.0184', 'monthly', 850, { noise: 0.02 }),
    blobWrite: m('st.write', 'Storage', 'Tiered Block Blob', 'Hot LRS Write Operations', '10K', '0.055', 'volume', 42, { weekend: 0.5, noise: 0.3 }),
    blobRead: m('st.read', 'Storage', 'Tiered Block Blob', 'Hot Read Operations', '10K', '0.0044', 'volume', 130, { weekend: 0.5, noise: 0.3, presence: 0.95 }),
    appP1v3: m('app.p1v3', 'Azure App Service', 'Premium v3 Plan', 'P1 v3 App', '1 Hour', '0.2', 'hours', 3),
    appS1: m('app.s1', 'Azure App Service', 'Standard Plan', 'S1 App', '1 Hour', '0.1', 'hours', 2),
    sqlGpVcore: m('sql.gp.vcore', 'SQL Database', 'Single/Elastic Pool General Purpose - Compute Gen5', 'vCore', '1 Hour', '0.2522', 'hours', 4, { meterType: '1 vCore Hour' }),
    sqlGpStorage: m('sql.gp.storage', 'SQL Database', 'Single/Elastic Pool General Purpose - Storage', 'General Purpose Data Stored', '1 GB/Month', '0.115', 'monthly', 250, { noise: 0.01 }),
    sqlS1: m('sql.s1', 'SQL Database', 'Single Standard', 'S1 DTUs', '1/Day', '0.9733', 'hours', 1, { meterType: '1/Day' }),
    cosmosRu: m('cosmos.ru', 'Azure Cosmos DB', 'RUs', '100 RU/s', '1 Hour', '0.008', 'hours', 8),
    cosmosData: m('cosmos.data', 'Azure Cosmos DB', 'Data Stored', 'Data Stored', '1 GB/Month', '0.25', 'monthly', 120, { noise: 0.02 }),
    aksUptime: m('aks.uptime', 'Azure Kubernetes Service', 'Standard', 'Standard Uptime SLA', '1 Hour', '0.1', 'hours', 1, { noise: 0 }),
    laIngest: m('mon.ingest', 'Azure Monitor', 'Analytics Logs', 'Pay-as-you-go Data Ingestion', '1 GB', '2.3', 'volume', 3.5, { weekend: 0.7, noise: 0.25 }),
    monMetrics: m('mon.metrics', 'Azure Monitor', 'Metrics', 'Metrics ingestion', '10M', '0.258', 'volume', 0.8, { noise: 0.2, presence: 0.85 }),
    kvOps: m('kv.ops', 'Key Vault', '', 'Operations', '10K', '0.03', 'volume', 6, { weekend: 0.6, noise: 0.4, presence: 0.9 }),
    kvHsm: m('kv.hsm', 'Key Vault', '', 'Premium HSM-protected RSA 2048-bit keys', '1/Month', '1', 'monthly', 5, { noise: 0 }),
    pipStatic: m('vnet.pip', 'Virtual Network', 'IP Addresses', 'Standard IPv4 Static Public IP', '1 Hour', '0.005', 'hours', 1, { noise: 0 }),
    vnetPeering: m('vnet.peer', 'Virtual Network', 'Peering', 'Intra-Region Ingress', '1 GB', '0.01', 'volume', 40, { weekend: 0.6, noise: 0.3, presence: 0.95 }),
    lbData: m('lb.data', 'Load Balancer', 'Standard', 'Standard Data Processed', '1 GB', '0.005', 'volume', 60, { weekend: 0.6, noise: 0.3 }),
    lbRules: m('lb.rules', 'Load Balancer', 'Standard', 'Standard Included LB Rules and Outbound Rules', '1 Hour', '0.025', 'hours', 1, { noise: 0 }),
    fnExec: m('fn.exec', 'Functions', '', 'Standard Total Executions', '10', '0.000002', 'volume', 180000, { weekend: 0.4, noise: 0.5, presence: 0.97 }),
    fnTime: m('fn.time', 'Functions', '', 'Standard Execution Time', '10 GB Second', '0.00016', 'volume', 2600, { weekend: 0.4, noise: 0.5, presence: 0.97 }),
    backupVm: m('bk.vm', 'Backup', '', 'Azure VM Protected Instances', '1/Month', '10', 'monthly', 4, { noise: 0 }),
    backupLrs: m('bk.lrs', 'Backup', '', 'LRS Data Stored', '1 GB/Month', '0.0224', 'monthly', 900, { noise: 0.03 }),
};
const vmInfo = (m) => {
    if (m.meterCategory !== 'Virtual Machines')
        return '';
    const size = 'Standard_' + m.meterName.split('/').pop().replace(/ /g, '_');
    const win = m.meterSubCategory.endsWith('Windows');
    return JSON.stringify({ ServiceType: size, ImageType: win ? 'Windows Server BYOL' : 'Canonical', VMName: '', VCPUs: Number(/\d+/.exec(m.meterName)?.[0] ?? 2) });
};
exports.RESOURCE_TYPES = [
    {
        key: 'vm',
        provider: 'Microsoft.Compute/virtualMachines',
        consumedService: 'Microsoft.Compute',
        namePrefix: 'vm',
        resourceGroups: ['rg-web', 'rg-app', 'rg-jumpbox', 'rg-legacy', 'rg-sap'],
        meterSets: [
            [exports.METERS.vmD2v3, exports.METERS.bwOut],
            [exports.METERS.vmD4v5, exports.METERS.bwOut],
            [exports.METERS.vmB2s],
            [exports.METERS.vmE4v5, exports.METERS.bwIntra],
            [exports.METERS.vmD4v3Win, exports.METERS.bwOut],
        ],
        weight: 22,
        additionalInfo: vmInfo,
    },
    {
        key: 'disk',
        provider: 'Microsoft.Compute/disks',
        consumedService: 'Microsoft.Compute',
        namePrefix: 'disk',
        resourceGroups: ['rg-web', 'rg-app', 'rg-data'],
        meterSets: [[exports.METERS.diskP10], [exports.METERS.diskP30], [exports.METERS.diskE10]],
        weight: 12,
    },
    {
        key: 'storage',
        provider: 'Microsoft.Storage/storageAccounts',
        consumedService: 'Microsoft.Storage',
        namePrefix: 'st',
        resourceGroups: ['rg-data', 'rg-shared', 'rg-logs'],
        meterSets: [
            [exports.METERS.blobHot, exports.METERS.blobWrite, exports.METERS.blobRead],
            [exports.METERS.blobHot, exports.METERS.blobWrite],
        ],
        weight: 14,
    },
    {
        key: 'appservice',
        provider: 'Microsoft.Web/serverFarms',
        consumedService: 'Microsoft.Web',
        namePrefix: 'asp',
        resourceGroups: ['rg-web', 'rg-api'],
        meterSets: [[exports.METERS.appP1v3], [exports.METERS.appS1]],
        weight: 9,
    },
    {
        key: 'sql',
        provider: 'Microsoft.Sql/servers',
        consumedService: 'Microsoft.Sql',
        namePrefix: 'sql',
        resourceGroups: ['rg-data', 'rg-erp'],
        meterSets: [[exports.METERS.sqlGpVcore, exports.METERS.sqlGpStorage], [exports.METERS.sqlS1]],
        weight: 8,
    },
    {
        key: 'cosmos',
        provider: 'Microsoft.DocumentDB/databaseAccounts',
        consumedService: 'Microsoft.DocumentDB',
        namePrefix: 'cosmos',
        resourceGroups: ['rg-data', 'rg-api'],
        meterSets: [[exports.METERS.cosmosRu, exports.METERS.cosmosData]],
        weight: 5,
    },
    {
        key: 'aks',
        provider: 'Microsoft.ContainerService/managedClusters',
        consumedService: 'Microsoft.ContainerService',
        namePrefix: 'aks',
        resourceGroups: ['rg-aks-prod', 'rg-aks-dev'],
        meterSets: [[exports.METERS.aksUptime]],
        weight: 4,
    },
    {
        key: 'aksnodes',
        provider: 'Microsoft.Compute/virtualMachineScaleSets',
        consumedService: 'Microsoft.Compute',
        namePrefix: 'aks-nodepool',
        resourceGroups: ['mc_rg-aks-prod_aks-prod_westeurope', 'mc_rg-aks_cluster'],
        meterSets: [[exports.METERS.vmD4v5, exports.METERS.bwOut]],
        weight: 4,
        additionalInfo: vmInfo,
    },
    {
        key: 'loganalytics',
        provider: 'Microsoft.OperationalInsights/workspaces',
        consumedService: 'Microsoft.OperationalInsights',
        namePrefix: 'log',
        resourceGroups: ['rg-monitoring', 'rg-shared'],
        meterSets: [[exports.METERS.laIngest], [exports.METERS.laIngest, exports.METERS.monMetrics]],
        weight: 7,
    },
    {
        key: 'keyvault',
        provider: 'Microsoft.KeyVault/vaults',
        consumedService: 'Microsoft.KeyVault',
        namePrefix: 'kv',
        resourceGroups: ['rg-shared', 'rg-security'],
        meterSets: [[exports.METERS.kvOps], [exports.METERS.kvOps, exports.METERS.kvHsm]],
        weight: 6,
    },
    {
        key: 'pip',
        provider: 'Microsoft.Network/publicIPAddresses',
        consumedService: 'Microsoft.Network',
        namePrefix: 'pip',
        resourceGroups: ['rg-network', 'rg-web'],
        meterSets: [[exports.METERS.pipStatic]],
        weight: 6,
    },
    {
        key: 'vnet',
        provider: 'Microsoft.Network/virtualNetworks',
        consumedService: 'Microsoft.Network',
        namePrefix: 'vnet',
        resourceGroups: ['rg-network'],
        meterSets: [[exports.METERS.vnetPeering]],
        weight: 4,
    },
    {
        key: 'lb',
        provider: 'Microsoft.Network/loadBalancers',
        consumedService: 'Microsoft.Network',
        namePrefix: 'lb',
        resourceGroups: ['rg-network', 'rg-web'],
        meterSets: [[exports.METERS.lbData, exports.METERS.lbRules]],
        weight: 4,
    },
    {
        key: 'functions',
        provider: 'Microsoft.Web/sites',
        consumedService: 'Microsoft.Web',
        namePrefix: 'func',
        resourceGroups: ['rg-api', 'rg-integration'],
        meterSets: [[exports.METERS.fnExec, exports.METERS.fnTime]],
        weight: 5,
    },
    {
        key: 'backup',
        provider: 'Microsoft.RecoveryServices/vaults',
        consumedService: 'Microsoft.RecoveryServices',
        namePrefix: 'rsv',
        resourceGroups: ['rg-backup'],
        meterSets: [[exports.METERS.backupVm, exports.METERS.backupLrs]],
        weight: 5,
    },
];
/** Unit-price factors from USD list prices to each (cloud, pricing currency). */
function priceFactor(cloud, pricingCurrency) {
    if (cloud === 'usgov')
        return '1.25';
    if (cloud === 'china')
        return '6.35';
    if (cloud === 'germany')
        return '1.05';
    if (pricingCurrency === 'EUR')
        return '0.95';
    return '1';
}
/** A license-based subscription offered in each cloud (not part of usage). */
function licenseOffer(cloud) {
    switch (cloud) {
        case 'global':
            return { offerId: 'CFQ7TTC0LFLZ:0001', offerName: 'Microsoft 365 E3' };
        case 'usgov':
            return { offerId: 'CFQ7TTC0LFLZ:0002', offerName: 'Microsoft 365 G3 GCC' };
        case 'china':
            return { offerId: 'CFQ7TTC0LF8S:0001', offerName: 'Office 365 E3 (operated by 21Vianet)' };
        case 'germany':
            return null;
    }
}
//# sourceMappingURL=catalog.js.map