import { FOCUS_COLUMNS, focusCsvCell, focusMetadata, focusRowOf, invoiceDetailIdOf, nextDay, nextMonthStart, resourceTypeOf, type FocusSourceRow } from './focus';

const line: FocusSourceRow = {
  accountId: 'eu',
  accountName: 'Contoso CSP Europe',
  partnerTenantId: 'tenant-eu',
  cloud: 'global',
  naturalKey: '--03X2Z4l5T93Z4QQKde8p3sQ7_6yXeBLf1I46zG_Fw',
  customerId: 'cust-1',
  customerName: 'Fabrikam',
  planId: 'plan-1',
  subscriptionId: 'sub-1',
  subscriptionName: 'Production',
  serviceName: 'Virtual Machines',
  serviceCategory: 'Compute',
  regionId: 'westeurope',
  regionName: 'EU West',
  resourceId: '/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1',
  resourceGroup: 'rg',
  meterId: 'meter-1',
  meterName: 'D2 v3',
  meterSubcategory: 'Dv3 Series',
  chargeCategory: 'Usage',
  chargeType: 'new',
  day: '2026-10-31',
  billingPeriodStart: '2026-10-01',
  invoiceId: 'G067202610',
  quantity: '24.000',
  unit: '1 Hour',
  unitPrice: '0.096',
  billedCost: '1.88928',
  billingCurrency: 'EUR',
  effectiveCost: '1.88928',
  listCost: '2.22272',
  pricingCost: '2.4192',
  pricingCurrency: 'USD',
  exchangeRate: '0.9647',
  exchangeRateDate: '2026-10-01',
  pecRate: '0.15',
  tags: '{"env":"prod"}',
  source: 'billed',
  customerView: false,
};

const cellsOf = (r: FocusSourceRow) => Object.fromEntries(FOCUS_COLUMNS.map((c, i) => [c.name, focusRowOf(r)[i]]));

describe('FOCUS row of a line item', () => {
  it.each([
    {
      name: 'billed usage',
      row: line,
      expected: {
        BilledCost: '1.88928', EffectiveCost: '1.88928', ContractedCost: '2.22272', ListCost: '2.22272', ListUnitPrice: '0.0926112', PricingCurrencyListUnitPrice: '0.096',
        BillingPeriodStart: '2026-10-01T00:00:00Z', BillingPeriodEnd: '2026-11-01T00:00:00Z', ChargePeriodStart: '2026-10-31T00:00:00Z', ChargePeriodEnd: '2026-11-01T00:00:00Z',
        ChargeCategory: 'Usage', ChargeClass: null, ChargeFrequency: 'Usage-Based', PricingCategory: 'Standard', PricingQuantity: '24', ConsumedQuantity: '24',
        InvoiceId: 'G067202610', InvoiceDetailId: invoiceDetailIdOf(line.naturalKey), ResourceName: 'vm1', ResourceType: 'Microsoft.Compute/virtualMachines', SkuPriceDetails: null, SubAccountType: 'Azure Subscription',
        x_CreditType: 'Partner Earned Credit Applied', x_PartnerEarnedCreditRate: '0.15', PricingCurrencyEffectiveCost: '2.4192', Tags: '{"env":"prod"}',
      },
    },
    {
      name: 'unbilled usage without PEC or tags',
      row: { ...line, invoiceId: null, source: 'unbilled', pecRate: '0', tags: '{}' },
      expected: { InvoiceId: null, InvoiceDetailId: null, x_Source: 'unbilled', x_CreditType: 'Credit Not Applied', x_PartnerEarnedCreditRate: '0', Tags: null },
    },
    {
      name: 'a customer-scoped view: list cost everywhere, the partner cost and PEC withheld',
      row: { ...line, customerView: true },
      expected: { BilledCost: '2.22272', EffectiveCost: '2.22272', ContractedCost: '2.22272', ListCost: '2.22272', PricingCurrencyEffectiveCost: '2.304', x_PartnerEarnedCreditRate: '0', x_CreditType: 'Credit Not Applied' },
    },
    {
      name: 'no meter (no SKU price): pricing columns null',
      row: { ...line, meterId: '' },
      expected: { SkuId: null, SkuPriceId: null, PricingQuantity: null, PricingUnit: null, PricingCategory: null, ListUnitPrice: null },
    },
    {
      name: 'a service category outside the allowed values, a list cost missing',
      row: { ...line, serviceCategory: 'Quantum Widgets', listCost: null },
      expected: { ServiceCategory: 'Other', ListCost: '1.88928', ContractedCost: '1.88928' },
    },
    {
      name: 'a customer-scoped view of a line without a list cost: the pricing-currency cost of what it shows',
      row: { ...line, customerView: true, listCost: null },
      expected: { BilledCost: '1.88928', ListCost: '1.88928', PricingCurrencyEffectiveCost: '2.4192' },
    },
  ])('$name', ({ row, expected }) => {
    expect(cellsOf(row)).toMatchObject(expected);
  });

  it('lists every column once, FOCUS columns before the x_ ones, and every non-null cell as text', () => {
    const names = FOCUS_COLUMNS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const firstCustom = names.findIndex((n) => n.startsWith('x_'));
    expect(names.slice(firstCustom).every((n) => n.startsWith('x_'))).toBe(true);
    expect(names.slice(0, firstCustom).every((n) => !n.startsWith('x_'))).toBe(true);
    const cells = focusRowOf(line);
    FOCUS_COLUMNS.forEach((c, i) => {
      if (!c.nullable) expect({ column: c.name, cell: typeof cells[i] }).toEqual({ column: c.name, cell: 'string' });
      if (c.allowedValues && cells[i] !== null) expect(c.allowedValues).toContain(cells[i]);
    });
  });

  it.each([
    [null, ''],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['{"k":"v"}', '"{""k"":""v""}"'],
    ['-1.5', '-1.5'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
  ])('writes %j as the CSV cell %s', (value, cell) => {
    expect(focusCsvCell(value)).toBe(cell);
  });

  it.each([
    ['2026-10-31', '2026-11-01', '2026-11-01'],
    ['2026-12-15', '2026-12-16', '2027-01-01'],
    ['2028-02-28', '2028-02-29', '2028-03-01'],
  ])('%s: next day %s, next billing period %s', (day, next, period) => {
    expect([nextDay(day), nextMonthStart(day)]).toEqual([next, period]);
  });

  it('describes the dataset in FOCUS metadata with the version and every column', () => {
    const meta = focusMetadata('2026-12-01T00:00:00Z') as { Schemas: { FocusVersion: string; ColumnDefinition: { ColumnName: string }[] }[] };
    expect(meta.Schemas[0].FocusVersion).toBe('1.4');
    expect(meta.Schemas[0].ColumnDefinition.map((c) => c.ColumnName)).toEqual(FOCUS_COLUMNS.map((c) => c.name));
  });
});

describe('ResourceType from an ARM resource id', () => {
  it.each([
    ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1', 'Microsoft.Compute/virtualMachines'],
    ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/db1/databases/d', 'Microsoft.Sql/servers/databases'],
    ['/subscriptions/s/resourcegroups/rg/PROVIDERS/Microsoft.Storage/storageAccounts/st', 'Microsoft.Storage/storageAccounts'],
    ['/subscriptions/s/resourceGroups/rg', null],
    ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute', null],
    ['', null],
  ])('%s → %s', (id, type) => {
    expect(resourceTypeOf(id)).toBe(type);
  });
});
