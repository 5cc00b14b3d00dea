import { Inject, Injectable } from '@nestjs/common';
import { Store } from '@meridian/store';
import { PreparedJson } from './prepared-json';

/** Bounded: the oldest entry goes first. */
const MAX_ENTRIES = 200;

interface Entry {
  at: number;
  costGeneration: number;
  writeGeneration: number;
  value: Promise<PreparedJson>;
}

/**
 * Whole cost answers, serialized, shared by every caller with the same scope and URL. The store's
 * query cache already shares the database work; this shares what the api builds on top of it
 * (labels, sorting, conversion, JSON). An entry lives while neither the cost data
 * (`store.costs.cache.generation`: every write in this process) nor anything written through the
 * api (`invalidate`: accounts, settings, rates) has changed, and for at most the store cache's TTL
 * (writes by a worker in another process). Concurrent misses share one computation.
 */
@Injectable()
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private writeGeneration = 0;

  constructor(@Inject(Store) private readonly store: Store) {}

  get(key: string, compute: () => Promise<unknown>): Promise<PreparedJson> {
    const ttlMs = this.store.costs.cache.ttlMs;
    if (ttlMs <= 0) return compute().then(PreparedJson.of);
    const now = Date.now();
    const costGeneration = this.store.costs.cache.generation;
    const hit = this.entries.get(key);
    if (hit && hit.costGeneration === costGeneration && hit.writeGeneration === this.writeGeneration && now - hit.at < ttlMs) return hit.value;
    const value = compute().then(PreparedJson.of);
    this.entries.delete(key);
    this.entries.set(key, { at: now, costGeneration, writeGeneration: this.writeGeneration, value });
    // A failed answer (a 400, a 422 for a missing rate) is not remembered.
    value.catch(() => this.entries.get(key)?.value === value && this.entries.delete(key));
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  invalidate(): void {
    this.writeGeneration++;
    this.entries.clear();
  }
}
