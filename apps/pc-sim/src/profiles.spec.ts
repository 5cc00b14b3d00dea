import { createSimulator } from './index';

describe('pc-sim profiles', () => {
  const ids = (profile?: 'demo' | 'sandbox' | 'scale', scaleItemsPerDay?: number) =>
    createSimulator({ seed: 42, publicUrl: 'http://sim.test', profile, scaleItemsPerDay, now: new Date('2026-11-25T12:00:00Z') })
      .accounts()
      .map((a) => a.id);

  it('serves the demo accounts by default, the sandbox alone, or the scale account alone', () => {
    expect(ids()).toEqual(['global-us', 'eu', 'usgov', 'china', 'germany', 'global-sandbox']);
    expect(ids('demo', 100)).toEqual(['global-us', 'eu', 'usgov', 'china', 'germany', 'global-sandbox', 'scale']);
    expect(ids('sandbox')).toEqual(['global-sandbox']);
    expect(ids('scale')).toEqual(['scale']);
    expect(() => ids('nope' as 'demo')).toThrow(/profile/);
  });

  it('keeps an account identical whichever profile serves it', () => {
    const q = { account: 'global-sandbox', from: '2026-10-01', to: '2026-11-24', groupBy: 'subscription' };
    const a = createSimulator({ seed: 42, publicUrl: 'http://sim.test', now: new Date('2026-11-25T12:00:00Z') });
    const b = createSimulator({ seed: 42, publicUrl: 'http://sim.test', now: new Date('2026-11-25T12:00:00Z'), profile: 'sandbox' });
    expect(b.groundTruth(q)).toEqual(a.groundTruth(q));
    expect(b.accounts()[0]).toEqual(a.accounts().find((x) => x.id === 'global-sandbox'));
  });
});
