/**
 * The fast path for daily rated usage line items must make exactly the zod schema's decisions:
 * same accepted items (deep, key order included), same rejected records with the same reasons.
 * Compared through validatePage with and without the fast path, over valid items, every kind of
 * malformed record the simulator serves, a table of per-field edge values and random mutations.
 */
import { startSimulator, type RunningSimulator } from '@meridian/pc-sim';
import { usageLineItemJson } from '../../test/fake-partner-center';
import { parseExactJson } from '../exact-json';
import { PartnerCenterClient } from '../partner-center.client';
import { dailyRatedUsageLineItemSchema, DAILY_RATED_USAGE_DECIMAL_KEYS, fastDailyRatedUsageLineItem, safeParseDailyRatedUsageLineItem } from './daily-rated-usage';
import { formatIssues, validatePage } from './page';

type Rec = Record<string, unknown>;

const SCHEMA_KEYS = Object.keys(dailyRatedUsageLineItemSchema.shape);

const base = (): Rec => parseExactJson(usageLineItemJson(), DAILY_RATED_USAGE_DECIMAL_KEYS) as Rec;

/** Deep equality that also compares own key order (what JSON.stringify or a spread would show). */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (v && typeof v === 'object') return Object.keys(v).map((k) => [k, shape((v as Rec)[k])]);
  return v;
}

/** Runs a batch both ways and asserts the results are identical. */
function expectSameDecisions(records: unknown[]): { accepted: number; reasons: string[] } {
  const withZod = validatePage(dailyRatedUsageLineItemSchema, records, 1, null);
  const withFast = validatePage(dailyRatedUsageLineItemSchema, records, 1, fastDailyRatedUsageLineItem);
  // The client calls validatePage without a fast path argument: the registered one is used.
  expect(validatePage(dailyRatedUsageLineItemSchema, records, 1)).toStrictEqual(withFast);
  expect(withFast.items.length).toBe(withZod.items.length);
  expect(withFast).toStrictEqual(withZod);
  expect(shape(withFast.items)).toEqual(shape(withZod.items));
  for (const record of records) {
    const z = dailyRatedUsageLineItemSchema.safeParse(record);
    const f = safeParseDailyRatedUsageLineItem(record);
    expect(f.success).toBe(z.success);
    if (z.success && f.success) expect(shape(f.data)).toEqual(shape(z.data));
    if (!z.success && !f.success) expect(formatIssues(f.error)).toBe(formatIssues(z.error));
    // The fast path alone never accepts what zod rejects.
    if (!z.success) expect(fastDailyRatedUsageLineItem(record)).toBeUndefined();
  }
  return { accepted: withZod.items.length, reasons: withZod.invalid.map((i) => i.reason) };
}

/** Values tried in every field: each JSON type, empty and blank text, decimal and date edge cases. */
const EDGE_VALUES: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'x',
  'N/A',
  0,
  5,
  -1.5,
  true,
  false,
  {},
  [],
  ['a'],
  { objectType: 'DailyRatedUsageLineItem' },
  { objectType: 'DailyRatedUsageLineItem', extra: 1 },
  { objectType: 'Invoice' },
  { objectType: null },
  '0',
  '-0',
  '+1',
  '.5',
  '5.',
  '1.50',
  ' 1.5 ',
  '\t2\n',
  '1e-3',
  '1E+2',
  '-1.5e-3',
  '00.1',
  '1,5',
  '0.100000000000000000001',
  '-12.5',
  '1e',
  'Infinity',
  'NaN',
  '2026-10-01',
  '2026-10-01T00:00:00Z',
  '2019-08-28T00:00:00-07:00',
  '2026-10-01 00:00',
  '2026-10-01T00:00:00.123456789+0100',
  '2026-13-45T99:99:99Z',
  '2026-10-01T00:00:00Zjunk',
  'usd',
  'EUR',
  'US',
  'EURO',
  'E1R',
  'new',
  'cancel',
];

describe('fast daily rated usage validation (equivalence with the zod schema)', () => {
  it('gives every key of the zod schema, in its order', () => {
    expect(Object.keys(fastDailyRatedUsageLineItem(base()) ?? {})).toEqual(Object.keys(dailyRatedUsageLineItemSchema.shape));
  });

  it('accepts the documented item exactly as zod does (null/absent descriptive fields included)', () => {
    const raw = base();
    const { accepted } = expectSameDecisions([
      raw,
      { ...raw, meterRegion: null, customerId: '', serviceInfo1: undefined, rateOfCredit: null },
      { ...raw, rateOfPartnerEarnedCredit: undefined, hasPartnerEarnedCredit: null, tags: null },
    ]);
    expect(accepted).toBe(3);
    expect(fastDailyRatedUsageLineItem(raw)).toMatchObject({ unitPrice: '0.096', pcToBCExchangeRate: '0.8854', attributes: { objectType: 'DailyRatedUsageLineItem' } });
  });

  it.each(SCHEMA_KEYS)('field %s: every edge value (and its absence) gets the same decision and reason', (key) => {
    const records: Rec[] = [];
    const absent = base();
    delete absent[key];
    records.push(absent);
    for (const v of EDGE_VALUES) records.push({ ...base(), [key]: v });
    const { reasons } = expectSameDecisions(records);
    // Reasons name the field (or nothing is rejected for this field, e.g. optional text).
    for (const r of reasons) expect(r.startsWith(`${key}`)).toBe(true);
  });

  it('records that are not objects, or objects of another kind', () => {
    const nullProto = Object.assign(Object.create(null) as Rec, base());
    class Item {
      constructor(values: Rec) {
        Object.assign(this, values);
      }
    }
    const { accepted, reasons } = expectSameDecisions([null, undefined, 0, 'item', true, [], [base()], nullProto, new Item(base()), new Date(0)]);
    expect(accepted).toBeGreaterThanOrEqual(1); // the null-prototype copy is a plain object
    expect(reasons).toContain('(item): Invalid input: expected object, received null');
  });

  it('several problems in one record: same reasons, in the same order', () => {
    const r: Rec = { ...base(), partnerId: '', quantity: 'x', hasPartnerEarnedCredit: 'yes', attributes: { objectType: 'X' } };
    delete r.usageDate;
    const { reasons } = expectSameDecisions([r]);
    expect(reasons).toEqual([
      'partnerId: must not be empty; usageDate: Invalid input: expected string, received undefined; quantity: expected a decimal number; hasPartnerEarnedCredit: Invalid input: expected boolean, received string; attributes.objectType: Invalid input: expected "DailyRatedUsageLineItem"',
    ]);
  });

  it('random mutations (seeded): 3,000 records with 1–4 changes each', () => {
    // mulberry32: reproducible without a dependency.
    let seed = 0x5eed;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const keys = SCHEMA_KEYS;
    const records: unknown[] = [];
    for (let i = 0; i < 3000; i++) {
      const r = base();
      const changes = 1 + Math.floor(rand() * 4);
      for (let c = 0; c < changes; c++) {
        const key = pick(keys);
        const op = rand();
        if (op < 0.15) delete r[key];
        else if (op < 0.3) r[`extra${c}`] = pick(EDGE_VALUES);
        else if (op < 0.4) r[key] = r[pick(keys)]; // another field's (valid) value
        else r[key] = pick(EDGE_VALUES);
      }
      records.push(r);
    }
    const { accepted, reasons } = expectSameDecisions(records);
    // Both outcomes are exercised in bulk.
    expect(accepted).toBeGreaterThan(100);
    expect(reasons.length).toBeGreaterThan(1000);
  });

  describe('items served by the simulator', () => {
    let sim: RunningSimulator;
    beforeAll(async () => {
      sim = await startSimulator({ port: 0, retireV1: false, seed: 42, now: new Date('2026-11-25T12:00:00Z') });
    });
    afterAll(() => sim.close());

    it('valid items and every malformed-record fault (amount not a number, missing usage date, quantity of the wrong type)', async () => {
      const accounts = (await (await fetch(`${sim.url}/_sim/accounts`)).json()) as { items: Rec[] };
      const records: unknown[] = [];
      for (const a of accounts.items) {
        await fetch(`${sim.url}/_sim/faults/${String(a.id)}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ rate: 0.2, kinds: ['malformed'] }),
        });
        // Capture the raw page texts the client reads, then parse them exactly as it does.
        const texts: string[] = [];
        const capture: typeof fetch = async (input, init) => {
          const res = await fetch(input, init);
          if (String(input).includes('/lineitems')) texts.push(await res.clone().text());
          return res;
        };
        const client = new PartnerCenterClient({
          baseUrl: String(a.baseUrl),
          tokenUrl: String(a.tokenUrl),
          resource: String(a.resource),
          appId: String(a.appId),
          secret: String(a.secret),
          fetch: capture,
          requestsPerSecond: 10_000,
          burst: 10_000,
        });
        let pages = 0;
        for await (const page of client.unbilledUsage({ currency: String(a.currency), period: 'current', pageSize: 500 })) {
          void page;
          if (++pages >= 2) break;
        }
        for (const t of texts) records.push(...(parseExactJson(t, DAILY_RATED_USAGE_DECIMAL_KEYS) as { items: unknown[] }).items);
      }
      const { accepted, reasons } = expectSameDecisions(records);
      expect(accepted).toBeGreaterThan(1000);
      expect(reasons).toContain('billingPreTaxTotal: expected a decimal number');
      expect(reasons).toContain('usageDate: Invalid input: expected string, received undefined');
      expect(reasons).toContain('quantity: expected a decimal string (exact JSON number)');
    });
  });
});
