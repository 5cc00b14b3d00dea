/** retireV1: global-cloud v1 usage and new-commerce billing line item reads answer as retired (partner-center-api.md §5.4). */
import { startSimulator, type AccountInfo, type RunningSimulator } from './index';
import { getToken, http, pcGet } from './testing/helpers';

const usage = (period: string, cur: string) => `/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=${cur}&period=${period}&size=10`;
const unbilledBilling = (cur: string) => `/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=${cur}&period=current&size=10`;
const billed = (inv: string, type: string, cur: string) => `/v1/invoices/${inv}/lineitems?provider=onetime&invoicelineitemtype=${type}&currencycode=${cur}&period=previous&size=10`;

async function world(sim: RunningSimulator): Promise<Map<string, { a: AccountInfo; t: string; inv: string[] }>> {
  const out = new Map<string, { a: AccountInfo; t: string; inv: string[] }>();
  for (const a of (await http(`${sim.url}/_sim/accounts`)).json.items as AccountInfo[]) {
    const t = await getToken(a);
    const inv = (await pcGet(`${a.baseUrl}/v1/invoices`, t)).json.items.filter((d: { documentType: string }) => d.documentType === 'Invoice').map((d: { id: string }) => d.id);
    out.set(a.id, { a, t, inv });
  }
  return out;
}

describe('retireV1', () => {
  it('can be turned off: global accounts then read v1 too', async () => {
    const sim = await startSimulator({ port: 0, seed: 42, now: new Date('2026-11-25T12:00:00Z'), retireV1: false });
    try {
      const w = await world(sim);
      const { a, t, inv } = w.get('eu')!;
      expect((await pcGet(`${a.baseUrl}${usage('current', 'eur')}`, t)).status).toBe(200);
      expect((await pcGet(`${a.baseUrl}${billed(inv[0], 'usagelineitems', 'eur')}`, t)).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it('on by default: global v1 usage and billing line items answer 410 naming the Graph export; other clouds and reads keep v1', async () => {
    const sim = await startSimulator({ port: 0, seed: 42, now: new Date('2026-11-25T12:00:00Z') });
    try {
      const w = await world(sim);
      for (const id of ['eu', 'global-us', 'global-sandbox']) {
        const { a, t, inv } = w.get(id)!;
        const cur = a.currency.toLowerCase();
        for (const [path, graph] of [
          [usage('current', cur), 'usage/unbilled/export'],
          [usage('previous', cur), 'usage/unbilled/export'],
          [billed(inv[0], 'usagelineitems', cur), 'usage/billed/export'],
          [billed(inv[0], 'billinglineitems', cur), 'reconciliation/billed/export'],
          [unbilledBilling(cur), 'reconciliation/unbilled/export'],
        ]) {
          const r = await pcGet(`${a.baseUrl}${path}`, t);
          expect({ id, path, status: r.status }).toEqual({ id, path, status: 410 });
          expect(r.json).toMatchObject({ code: 900410, data: [], source: 'PartnerFD' });
          expect(r.json.description).toContain('retired');
          expect(r.json.description).toContain(`Microsoft Graph billing export (reports/partners/billing/${graph})`);
        }
        for (const path of ['/v1/customers', '/v1/invoices', `/v1/invoices/${inv[0]}`, '/v1/ratecards/azure']) expect((await pcGet(`${a.baseUrl}${path}`, t)).status).toBe(200);
      }
      for (const id of ['usgov', 'china', 'germany']) {
        const { a, t, inv } = w.get(id)!;
        const cur = a.currency.toLowerCase();
        for (const path of [usage('current', cur), billed(inv[0], 'usagelineitems', cur), billed(inv[0], 'billinglineitems', cur), unbilledBilling(cur)]) {
          expect({ id, path, status: (await pcGet(`${a.baseUrl}${path}`, t)).status }).toEqual({ id, path, status: 200 });
        }
      }
    } finally {
      await sim.close();
    }
  });

  it('on: billed billing line items of periods before 2024-02 stay on v1', async () => {
    const sim = await startSimulator({ port: 0, seed: 42, now: new Date('2025-01-15T12:00:00Z'), retireV1: true });
    try {
      const { a, t, inv } = (await world(sim)).get('global-us')!;
      const jan = inv.find((i) => i.endsWith('202401'))!;
      const feb = inv.find((i) => i.endsWith('202402'))!;
      expect((await pcGet(`${a.baseUrl}${billed(jan, 'billinglineitems', 'usd')}`, t)).status).toBe(200);
      expect((await pcGet(`${a.baseUrl}${billed(feb, 'billinglineitems', 'usd')}`, t)).status).toBe(410);
      expect((await pcGet(`${a.baseUrl}${billed(jan, 'usagelineitems', 'usd')}`, t)).status).toBe(410);
    } finally {
      await sim.close();
    }
  });
});
