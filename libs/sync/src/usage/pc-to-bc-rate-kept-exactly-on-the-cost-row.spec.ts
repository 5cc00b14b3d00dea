import type { DailyRatedUsageLineItem } from '@meridian/partner-center';
import { mapUsageLineItem } from './usage-line-item.mapper';

// The client validates v1 and Graph lines into the same DailyRatedUsageLineItem (Graph's PCToBCExchangeRate
// is renamed by the client), so this one mapping stores Microsoft's rate for both read paths.
describe("Microsoft's pcToBC rate on the stored cost row", () => {
  const line = (rate: string, date: string | undefined) =>
    ({
      customerId: 'c1',
      customerName: 'Contoso',
      subscriptionId: 'p1',
      entitlementId: 'e1',
      entitlementDescription: 'Prod',
      invoiceNumber: '',
      chargeStartDate: '2026-10-01T00:00:00Z',
      chargeEndDate: '2026-11-01T00:00:00Z',
      usageDate: '2026-10-13T00:00:00Z',
      meterCategory: 'Virtual Machines',
      meterId: 'm1',
      meterName: 'D2',
      meterSubCategory: 'Dv3',
      meterRegion: 'EU West',
      resourceLocation: 'westeurope',
      resourceUri: '/r/1',
      resourceGroup: 'rg',
      unitOfMeasure: '1 Hour',
      unitType: '1 Hour',
      chargeType: 'new',
      tags: '',
      unitPrice: '0.096',
      quantity: '24',
      billingPreTaxTotal: '2.04',
      pricingPreTaxTotal: '2.304',
      effectiveUnitPrice: '0.085',
      rateOfPartnerEarnedCredit: '0.15',
      rateOfCredit: '0',
      billingCurrency: 'EUR',
      pricingCurrency: 'USD',
      pcToBCExchangeRate: rate,
      ...(date ? { pcToBCExchangeRateDate: date } : {}),
    }) as unknown as DailyRatedUsageLineItem;
  const ctx = { accountId: 'eu', cloud: 'global', currency: 'EUR', syncRunId: 'r1', ingestedAt: '2026-10-14T00:00:00Z' };

  it.each([
    ['a plain rate and its date', '0.8854', '2026-10-01T00:00:00Z', '0.8854', '2026-10-01'],
    ['every digit of a long rate', '0.88540000000000000001', '2026-10-01T00:00:00Z', '0.88540000000000000001', '2026-10-01'],
    ['the rate date when it carries an offset', '7.1043', '2026-10-01T00:00:00+08:00', '7.1043', '2026-10-01'],
  ])('%s', (_name, rate, date, stored, storedDate) => {
    const r = mapUsageLineItem(line(rate, date), ctx);
    expect(
      r.ok && { rate: r.row.xExchangeRate, date: r.row.xExchangeRateDate, pricing: r.row.pricingCurrency, billing: r.row.billingCurrency },
    ).toEqual({ rate: stored, date: storedDate, pricing: 'USD', billing: 'EUR' });
  });
});
