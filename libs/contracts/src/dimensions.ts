/**
 * Dimensions a cost breakdown can group by. The API validates `groupBy` against this list and the
 * store maps each one to a column, so adding a dimension is one line here plus one in the store.
 */
export const COST_DIMENSIONS = [
  'service',
  'region',
  'account',
  'cloud',
  'customer',
  'subscription',
  'resourceGroup',
  'meter',
  'chargeType',
  'invoice',
  'tag',
] as const;
export type CostDimension = (typeof COST_DIMENSIONS)[number];

/** The `tag` dimension groups by the value of one tag key, named by the `tagKey` parameter. */
export const TAG_KEY_PATTERN = /^[A-Za-z0-9 _.:-]{1,64}$/;

/** Preset date ranges (resolved by the server's clock, in UTC): an alternative to from/to. */
export const DATE_PRESETS = ['mtd', 'last-month', 'last-3-months', 'last-6-months', 'last-12-months'] as const;
export type DatePreset = (typeof DATE_PRESETS)[number];
