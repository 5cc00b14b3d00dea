import type { SyncStream } from '../queue/sync-queue';
import { DEFAULT_STREAM_SCHEDULE, dueStreams, StreamRunState } from './stream-schedule';

const NOW = new Date('2026-11-25T12:00:00Z');
const never: StreamRunState = { lastStartedAt: null, lastStatus: null, lastSuccessAt: null };
const ranAgo = (minutes: number, status = 'succeeded'): StreamRunState => {
  const at = new Date(NOW.getTime() - minutes * 60_000).toISOString();
  return { lastStartedAt: at, lastStatus: status, lastSuccessAt: status === 'succeeded' ? at : null };
};

describe('which streams are due', () => {
  it.each<{ name: string; states: Partial<Record<SyncStream, StreamRunState>>; due: SyncStream[] }>([
    {
      name: 'a new account runs customers, usage, invoices and prices; subscriptions wait for customers, legacy utilization for subscriptions and prices',
      states: {},
      due: ['customers', 'unbilled-usage', 'invoices', 'prices'],
    },
    {
      name: 'subscriptions follow the first successful customers run',
      states: { customers: ranAgo(1), 'unbilled-usage': ranAgo(1), invoices: ranAgo(1), prices: ranAgo(1) },
      due: ['subscriptions'],
    },
    {
      name: 'usage follows the account interval (60 min), the catalogue and invoices their own (6 h)',
      states: { customers: ranAgo(61), subscriptions: ranAgo(61), 'unbilled-usage': ranAgo(61), invoices: ranAgo(61), prices: ranAgo(61), 'legacy-utilization': ranAgo(61) },
      due: ['unbilled-usage', 'legacy-utilization'],
    },
    {
      name: 'invoices are read again after 6 h',
      states: { customers: ranAgo(1), subscriptions: ranAgo(1), 'unbilled-usage': ranAgo(1), invoices: ranAgo(361), prices: ranAgo(361), 'legacy-utilization': ranAgo(1) },
      due: ['invoices'],
    },
    {
      name: 'prices are read again after a day (MERIDIAN_PRICES_SYNC_MINUTES), then legacy utilization is priced on its own pace',
      states: { customers: ranAgo(1), subscriptions: ranAgo(1), 'unbilled-usage': ranAgo(1), invoices: ranAgo(1), prices: ranAgo(1441) },
      due: ['prices', 'legacy-utilization'],
    },
    {
      name: 'legacy utilization waits for the rate card',
      states: { customers: ranAgo(1), subscriptions: ranAgo(1), 'unbilled-usage': ranAgo(1), invoices: ranAgo(1), prices: ranAgo(1, 'failed') },
      due: [],
    },
    {
      name: 'a failed run is retried after 5 minutes',
      states: { customers: ranAgo(6, 'failed'), 'unbilled-usage': ranAgo(4, 'failed'), invoices: ranAgo(6, 'failed'), prices: ranAgo(6, 'failed') },
      due: ['customers', 'invoices', 'prices'],
    },
    {
      name: 'a run interrupted by a shutdown is resumed at once, other failures wait',
      states: {
        customers: ranAgo(1),
        subscriptions: ranAgo(1),
        'unbilled-usage': { ...ranAgo(1, 'failed'), lastError: 'interrupted by shutdown after 3 pages (300 rows); the next start resumes it' },
        invoices: { ...ranAgo(1, 'failed'), lastError: 'HTTP 500' },
        prices: ranAgo(1),
        'legacy-utilization': ranAgo(1),
      },
      due: ['unbilled-usage'],
    },
    {
      name: 'a running stream is never enqueued again',
      states: {
        customers: { ...ranAgo(500, 'running'), lastSuccessAt: ranAgo(900).lastSuccessAt },
        subscriptions: ranAgo(500),
        'unbilled-usage': ranAgo(500, 'running'),
        invoices: ranAgo(5),
        prices: ranAgo(5, 'running'),
      },
      due: ['subscriptions'],
    },
  ])('$name', ({ states, due }) => {
    const state = (s: SyncStream) => states[s] ?? never;
    expect(dueStreams(state, 60, DEFAULT_STREAM_SCHEDULE, NOW)).toEqual(due);
  });
});
