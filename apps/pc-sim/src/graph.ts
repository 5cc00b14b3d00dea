/**
 * Microsoft Graph partner billing export (partner-center-api.md §5.5), served for global-cloud
 * accounts under `{origin}/graph/{A}/v1.0` (decision 0015):
 *   POST reports/partners/billing/{usage|reconciliation}/{billed|unbilled}/export → 202 + Location
 *   GET  reports/partners/billing/operations/{id}   (always 200; Retry-After while pending)
 *   GET  reports/partners/billing/manifests/{id}    (the manifest when the config says `link`)
 * Only a Graph token (aud https://graph.microsoft.com) of the same account is accepted, and only
 * with the application permission PartnerBilling.Read.All.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context';
import { dayOf } from './dates';
import { mintSas } from './blob-storage';
import { GRAPH_PERMISSION, GRAPH_RESOURCE, hasGraph } from './graph-config';
import { EXPORT_PATHS, exportData, isoSeconds, makeOperationId, manifestJson, readOperationId, unbilledPeriodStart, type ExportKind, type OperationClaims } from './graph-export';
import { header, readBody, send } from './http-util';
import type { AccountModel } from './profile';
import { readAccessToken } from './tokens';

class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extraHeaders: Record<string, string> = {},
  ) {
    super(message);
  }
}

const badRequest = (msg: string): GraphError => new GraphError(400, 'BadRequest', msg);

function graphHeaders(req: IncomingMessage): Record<string, string> {
  const clientId = header(req, 'client-request-id') ?? randomUUID();
  return { 'request-id': randomUUID(), 'client-request-id': clientId, 'Cache-Control': 'no-cache', 'OData-Version': '4.0' };
}

function sendGraphError(ctx: SimContext, res: ServerResponse, hdrs: Record<string, string>, e: GraphError): void {
  const body = { error: { code: e.code, message: e.message, innerError: { date: isoSeconds(ctx.wallClock()), 'request-id': hdrs['request-id'], 'client-request-id': hdrs['client-request-id'] } } };
  send(res, e.status, JSON.stringify(body), { ...hdrs, ...e.extraHeaders });
}

function authenticate(ctx: SimContext, req: IncomingMessage, acct: AccountModel): void {
  const h = header(req, 'authorization');
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  const fail = (msg: string): GraphError => new GraphError(401, 'InvalidAuthenticationToken', msg, { 'WWW-Authenticate': `Bearer realm="", authorization_uri="${ctx.publicUrl}/login/global/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"` });
  if (!m) throw fail('Access token is empty.');
  const c = readAccessToken(ctx.signer, m[1]);
  if (!c) throw fail('Access token validation failure. Invalid signature.');
  if (c.exp * 1000 <= ctx.wallClock()) throw fail('Lifetime validation failed, the token is expired.');
  if (c.aud !== GRAPH_RESOURCE) throw fail('Access token validation failure. Invalid audience.');
  if (ctx.faults.isRevoked(acct.def.id)) throw fail('Access token validation failure. The application credentials were revoked.');
  if (c.acct !== acct.def.id || c.tid !== acct.tenantId || c.appid !== acct.appId || c.cloud !== acct.def.cloud) throw fail('Access token validation failure. Invalid tenant.');
  // The roles claim is checked, and so is the current config, so turning the permission off takes
  // effect at once (a client caching its token still sees the 403).
  if (!(c.roles ?? []).includes(GRAPH_PERMISSION) || !ctx.graph.get(acct.def.id).permission) {
    throw new GraphError(403, 'Forbidden', `Missing role permissions on the request. API requires one of '${GRAPH_PERMISSION}'. Roles on the request '${(c.roles ?? []).join(',')}'. Grant the application permission ${GRAPH_PERMISSION} (admin consent) to app ${acct.appId}.`);
  }
}

async function startExport(ctx: SimContext, req: IncomingMessage, res: ServerResponse, acct: AccountModel, kind: ExportKind, base: string, hdrs: Record<string, string>): Promise<void> {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
  } catch {
    throw badRequest('The request body must be a JSON object.');
  }
  const set = body.attributeSet ?? 'full';
  if (set !== 'full' && set !== 'basic') throw badRequest(`Invalid value '${String(set)}' for property 'attributeSet'; use 'full' or 'basic'.`);
  const now = ctx.clock().getTime();
  const cfg = ctx.graph.get(acct.def.id);
  let claims: Omit<OperationClaims, 'n'>;
  if (kind === 'ub' || kind === 'rb') {
    if (typeof body.invoiceId !== 'string' || !body.invoiceId.trim()) throw badRequest("The property 'invoiceId' is required.");
    claims = { a: acct.def.id, k: kind, i: body.invoiceId.trim(), s: set, c: now, w: ctx.wallClock(), d: cfg.delaySeconds };
  } else {
    const cur = body.currencyCode;
    if (typeof cur !== 'string' || !cur) throw badRequest("The property 'currencyCode' is required.");
    if (cur.toUpperCase() !== acct.def.currency) throw badRequest(`The currency '${cur}' is not the partner's billing currency '${acct.def.currency}'.`);
    const period = body.billingPeriod;
    if (period !== 'current' && period !== 'last') throw badRequest(`Invalid value '${String(period)}' for property 'billingPeriod'; use 'current' or 'last'.`);
    claims = { a: acct.def.id, k: kind, p: unbilledPeriodStart(dayOf(ctx.clock()), period), s: set, c: now, w: ctx.wallClock(), d: cfg.delaySeconds };
  }
  // exportFailed: the first export of each key fails (drawn), so a new export of it succeeds.
  const key = `${kind}|${claims.i ?? claims.p}|${set}`;
  if (ctx.faults.once(acct.def.id, 'exportFailed', key)) {
    claims.x = 1;
    ctx.faults.record(acct.def.id, 'exportFailed');
  }
  const id = makeOperationId(ctx, claims);
  res.writeHead(202, { ...hdrs, Location: `${base}/reports/partners/billing/operations/${id}`, 'Content-Length': '0' });
  res.end();
}

/** Where an operation stands now: elapsed on whichever clock moved further (decision 0015). */
function progress(ctx: SimContext, c: OperationClaims): { done: boolean; elapsedMs: number } {
  const elapsedMs = Math.max(ctx.clock().getTime() - c.c, ctx.wallClock() - c.w, 0);
  return { done: elapsedMs >= c.d * 1000, elapsedMs };
}

function operation(ctx: SimContext, res: ServerResponse, acct: AccountModel, id: string, base: string, hdrs: Record<string, string>, asManifest: boolean): void {
  const c = readOperationId(ctx, acct.def.id, id);
  if (!c) throw new GraphError(404, 'itemNotFound', `The operation '${id}' was not found.`);
  const { done, elapsedMs } = progress(ctx, c);
  const head = { id, createdDateTime: isoSeconds(c.c), lastActionDateTime: isoSeconds(c.c + Math.min(elapsedMs, c.d * 1000)) };
  const ns = '#microsoft.graph.partners.billing';
  const context = `${base}/$metadata#reports/partners/billing/operations/$entity`;
  if (!done) {
    if (asManifest) throw new GraphError(404, 'itemNotFound', `The manifest '${id}' is not available yet.`);
    const remaining = Math.ceil((c.d * 1000 - elapsedMs) / 1000);
    const status = elapsedMs < (c.d * 1000) / 4 ? 'notStarted' : 'running';
    return send(res, 200, JSON.stringify({ '@odata.context': context, '@odata.type': `${ns}.runningOperation`, ...head, status }), { ...hdrs, 'Retry-After': String(Math.max(1, Math.min(remaining, 10))) });
  }
  const failed = (code: string, message: string): void => {
    if (asManifest) throw new GraphError(404, 'itemNotFound', `The operation '${id}' has no manifest: it failed.`);
    send(res, 200, JSON.stringify({ '@odata.context': context, '@odata.type': `${ns}.failedOperation`, ...head, status: 'failed', error: { code, message } }), hdrs);
  };
  if (c.x) return failed('5001', 'Internal error while generating the export. Start a new export.');
  const d = exportData(ctx, acct, c);
  const cfg = ctx.graph.get(acct.def.id);
  const layout = d && ctx.graphLayouts.get(ctx, d, cfg.linesPerBlob);
  if (!d || !layout || layout.lines === 0) return failed('5000', 'No data available');
  const manifest = manifestJson(ctx, id, d, layout, cfg.linesPerBlob, c.c + c.d * 1000, mintSas(ctx, acct, d, id));
  if (asManifest) return send(res, 200, JSON.stringify({ '@odata.context': `${base}/$metadata#reports/partners/billing/manifests/$entity`, '@odata.type': `${ns}.manifest`, ...manifest }), hdrs);
  const location = cfg.manifest === 'link' ? { 'resourceLocation@odata.navigationLink': `${base}/reports/partners/billing/manifests/${id}` } : { resourceLocation: manifest };
  send(res, 200, JSON.stringify({ '@odata.context': context, '@odata.type': `${ns}.exportSuccessOperation`, ...head, status: 'succeeded', ...location }), hdrs);
}

/** `segs` = path segments after "graph": {A}, v1.0 | beta, reports, partners, billing, … */
export async function handleGraph(ctx: SimContext, req: IncomingMessage, res: ServerResponse, segs: string[], url: URL): Promise<void> {
  const hdrs = graphHeaders(req);
  try {
    const acct = ctx.byId.get(segs[0] ?? '');
    const version = segs[1];
    if (!acct || !hasGraph(acct) || (version !== 'v1.0' && version !== 'beta')) throw new GraphError(404, 'ResourceNotFound', `Resource not found for the segment '${url.pathname}'.`);
    const base = `${ctx.publicUrl}/graph/${acct.def.id}/${version}`;
    const rest = segs.slice(2);
    const path = rest.join('/');
    if (!path.startsWith('reports/partners/billing/')) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${rest[0] ?? ''}'.`);
    const sub = rest.slice(3);
    const kind = (Object.keys(EXPORT_PATHS) as ExportKind[]).find((k) => EXPORT_PATHS[k] === sub.join('/'));
    const isOp = sub.length === 2 && (sub[0] === 'operations' || sub[0] === 'manifests');
    if (!kind && !isOp) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${sub.join('/')}'.`);
    authenticate(ctx, req, acct);
    const wanted = kind ? 'POST' : 'GET';
    if (req.method !== wanted) throw new GraphError(405, 'BadRequest', `The HTTP method '${req.method}' is not allowed for '${path}'; use ${wanted}.`);
    if (ctx.faults.nextGraph429(acct.def.id)) {
      ctx.faults.record(acct.def.id, 'graph429');
      const after = String(ctx.faults.config(acct.def.id)?.retryAfterSeconds ?? 1);
      throw new GraphError(429, 'TooManyRequests', 'Too many requests. Please retry after the time in the Retry-After header.', { 'Retry-After': after });
    }
    if (kind) return await startExport(ctx, req, res, acct, kind, base, hdrs);
    return operation(ctx, res, acct, sub[1], base, hdrs, sub[0] === 'manifests');
  } catch (e) {
    if (e instanceof GraphError) sendGraphError(ctx, res, hdrs, e);
    else throw e;
  }
}
