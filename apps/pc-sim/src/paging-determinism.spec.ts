/**
 * Paging (union of pages = full set, no duplicates, stable under concurrent reads), determinism
 * (same seed → byte-identical pages) and ground truth = sum of everything served, grouped by
 * invoice and source (billed | unbilled).
 */
import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { D, getToken, http, pcGet, rawNumbers, upsertKey } from './testing/helpers';

const NOW = new Date('2026-11-25T12:00:00Z');

interface Read {
  bodies: string[];
  items: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  amounts: string[];
}

/** Reads every page from `first` (a path below {base}/v1), following links.next. */
async function readAll(a: AccountInfo, token: string, first: string, field = 'billingPreTaxTotal'): Promise<Read> {
  let url = `${a.baseUrl}/v1${first}`;
  let headers: Record<string, string> = {};
  const out: Read = { bodies: [], items: [], amounts: [] };
  for (;;) {
    const r = await pcGet(url, token, headers);
    if (r.status !== 200) throw new Error(`${url}: ${r.status} ${r.text.slice(0, 200)}`);
    out.bodies.push(r.text);
    out.items.push(...r.json.items);
    out.amounts.push(...rawNumbers(r.text, field));
    const next = r.json.links.next;
    if (!next) return out;
    url = `${a.baseUrl}/v1${next.uri}`;
    headers = Object.fromEntries(next.headers.map((h: { key: string; value: string }) => [h.key, h.value]));
  }
}

const unbilled = (a: AccountInfo, period: string, size: number) =>
  `/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=${a.currency.toLowerCase()}&period=${period}&size=${size}`;
const billed = (a: AccountInfo, invoiceId: string, size: number) =>
  `/invoices/${invoiceId}/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=${a.currency.toLowerCase()}&period=previous&size=${size}`;
const sum = (xs: string[]) => xs.reduce((s, x) => s.plus(x), new D(0));

describe('paging, determinism and ground truth', () => {
  let sim: RunningSimulator;
  let twin: RunningSimulator;
  let accounts: AccountInfo[];
  let twinAccounts: AccountInfo[];
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, retireV1: false, seed: 42, now: NOW });
    twin = await startSimulator({ port: 0, retireV1: false, seed: 42, now: NOW });
    accounts = (await http(`${sim.url}/_sim/accounts`)).json.items;
    twinAccounts = (await http(`${twin.url}/_sim/accounts`)).json.items;
  });
  afterAll(async () => {
    await sim.close();
    await twin.close();
  });
  const acct = (id: string) => accounts.find((a) => a.id === id)!;

  it('gives every concurrent reader the same full set, each item once (unbilled and billed)', async () => {
    const a = acct('usgov');
    const t = await getToken(a);
    const invoiceId = (await pcGet(`${a.baseUrl}/v1/invoices`, t)).json.items[0].id;
    for (const path of [unbilled(a, 'current', 137), billed(a, invoiceId, 211)]) {
      const reads = await Promise.all([0, 1, 2, 3].map(() => readAll(a, t, path)));
      const keys = reads[0].items.map(upsertKey);
      expect(new Set(keys).size).toBe(keys.length);
      for (const r of reads.slice(1)) expect(r.bodies).toEqual(reads[0].bodies);
      // The same set with another page size.
      const other = await readAll(a, t, path.replace(/size=\d+/, 'size=2000'));
      expect(other.items.map(upsertKey).sort()).toEqual([...keys].sort());
    }
  });

  it('serves byte-identical pages from two simulators with the same seed', async () => {
    for (const id of ['eu', 'global-sandbox']) {
      const a = acct(id);
      const b = twinAccounts.find((x) => x.id === id)!;
      const [ta, tb] = [await getToken(a), await getToken(b)];
      const invA = (await pcGet(`${a.baseUrl}/v1/invoices`, ta)).text;
      expect((await pcGet(`${b.baseUrl}/v1/invoices`, tb)).text).toBe(invA);
      const invoiceId = JSON.parse(invA).items[1].id;
      for (const path of [unbilled(a, 'previous', 500), billed(a, invoiceId, 700), `/invoices/${invoiceId}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&size=3`]) {
        expect((await readAll(b, tb, path)).bodies).toEqual((await readAll(a, ta, path)).bodies);
      }
    }
  });

  it('ground truth by invoice and source equals the sum of what is served', async () => {
    const a = acct('germany');
    const t = await getToken(a);
    const invoices = (await pcGet(`${a.baseUrl}/v1/invoices`, t)).json.items.filter((i: { documentType: string }) => i.documentType === 'Invoice').slice(0, 2);
    const truth = (await http(`${sim.url}/_sim/ground-truth?account=germany&from=2026-09-01&to=2026-11-30&groupBy=invoice,source`)).json;
    const served = new Map<string, { amount: D; n: number }>();
    for (const inv of invoices) {
      const r = await readAll(a, t, billed(a, inv.id, 2000));
      expect(r.items.every((i) => i.invoiceNumber === inv.id)).toBe(true);
      served.set(`${inv.id}|billed`, { amount: sum(r.amounts), n: r.items.length });
    }
    const cur = await readAll(a, t, unbilled(a, 'current', 2000));
    expect(cur.items.every((i) => i.invoiceNumber === '')).toBe(true);
    served.set('|unbilled', { amount: sum(cur.amounts), n: cur.items.length });
    const rows = truth.rows.map((r: { keys: { invoice: string; source: string }; amount: string; lineItems: number }) => [`${r.keys.invoice}|${r.keys.source}`, r]);
    expect(rows.map(([k]: [string]) => k).sort()).toEqual([...served.keys()].sort());
    for (const [k, r] of rows) {
      expect({ k, amount: new D(r.amount).toFixed(), n: r.lineItems }).toEqual({ k, amount: served.get(k)!.amount.toFixed(), n: served.get(k)!.n });
    }
    expect(sum(truth.rows.map((r: { amount: string }) => r.amount)).toFixed()).toBe(new D(truth.total).toFixed());
  });
});
