import { Inject, Injectable } from '@nestjs/common';
import { Store } from '@meridian/store';
import { ApiWrites } from './api-writes';
import { PreparedJson } from './prepared-json';

/** Bounded: the oldest entry goes first. */
const MAX_ENTRIES = 200;

interface Entry {
  /** When the latest computation started, and the data generations it started in. */
  at: number;
  costGeneration: number;
  writeGeneration: number;
  /** The latest computation (pending while `refreshing`). */
  value: Promise<PreparedJson>;
  refreshing: boolean;
  /** The last answer computed, with its api-write generation and time: served while a newer one is computed. */
  previous?: { answer: PreparedJson; writeGeneration: number; at: number };
}

/**
 * Whole cost answers, serialized, shared by every caller with the same scope and URL. The store's
 * query cache already shares the database work; this shares what the api builds on top of it
 * (labels, sorting, conversion, JSON). An answer is current while neither the cost data
 * (`store.costs.cache.generation`: every write in this process) nor anything written through the
 * api (ApiWrites: accounts, settings, rates, grants) has changed, and for at most the store
 * cache's TTL (writes by a worker in another process). Concurrent misses share one computation.
 *
 * While a sync writes, every page changes the cost data: the first request after a page recomputes
 * the answer (and waits for it); requests that arrive while that computation runs get the answer
 * from before the page at once instead of queueing behind it. So one reader alone always sees every
 * committed write, and under load an answer is at most one computation behind. Never across a
 * write made through the api: the caller who changed a setting sees its effect.
 *
 * While a sync of this process runs (store.costs.cache.syncing), its pages are treated as the
 * scaled mode treats a worker's (another process): an answer is served until it is the TTL old.
 * Recomputing every answer after every page was most of the api's query work during a sync (a
 * year of resource groups is ~120 ms at 10M rows). The run's end is a write: once it finishes,
 * answers are current (decision 0029).
 */
@Injectable()
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    @Inject(Store) private readonly store: Store,
    private readonly apiWrites: ApiWrites,
  ) {}

  get(key: string, compute: () => Promise<unknown>): Promise<PreparedJson> {
    const ttlMs = this.store.costs.cache.ttlMs;
    if (ttlMs <= 0) return compute().then(PreparedJson.build);
    const now = Date.now();
    const costGeneration = this.store.costs.cache.generation;
    const writeGeneration = this.apiWrites.generation;
    const hit = this.entries.get(key);
    if (hit && hit.writeGeneration === writeGeneration && now - hit.at < ttlMs) {
      const previous = hit.previous?.writeGeneration === writeGeneration ? hit.previous : undefined;
      if (hit.costGeneration === costGeneration) {
        if (hit.refreshing && previous && now - previous.at < ttlMs) return Promise.resolve(previous.answer);
        return hit.value;
      }
      if (previous && now - previous.at < ttlMs && this.store.costs.cache.syncing) return Promise.resolve(previous.answer);
    }
    const entry: Entry = { at: now, costGeneration, writeGeneration, value: compute().then(PreparedJson.build), refreshing: true, previous: hit?.previous };
    entry.value.then(
      (answer) => {
        entry.refreshing = false;
        entry.previous = { answer, writeGeneration: entry.writeGeneration, at: entry.at };
      },
      // A failed answer (a 400, a 422 for a missing rate) is not remembered.
      () => this.entries.get(key) === entry && this.entries.delete(key),
    );
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return entry.value;
  }
}
