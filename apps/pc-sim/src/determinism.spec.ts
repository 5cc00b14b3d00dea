import { createSimulator } from './index';

const NOW = new Date('2026-11-25T12:00:00Z');

describe('pc-sim determinism', () => {
  const a = createSimulator({ seed: 42, now: NOW, publicUrl: 'http://sim.test' });
  const b = createSimulator({ seed: 42, now: NOW, publicUrl: 'http://sim.test' });
  const c = createSimulator({ seed: 7, now: NOW, publicUrl: 'http://sim.test' });
  const gt = (s: typeof a, account: string) => s.groundTruth({ account, from: '2026-10-01', to: '2026-11-24', groupBy: 'customer,subscription,service,region' });

  it('same seed → identical accounts and data', () => {
    expect(b.accounts()).toEqual(a.accounts());
    for (const acc of a.accounts()) expect(gt(b, acc.id)).toEqual(gt(a, acc.id));
  });

  it('other seed → different ids, secrets and data', () => {
    const ia = a.accounts();
    const ic = c.accounts();
    ia.forEach((x, i) => {
      expect(ic[i].id).toBe(x.id);
      expect(ic[i].tenantId).not.toBe(x.tenantId);
      expect(ic[i].secret).not.toBe(x.secret);
      expect(gt(c, x.id).total).not.toBe(gt(a, x.id).total);
    });
  });

  it('past days do not change when the clock moves on', () => {
    const later = createSimulator({ seed: 42, now: new Date('2026-12-03T08:00:00Z'), publicUrl: 'http://sim.test' });
    for (const acc of a.accounts()) {
      expect(later.groundTruth({ account: acc.id, from: '2026-10-01', to: '2026-11-24', groupBy: 'subscription' })).toEqual(
        a.groundTruth({ account: acc.id, from: '2026-10-01', to: '2026-11-24', groupBy: 'subscription' }),
      );
    }
  });

  it('groundTruth throws SimParamError naming the parameter', () => {
    expect(() => a.groundTruth({ account: 'eu', from: 'x', to: '2026-10-01' })).toThrow(/'from'/);
  });
});
