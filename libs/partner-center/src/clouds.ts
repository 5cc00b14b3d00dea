/**
 * Per-cloud Partner Center endpoints (partner-center-api.md §1). Use these defaults for real
 * deployments; tests and the simulator pass their own URLs.
 */

/** Same ids as `CLOUDS` in @meridian/contracts (not imported to keep this library self-contained). */
export type PartnerCenterCloud = 'global' | 'usgov' | 'china' | 'germany';

export interface CloudEndpoints {
  /** API base; request paths are `{apiBaseUrl}/v1/...`. */
  apiBaseUrl: string;
  /** Token authority; the v1 token endpoint is `{authority}/{tenantId}/oauth2/token`. */
  authority: string;
  /** `resource` of the v1 client-credentials request (v2 scope: `{resource}/.default`). */
  resource: string;
  /** Documentation caveats worth showing to an operator. */
  notes: readonly string[];
}

const GLOBAL_API = 'https://api.partnercenter.microsoft.com';

export const CLOUD_ENDPOINTS: Readonly<Record<PartnerCenterCloud, CloudEndpoints>> = Object.freeze({
  global: {
    apiBaseUrl: GLOBAL_API,
    authority: 'https://login.microsoftonline.com',
    resource: GLOBAL_API,
    notes: ['Worldwide instance, including the EU.'],
  },
  usgov: {
    apiBaseUrl: GLOBAL_API,
    authority: 'https://login.microsoftonline.us',
    resource: GLOBAL_API,
    notes: ['Same API host as global; token resource assumed as global (unconfirmed).'],
  },
  china: {
    apiBaseUrl: 'https://partner.partnercenterapi.microsoftonline.cn',
    authority: 'https://login.chinacloudapi.cn',
    resource: 'https://partner.partnercenterapi.microsoftonline.cn',
    notes: ['Operated by 21Vianet; authority alias login.partner.microsoftonline.cn.'],
  },
  germany: {
    apiBaseUrl: GLOBAL_API,
    authority: 'https://login.microsoftonline.de',
    resource: GLOBAL_API,
    notes: ['Historical accounts only: closed to new customers in 2018, cloud retired; token resource assumed as global (unconfirmed).'],
  },
});

/** The v1 token endpoint of a partner tenant in a cloud. */
export function tokenUrlFor(cloud: PartnerCenterCloud, partnerTenantId: string): string {
  return `${CLOUD_ENDPOINTS[cloud].authority}/${encodeURIComponent(partnerTenantId)}/oauth2/token`;
}
