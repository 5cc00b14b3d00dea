const CLOUD_LABEL: Record<string, string> = { global: 'Global', usgov: 'US Government', china: '21Vianet (China)', germany: 'Germany' };
export const cloudLabel = (c: string) => CLOUD_LABEL[c] ?? c;
