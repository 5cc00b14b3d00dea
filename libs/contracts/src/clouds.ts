/** Partner Center instances (national clouds). See shared/partner-center-api.md §1. */
export const CLOUDS = ['global', 'usgov', 'china', 'germany'] as const;
export type Cloud = (typeof CLOUDS)[number];
