/** Azure subscription under an Azure plan (partner-center-api.md §4, azureEntitlements). */
import { z } from 'zod';
import { id, text } from './common';

export const azureEntitlementSchema = z.object({
  /** The Azure subscription GUID (= `entitlementId` of usage line items). */
  id,
  friendlyName: text,
  status: id,
  /** The Azure plan (CSP subscription) id. */
  subscriptionId: id,
  attributes: z.object({ objectType: z.string() }).optional(),
});
export type AzureEntitlement = z.infer<typeof azureEntitlementSchema>;
