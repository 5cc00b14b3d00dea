/**
 * Fault injection per account, reproducible from the seed (issue 4 §4). Request faults are drawn
 * from (seed, account, n-th API request of the account); malformed records from (seed, account,
 * day, position) — so the same items are malformed on every read and ground truth can tell
 * exactly which amounts a correct client must quarantine rather than sum.
 */
import { strHash32, u01 } from './hash';

export const REQUEST_FAULTS = ['429', '500', '503', 'slow', 'timeout', 'truncated', 'expiredToken'] as const;
/** Faults of the Microsoft Graph billing export and its blob storage (graph.ts, blob-storage.ts). */
export const GRAPH_FAULTS = ['graph429', 'exportFailed', 'sasExpired', 'truncatedGzip'] as const;
export const FAULT_KINDS = [...REQUEST_FAULTS, 'malformed', ...GRAPH_FAULTS] as const;
export type GraphFault = (typeof GRAPH_FAULTS)[number];
export type RequestFault = (typeof REQUEST_FAULTS)[number];
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultConfig {
  /** Probability per API request (request faults) and per line item (malformed), 0–1. */
  rate: number;
  kinds: FaultKind[];
  retryAfterSeconds: number;
  slowMs: number;
  /** How long a "timeout" request hangs before the connection is dropped. */
  hangMs: number;
}

export const MALFORMED_VARIANTS = ['amount-not-a-number', 'missing-usage-date', 'quantity-wrong-type'] as const;

export class FaultInjector {
  private readonly configs = new Map<string, FaultConfig>();
  private readonly counters = new Map<string, number>();
  private readonly logs = new Map<string, Record<string, number>>();
  private readonly revoked = new Set<string>();
  /** Keys (per account) whose once-only Graph fault was already drawn: a new export/SAS/read succeeds. */
  private readonly drawnOnce = new Map<string, Set<string>>();

  constructor(private readonly seed: number) {}

  /** Validates and stores a config; returns an error message for bad input. */
  configure(account: string, input: unknown): string | FaultConfig {
    const o = (input ?? {}) as Record<string, unknown>;
    const rate = Number(o.rate);
    if (!(rate >= 0 && rate <= 1)) return "'rate' must be a number from 0 to 1";
    const kinds = Array.isArray(o.kinds) ? o.kinds.map(String) : [...FAULT_KINDS];
    const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
    if (unknown.length || kinds.length === 0) return `'kinds' must list some of ${FAULT_KINDS.join(', ')}`;
    const cfg: FaultConfig = {
      rate,
      kinds: kinds as FaultKind[],
      retryAfterSeconds: o.retryAfterSeconds === undefined ? 1 : Number(o.retryAfterSeconds),
      slowMs: o.slowMs === undefined ? 200 : Number(o.slowMs),
      hangMs: o.hangMs === undefined ? 60_000 : Number(o.hangMs),
    };
    if (![cfg.retryAfterSeconds, cfg.slowMs, cfg.hangMs].every((n) => Number.isFinite(n) && n >= 0)) return "'retryAfterSeconds', 'slowMs' and 'hangMs' must be numbers ≥ 0";
    this.configs.set(account, cfg);
    this.counters.set(account, 0);
    this.logs.set(account, {});
    this.counters.set(`${account}|graph`, 0);
    this.drawnOnce.delete(account);
    return cfg;
  }

  clear(account: string): void {
    this.configs.delete(account);
  }

  config(account: string): FaultConfig | null {
    return this.configs.get(account) ?? null;
  }

  log(account: string): Record<string, number> {
    return { ...(this.logs.get(account) ?? {}) };
  }

  record(account: string, kind: FaultKind, count = 1): void {
    const log = this.logs.get(account) ?? {};
    log[kind] = (log[kind] ?? 0) + count;
    this.logs.set(account, log);
  }

  /** The fault (if any) for the next API request of the account. */
  nextRequestFault(account: string): RequestFault | null {
    const cfg = this.configs.get(account);
    if (!cfg) return null;
    const n = this.counters.get(account) ?? 0;
    this.counters.set(account, n + 1);
    // Graph kinds have their own draws (nextGraph429, once): v1 requests never meet them.
    const requestKinds = cfg.kinds.filter((k): k is RequestFault => (REQUEST_FAULTS as readonly string[]).includes(k));
    const key = strHash32(`${this.seed}|fault|${account}`);
    if (requestKinds.length === 0 || u01(key, n, 1) >= cfg.rate) return null;
    return requestKinds[Math.floor(u01(key, n, 2) * requestKinds.length)];
  }

  /**
   * graph429 for the next Graph request of the account (POST export, operation and manifest reads),
   * drawn from (seed, account, n-th Graph request) on a counter of its own.
   */
  nextGraph429(account: string): boolean {
    const cfg = this.configs.get(account);
    if (!cfg || !cfg.kinds.includes('graph429')) return false;
    const n = this.counters.get(`${account}|graph`) ?? 0;
    this.counters.set(`${account}|graph`, n + 1);
    return u01(strHash32(`${this.seed}|graph429|${account}`), n, 1) < cfg.rate;
  }

  /**
   * A once-only Graph fault (exportFailed, sasExpired, truncatedGzip) for `key` (an export key, an
   * operation, a blob): drawn from (seed, account, kind, key) with probability `rate` the first time
   * the key is met after the config was set, never again — so a retry (new export, fresh SAS,
   * re-download) succeeds and a client can always finish.
   */
  once(account: string, kind: Exclude<GraphFault, 'graph429'>, key: string): boolean {
    const cfg = this.configs.get(account);
    if (!cfg || !cfg.kinds.includes(kind)) return false;
    let seen = this.drawnOnce.get(account);
    if (!seen) this.drawnOnce.set(account, (seen = new Set()));
    const k = `${kind}|${key}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return u01(strHash32(`${this.seed}|${kind}|${account}`), strHash32(key), 1) < cfg.rate;
  }

  /** The malformed variant of this line item, or null when it is served intact. */
  malformed(account: string, day: number, pos: number): (typeof MALFORMED_VARIANTS)[number] | null {
    const cfg = this.configs.get(account);
    if (!cfg || !cfg.kinds.includes('malformed')) return null;
    const key = strHash32(`${this.seed}|malformed|${account}`);
    if (u01(key, day, pos, 1) >= cfg.rate) return null;
    return MALFORMED_VARIANTS[Math.floor(u01(key, day, pos, 2) * MALFORMED_VARIANTS.length)];
  }

  revoke(account: string): void {
    this.revoked.add(account);
  }

  restore(account: string): void {
    this.revoked.delete(account);
  }

  isRevoked(account: string): boolean {
    return this.revoked.has(account);
  }
}

/** Breaks one serialised line item the way the variant says (the rest of the page stays valid). */
export function corrupt(json: string, variant: (typeof MALFORMED_VARIANTS)[number]): string {
  switch (variant) {
    case 'amount-not-a-number':
      return json.replace(/"billingPreTaxTotal":[^,]+/, '"billingPreTaxTotal":"N/A"');
    case 'missing-usage-date':
      return json.replace(/,"usageDate":"[^"]*"/, '');
    case 'quantity-wrong-type':
      return json.replace(/"quantity":[^,]+/, '"quantity":true');
  }
}
