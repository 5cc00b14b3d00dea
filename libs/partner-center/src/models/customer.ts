/** Customer (partner-center-api.md §3). The customer id is the customer's Azure AD tenant id. */
import { z } from 'zod';
import { id, objectType, text } from './common';

export const addressSchema = z.object({
  country: text,
  city: text,
  state: text,
  region: text.optional(),
  addressLine1: text.optional(),
  postalCode: text.optional(),
});

export const customerSchema = z.object({
  id,
  commerceId: text,
  companyProfile: z.object({
    tenantId: text,
    domain: text,
    companyName: text,
  }),
  billingProfile: z
    .object({
      culture: text,
      language: text,
      companyName: text,
      email: text,
      defaultAddress: addressSchema.nullish(),
    })
    .nullish(),
  /** `reseller` (own customer), `advisor`, `none`; open set, kept as text. */
  relationshipToPartner: text,
  allowDelegatedAccess: z.boolean().nullish(),
  /** Indirect reseller seen by an indirect provider. */
  associatedPartnerId: z.string().nullish(),
  attributes: objectType('Customer'),
});
export type Customer = z.infer<typeof customerSchema>;
