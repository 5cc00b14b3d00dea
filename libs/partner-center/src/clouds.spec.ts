import { CLOUD_ENDPOINTS, tokenUrlFor } from './clouds';

describe('CLOUD_ENDPOINTS', () => {
  it('has the documented per-cloud defaults', () => {
    expect(Object.keys(CLOUD_ENDPOINTS).sort()).toEqual(['china', 'germany', 'global', 'usgov']);
    expect(CLOUD_ENDPOINTS.global).toMatchObject({ apiBaseUrl: 'https://api.partnercenter.microsoft.com', authority: 'https://login.microsoftonline.com', resource: 'https://api.partnercenter.microsoft.com' });
    expect(CLOUD_ENDPOINTS.usgov.authority).toBe('https://login.microsoftonline.us');
    expect(CLOUD_ENDPOINTS.china).toMatchObject({ apiBaseUrl: 'https://partner.partnercenterapi.microsoftonline.cn', authority: 'https://login.chinacloudapi.cn' });
    expect(CLOUD_ENDPOINTS.germany.authority).toBe('https://login.microsoftonline.de');
    expect(tokenUrlFor('global', 'contoso-tenant')).toBe('https://login.microsoftonline.com/contoso-tenant/oauth2/token');
  });
});
