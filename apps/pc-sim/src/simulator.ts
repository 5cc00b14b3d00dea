import type { IncomingMessage, ServerResponse } from 'node:http';
import { accountInfos, exchangeRates, groundTruth, SimParamError, type AccountInfo, type GroundTruth, type GroundTruthQuery } from './control';
import { handleLogin } from './aad';
import type { SimContext } from './context';
import { FaultInjector } from './faults';
import { readBody, sendJson } from './http-util';
import { handlePc, pcInternalError, pcNotFound } from './pc-api';
import { InvoiceBook } from './invoices';
import { dayOf } from './dates';
import { buildWorld, PROFILE_GRAPH_DELAY_SECONDS, PROFILES, type Profile } from './profile';
import { plantSpikes, spikeJson } from './anomalies';
import { decStr, ZERO } from './money';
import { strHash32 } from './hash';
import { Signer } from './tokens';
import { UsageGenerator } from './usage';
import { legacyTruth, malformedMeter, rateCardTruth } from './legacy';
import { isRoleName, partnerUsers, UsageBook } from './userapi';
import { issueRefreshToken } from './tokens';
import { UsagePageCache } from './page-cache';
import { SasState, handleBlob } from './blob-storage';
import { DEFAULT_LINES_PER_BLOB, GraphSettings, hasGraph, mergeGraphConfig, type ManifestMode } from './graph-config';
import { LayoutCache } from './graph-export';
import { handleGraph } from './graph';

export interface SimulatorOptions {
  /** Data seed (default 42). Same seed (and clock) → identical data. */
  seed?: number;
  /** Frozen simulation clock. Absent = real current time (advancing). */
  now?: Date;
  /** Absolute origin the simulator is reachable at, e.g. `http://127.0.0.1:4100`. */
  publicUrl: string;
  /** Access-token lifetime in seconds (default 3599). */
  tokenTtlSeconds?: number;
  /** Adds account "scale" with about this many line items per day (benchmarks). */
  scaleItemsPerDay?: number;
  /** demo (default): six demo accounts · sandbox: the sandbox account only · scale: the scale account only. */
  profile?: Profile;
  /** Keeps rendered unbilled usage pages in this directory and serves repeat reads from it (benchmarks). */
  pageCacheDir?: string;
  /**
   * Global-cloud accounts answer the v1 usage reads and the new-commerce billing line item reads
   * (periods from 2024-02, and unbilled) as retired, as Microsoft does (default true).
   */
  retireV1?: boolean;
  /** Default delay of a Graph export in seconds (default: the profile's, demo 3). */
  graphDelaySeconds?: number;
  /** Default lines per blob of a Graph export (default 200000). */
  graphLinesPerBlob?: number;
  /** Default manifest delivery: inline `resourceLocation` (default) or a `link` to GET manifests/{id}. */
  graphManifest?: ManifestMode;
}

export interface Simulator {
  /** node:http request listener serving every account, the token authorities and the control API. */
  handler(req: IncomingMessage, res: ServerResponse): void;
  accounts(): AccountInfo[];
  /** Exact sums of billingPreTaxTotal from the generator; throws SimParamError on bad input. */
  groundTruth(q: GroundTruthQuery): GroundTruth;
  /** The simulation clock. */
  now(): Date;
}

export const DEFAULT_SEED = 42;

export function createSimulator(opts: SimulatorOptions): Simulator {
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isFinite(seed)) throw new Error('seed must be a finite number');
  let fixed = opts.now ? new Date(opts.now.getTime()) : null;
  if (fixed && Number.isNaN(fixed.getTime())) throw new Error('now must be a valid date');
  if (opts.profile !== undefined && !PROFILES.includes(opts.profile)) throw new Error(`profile must be one of ${PROFILES.join(', ')}`);
  const models = buildWorld(seed, opts.scaleItemsPerDay, opts.profile);
  const spikes = plantSpikes(seed, models);
  const graphDefaults = mergeGraphConfig(
    { permission: true, delaySeconds: PROFILE_GRAPH_DELAY_SECONDS[opts.profile ?? 'demo'], manifest: 'inline', linesPerBlob: DEFAULT_LINES_PER_BLOB },
    { delaySeconds: opts.graphDelaySeconds, linesPerBlob: opts.graphLinesPerBlob, manifest: opts.graphManifest },
  );
  if (typeof graphDefaults === 'string') throw new Error(`graph options: ${graphDefaults}`);
  const ctx: SimContext = {
    seed,
    models,
    byId: new Map(models.map((m) => [m.def.id, m])),
    generators: new Map(models.map((m) => [m.def.id, new UsageGenerator(m, spikes.filter((s) => s.account === m.def.id))])),
    spikes,
    signer: new Signer(`seed:${seed}`),
    clock: () => (fixed ? new Date(fixed.getTime()) : new Date()),
    setClock: (now) => {
      fixed = new Date(now.getTime());
    },
    invoices: undefined as unknown as InvoiceBook,
    usage: undefined as unknown as UsageBook,
    wallClock: () => Date.now(),
    publicUrl: opts.publicUrl.replace(/\/+$/, ''),
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 3599,
    serverId: String(100_000_000 + (strHash32(`server|${seed}`) % 900_000_000)),
    faults: new FaultInjector(seed),
    pageCache: opts.pageCacheDir ? new UsagePageCache(opts.pageCacheDir) : undefined,
    graph: new GraphSettings(graphDefaults),
    graphLayouts: new LayoutCache(),
    sas: new SasState(),
    retireV1: opts.retireV1 ?? true,
  };
  ctx.invoices = new InvoiceBook(ctx);
  ctx.usage = new UsageBook(ctx);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://pc-sim.invalid');
    const segs = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    switch (segs[0]) {
      case '_sim':
        return handleControl(ctx, req, res, segs.slice(1), url);
      case 'login':
        return handleLogin(ctx, req, res, segs.slice(1));
      case 'pc':
        return handlePc(ctx, req, res, segs.slice(1), url);
      case 'graph':
        return handleGraph(ctx, req, res, segs.slice(1), url);
      case 'blob':
        return handleBlob(ctx, req, res, segs.slice(1), url);
      default:
        return pcNotFound(ctx, req, res, url);
    }
  };

  return {
    handler(req, res) {
      handle(req, res).catch((err: unknown) => pcInternalError(ctx, req, res, err));
    },
    accounts: () => accountInfos(ctx),
    groundTruth: (q) => groundTruth(ctx, q),
    now: () => ctx.clock(),
  };
}

async function handleFaultControl(ctx: SimContext, req: IncomingMessage, res: ServerResponse, segs: string[]): Promise<void> {
  const [kind, id, action] = segs;
  if (!ctx.byId.has(id ?? '')) return sendJson(res, 404, { error: 'not_found', message: `Unknown account '${id}'.` });
  if (kind === 'accounts' && req.method === 'POST' && (action === 'revoke-secret' || action === 'restore-secret')) {
    if (action === 'revoke-secret') ctx.faults.revoke(id);
    else ctx.faults.restore(id);
    return sendJson(res, 200, { account: id, revoked: ctx.faults.isRevoked(id) });
  }
  if (kind === 'accounts' && action === 'refresh-token' && req.method === 'POST') {
    // Stands in for the admin's one-time consent (secure application model): a refresh token of a
    // partner user with the given role (default Global admin), redeemed with grant_type=refresh_token.
    let role = 'Global admin';
    const text = await readBody(req);
    if (text.trim()) {
      let b: { role?: unknown };
      try {
        b = JSON.parse(text) as typeof b;
      } catch {
        return sendJson(res, 400, { error: 'bad_request', message: 'The body must be JSON: {"role": "<partner role>"}.' });
      }
      if (b && b.role !== undefined) {
        if (typeof b.role !== 'string' || !isRoleName(b.role)) return sendJson(res, 400, { error: 'bad_request', message: `Unknown role '${String(b.role)}'.` });
        role = b.role;
      }
    }
    const m = ctx.byId.get(id)!;
    const user = partnerUsers(m).find((u) => u.role === role)!;
    return sendJson(res, 200, { account: id, userPrincipalName: user.userPrincipalName, role, refresh_token: issueRefreshToken(ctx.signer, { acct: id, appid: m.appId, upn: user.userPrincipalName, role }) });
  }
  if (kind === 'faults' && action === 'log' && req.method === 'GET') return sendJson(res, 200, { account: id, injected: ctx.faults.log(id) });
  if (kind === 'faults' && action === undefined) {
    if (req.method === 'GET') return sendJson(res, 200, { account: id, faults: ctx.faults.config(id) });
    if (req.method === 'DELETE') {
      ctx.faults.clear(id);
      return sendJson(res, 200, { account: id, faults: null });
    }
    if (req.method === 'PUT') {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return sendJson(res, 400, { error: 'bad_request', message: 'The body must be JSON.' });
      }
      const result = ctx.faults.configure(id, body);
      if (typeof result === 'string') return sendJson(res, 400, { error: 'bad_request', message: result });
      return sendJson(res, 200, { account: id, faults: result });
    }
  }
  return sendJson(res, 405, { error: 'method_not_allowed', message: `Unsupported ${req.method} on /_sim/${segs.join('/')}.` });
}

/** ISO 8601 duration (days and time parts, e.g. P1D, PT6H, P1DT30M, P2W) in ms; null if not one. */
export function parseDuration(s: string): number | null {
  const m = /^(-)?P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(s.trim());
  if (!m || s.trim().toUpperCase().endsWith('T') || m.slice(2).every((x) => x === undefined)) return null;
  const [w, d, h, min, sec] = m.slice(2).map((x) => (x === undefined ? 0 : Number(x)));
  const ms = (((w * 7 + d) * 24 + h) * 60 + min) * 60_000 + sec * 1000;
  return m[1] ? -ms : ms;
}

/**
 * POST /_sim/clock sets or moves the simulation clock:
 *   {"now": ISO}                       set
 *   {"advance": "P1D" | "PT6H" | n}    move by an ISO 8601 duration, or n days (number)
 *   {"advanceDays": n} | {"advanceHours": n}
 * Moving past the 8th of a month issues the previous month's invoices (invoices.ts).
 */
async function handleClock(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: { now?: unknown; advance?: unknown; advanceDays?: unknown; advanceHours?: unknown };
  try {
    body = JSON.parse(await readBody(req)) as typeof body;
    if (!body || typeof body !== 'object') throw new Error('not an object');
  } catch {
    return sendJson(res, 400, { error: 'bad_request', message: 'The body must be a JSON object.' });
  }
  const cur = ctx.clock().getTime();
  let next: Date | null = null;
  if (typeof body.now === 'string' && !Number.isNaN(Date.parse(body.now))) next = new Date(body.now);
  else if (typeof body.advance === 'number' && Number.isFinite(body.advance)) next = new Date(cur + body.advance * 86_400_000);
  else if (typeof body.advance === 'string' && parseDuration(body.advance) !== null) next = new Date(cur + parseDuration(body.advance)!);
  else if (typeof body.advanceDays === 'number' && Number.isFinite(body.advanceDays)) next = new Date(cur + body.advanceDays * 86_400_000);
  else if (typeof body.advanceHours === 'number' && Number.isFinite(body.advanceHours)) next = new Date(cur + body.advanceHours * 3_600_000);
  if (!next || Number.isNaN(next.getTime())) {
    return sendJson(res, 400, { error: 'bad_request', message: 'Give "now" (ISO date-time), "advance" (ISO 8601 duration such as "P1D" or "PT6H", or a number of days), "advanceDays" or "advanceHours".' });
  }
  ctx.setClock(next);
  return sendJson(res, 200, { now: ctx.clock().toISOString() });
}

/** Planted spikes with their served amount and the amount the day would have had without them. */
function anomalies(ctx: SimContext): unknown[] {
  const today = dayOf(ctx.clock());
  return ctx.spikes.map((sp) => {
    const model = ctx.byId.get(sp.account)!;
    const sum = (gen: UsageGenerator) => {
      let acc = ZERO;
      for (const it of gen.items(sp.day, sp.day + 1)) if (it.slot.meter.meterCategory === sp.service) acc = acc.plus(it.billingTotal);
      return acc;
    };
    return { ...spikeJson(sp), kind: 'spike', amount: decStr(sum(ctx.generators.get(sp.account)!)), baselineAmount: decStr(sum(new UsageGenerator(model))), served: sp.day < today };
  });
}

/** PUT / GET / DELETE /_sim/graph/{A}: the account's Graph export settings (graph-config.ts). */
async function handleGraphControl(ctx: SimContext, req: IncomingMessage, res: ServerResponse, id: string | undefined): Promise<void> {
  const m = ctx.byId.get(id ?? '');
  if (!m) return sendJson(res, 404, { error: 'not_found', message: `Unknown account '${id}'.` });
  if (!hasGraph(m)) return sendJson(res, 404, { error: 'not_found', message: `Account '${id}' (cloud ${m.def.cloud}) has no Microsoft Graph billing export.` });
  if (req.method === 'GET') return sendJson(res, 200, { account: m.def.id, graph: ctx.graph.get(m.def.id) });
  if (req.method === 'DELETE') {
    ctx.graph.reset(m.def.id);
    return sendJson(res, 200, { account: m.def.id, graph: ctx.graph.get(m.def.id) });
  }
  if (req.method === 'PUT') {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return sendJson(res, 400, { error: 'bad_request', message: 'The body must be JSON.' });
    }
    const r = ctx.graph.configure(m.def.id, body);
    if (typeof r === 'string') return sendJson(res, 400, { error: 'bad_request', message: r });
    return sendJson(res, 200, { account: m.def.id, graph: r });
  }
  return sendJson(res, 405, { error: 'method_not_allowed', message: `Unsupported ${req.method} on /_sim/graph/${id}.` });
}

function handleControl(ctx: SimContext, req: IncomingMessage, res: ServerResponse, segs: string[], url: URL): void | Promise<void> {
  if (segs[0] === 'graph' && segs.length === 2) return handleGraphControl(ctx, req, res, segs[1]);
  if (segs[0] === 'faults' || (segs[0] === 'accounts' && segs.length === 3)) return handleFaultControl(ctx, req, res, segs);
  if (segs[0] === 'clock' && segs.length === 1 && req.method === 'POST') return handleClock(ctx, req, res);
  if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed', message: 'Only GET is supported.' });
  const path = segs.join('/');
  if (path === 'accounts') return sendJson(res, 200, { items: accountInfos(ctx) });
  if (path === 'clock') return sendJson(res, 200, { now: ctx.clock().toISOString() });
  if (path === 'planted') return sendJson(res, 200, { ...ctx.invoices.planted(dayOf(ctx.clock())), anomalies: anomalies(ctx) });
  if (path === 'anomalies') return sendJson(res, 200, { items: anomalies(ctx) });
  if (path === 'ground-truth/ratecard' || path === 'ground-truth/legacy') {
    const p = url.searchParams;
    const acct = ctx.byId.get(p.get('account') ?? '');
    if (!acct) return sendJson(res, 400, { error: 'bad_request', parameter: 'account', message: `Unknown account '${p.get('account') ?? ''}'.` });
    if (path === 'ground-truth/ratecard') {
      const currency = (p.get('currency') ?? acct.def.currency).toUpperCase();
      return sendJson(res, 200, rateCardTruth(acct, currency, malformedMeter(ctx.faults, acct.def.id)));
    }
    const from = Date.parse(`${p.get('from') ?? ''}T00:00:00Z`);
    const to = Date.parse(`${p.get('to') ?? ''}T00:00:00Z`);
    if (Number.isNaN(from) || Number.isNaN(to) || to < from) return sendJson(res, 400, { error: 'bad_request', parameter: 'from', message: 'from and to must be dates (YYYY-MM-DD), from ≤ to.' });
    const toExcl = Math.min(to / 86_400_000 + 1, dayOf(ctx.clock()));
    return sendJson(res, 200, { account: acct.def.id, currency: acct.def.currency, subscriptions: legacyTruth(acct, acct.customers, from / 86_400_000, toExcl) });
  }
  if (path === 'exchange-rates') {
    try {
      return sendJson(res, 200, { items: exchangeRates(ctx, { from: url.searchParams.get('from') ?? '', to: url.searchParams.get('to') ?? '' }) });
    } catch (e) {
      if (e instanceof SimParamError) return sendJson(res, 400, { error: 'bad_request', parameter: e.param, message: e.message });
      throw e;
    }
  }
  if (path === 'ground-truth') {
    const p = url.searchParams;
    try {
      const r = groundTruth(ctx, { account: p.get('account') ?? '', from: p.get('from') ?? '', to: p.get('to') ?? '', groupBy: p.get('groupBy') ?? p.get('groupby') ?? undefined });
      return sendJson(res, 200, r);
    } catch (e) {
      if (e instanceof SimParamError) return sendJson(res, 400, { error: 'bad_request', parameter: e.param, message: e.message });
      throw e;
    }
  }
  return sendJson(res, 404, { error: 'not_found', message: `Unknown control endpoint '/_sim/${path}'.` });
}
