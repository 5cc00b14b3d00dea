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
] as const;
export type CostDimension = (typeof COST_DIMENSIONS)[number];
