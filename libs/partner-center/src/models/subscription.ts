/** Subscription (partner-center-api.md §4). */
import { z } from 'zod';
import { id, isoDateTime, objectType, text } from './common';

/** Product id of the Azure plan; its subscription id is the plan id for azureEntitlements. */
export const AZURE_PLAN_PRODUCT_ID = 'DZH318Z0BCZC';
/** Legacy Azure offer (usage = utilization records × rate card). */
export const LEGACY_AZURE_OFFER_ID = 'MS-AZR-0145P';

export const subscriptionSchema = z.object({
  id,
  entitlementId: text,
  offerId: id,
  offerName: text,
  friendlyName: text,
  quantity: z.number().int().nonnegative(),
  unitType: text,
  /** `active`, `suspended`, `deleted` (newer: `expired`, `disabled`); open set. */
  status: id,
  creationDate: isoDateTime,
  effectiveStartDate: isoDateTime.nullish(),
  commitmentEndDate: isoDateTime.nullish(),
  autoRenewEnabled: z.boolean().nullish(),
  /** `license` or `usage`. */
  billingType: text,
  /** `monthly`, `annual`, `triennial`, `one_time`, `none`. */
  billingCycle: text,
  contractType: text,
  orderId: text,
  attributes: objectType('Subscription'),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export function isAzurePlan(s: Pick<Subscription, 'offerId'>): boolean {
  return s.offerId.toUpperCase().startsWith(`${AZURE_PLAN_PRODUCT_ID}:`) || s.offerId.toUpperCase() === AZURE_PLAN_PRODUCT_ID;
}
