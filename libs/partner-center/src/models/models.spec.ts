import { decimalString } from './common';
import { dailyRatedUsageLineItemSchema, DAILY_RATED_USAGE_DECIMAL_KEYS } from './daily-rated-usage';
import { isAzurePlan, subscriptionSchema } from './subscription';
import { usageLineItemJson, subscription } from '../../test/fake-partner-center';
import { parseExactJson } from '../exact-json';

describe('models', () => {
  it('normalises decimal strings without floats', () => {
    expect(decimalString.parse('0.0960')).toBe('0.096');
    expect(decimalString.parse('1E+2')).toBe('100');
    expect(decimalString.parse('-0')).toBe('0');
    expect(decimalString.parse('0.100000000000000000001')).toBe('0.100000000000000000001');
    expect(decimalString.safeParse(0.1).success).toBe(false);
    expect(decimalString.safeParse('1,5').success).toBe(false);
  });

  it('parses the documented usage line item and tolerates empty/null descriptive fields', () => {
    const raw = parseExactJson(usageLineItemJson(), DAILY_RATED_USAGE_DECIMAL_KEYS) as Record<string, unknown>;
    const item = dailyRatedUsageLineItemSchema.parse({ ...raw, meterRegion: null, customerId: '', serviceInfo1: undefined, rateOfCredit: null });
    expect(item).toMatchObject({ unitPrice: '0.096', quantity: '24', meterRegion: '', customerId: '', serviceInfo1: '', rateOfCredit: null, hasPartnerEarnedCredit: true });
  });

  it('rejects a wrong objectType', () => {
    const raw = parseExactJson(usageLineItemJson(), DAILY_RATED_USAGE_DECIMAL_KEYS) as Record<string, unknown>;
    expect(dailyRatedUsageLineItemSchema.safeParse({ ...raw, attributes: { objectType: 'Invoice' } }).success).toBe(false);
  });

  it('parses subscriptions and spots the Azure plan', () => {
    const s = subscriptionSchema.parse(subscription('a1'));
    expect(isAzurePlan(s)).toBe(true);
    expect(isAzurePlan({ offerId: 'MS-AZR-0145P' })).toBe(false);
  });
});
