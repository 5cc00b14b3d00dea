import { ForegroundLoad, GiveWayToRequests } from './foreground-load';

class Load extends ForegroundLoad {
  constructor(public busy: boolean) {
    super();
  }
}

describe('GiveWayToRequests', () => {
  it.each([
    ['an idle api: no wait', false, 120, null],
    ['requests in flight: as long as the page took', true, 120, 120],
    ['a long page under load: at most 250 ms', true, 900, 250],
    ['a page of no time under load', true, 0, 0],
  ])('%s', async (_name, busy, pageMs, expected) => {
    let clock = 1_000;
    const waits: number[] = [];
    const giveWay = new GiveWayToRequests(new Load(busy), () => clock, async (ms) => void waits.push(ms));
    clock += pageMs;
    await giveWay.afterPage();
    expect(waits).toEqual(expected === null ? [] : [expected]);
  });

  it('times each page from the end of the previous wait', async () => {
    let clock = 0;
    const load = new Load(true);
    const waits: number[] = [];
    const giveWay = new GiveWayToRequests(load, () => clock, async (ms) => {
      waits.push(ms);
      clock += ms;
    });
    clock += 40;
    await giveWay.afterPage();
    clock += 70;
    await giveWay.afterPage();
    load.busy = false;
    clock += 30;
    await giveWay.afterPage();
    expect(waits).toEqual([40, 70]);
  });
});
