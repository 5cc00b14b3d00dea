/**
 * Partner Center REST surface (first cut), served under /pc/{accountId}:
 *   GET /v1/customers?size=N                           (continuation paging)
 *   GET /v1/customers/{customerId}
 *   GET /v1/customers/{customerId}/subscriptions
 *   GET /v1/customers/{customerId}/subscriptions/{subscriptionId}
 *   GET /v1/customers/{customerId}/subscriptions/{planId}/azureEntitlements
 *   GET /v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=…&period=…&size=…
 *   GET /v1/invoices?size=N&offset=N                   (offset paging, newest first)
 *   GET /v1/invoices/summary · /v1/invoices/summaries
 *   GET /v1/invoices/{invoiceId}
 *   GET /v1/invoices/{invoiceId}/lineitems?provider=onetime&invoicelineitemtype=usagelineitems|billinglineitems&currencycode=…&period=…&size=…
 * Month close and invoice rules: invoices.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLOUDS } from './catalog';
import type { SimContext } from './context';
import { dayOf, monthStart } from './dates';
import { header, lowerQuery, readBody, send, sendJson } from './http-util';
import { legacyOf, legacyQuantity, LEGACY_OFFER_ID, malformedMeter, RATE_CARD_CURRENCIES, rateCardJson, rateCardTruth, utilizationJson } from './legacy';
import { Dec } from './money';
import { canReadUsage, partnerUsers, PARTNER_ROLES, roleId } from './userapi';
import type { AccountModel, Customer, Subscription } from './profile';
import type { UsageGenerator } from './usage';
import { corrupt } from './faults';
import type { InvoiceDoc } from './invoices';
import { makeContinuation, readAccessToken, readContinuation } from './tokens';
import { RETIRED_CODE, RETIRED_STATUS, retiredRead, type V1Read } from './retire';

/** Partner Center error numbers used by the simulator (values chosen by the simulator). */
export const PC_CODES = {
  badRequest: 900400,
  unauthorized: 900401,
  forbidden: 900403,
  notFound: 3000,
  methodNotAllowed: 900405,
  internal: 900500,
  notImplemented: 900501,
} as const;

export const MAX_USAGE_PAGE = 2000;
export const MAX_CUSTOMER_PAGE = 500;

class PcError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly extraHeaders: Record<string, string> = {},
  ) {
    super(message);
  }
}

const bad = (msg: string): PcError => new PcError(400, PC_CODES.badRequest, msg);
const notFound = (msg: string): PcError => new PcError(404, PC_CODES.notFound, msg);

/** Throws the retirement answer when this v1 read is retired for the account (retire.ts). */
function checkRetired(ctx: SimContext, acct: AccountModel, read: V1Read, periodStart?: number): void {
  const msg = retiredRead(ctx, acct, read, periodStart);
  if (msg) throw new PcError(RETIRED_STATUS, RETIRED_CODE, msg);
}

export function pcErrorBody(code: number, description: string): string {
  return JSON.stringify({ code, description, data: [], source: 'PartnerFD' });
}

function responseHeaders(ctx: SimContext, req: IncomingMessage): Record<string, string> {
  return {
    'MS-RequestId': header(req, 'ms-requestid') ?? randomUUID(),
    'MS-CorrelationId': header(req, 'ms-correlationid') ?? randomUUID(),
    'MS-CV': `${randomBytes(12).toString('base64')}.0`,
    'MS-ServerId': ctx.serverId,
  };
}

interface Link {
  uri: string;
  method: 'GET';
  headers: { key: string; value: string }[];
}
const link = (uri: string, headers: Link['headers'] = []): Link => ({ uri, method: 'GET', headers });

interface Caller {
  /** When the token was issued (epoch ms). */
  issuedAt: number;
  /** App+User tokens: the partner user and role; absent for app-only tokens. */
  upn?: string;
  role?: string;
}

/** Checks the bearer token; returns who calls. */
function authenticate(ctx: SimContext, req: IncomingMessage, acct: AccountModel): Caller {
  const h = header(req, 'authorization');
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  const fail = (msg: string): PcError =>
    new PcError(401, PC_CODES.unauthorized, msg, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${msg}"` });
  if (!m) throw fail('Authorization failed: the request has no Bearer access token.');
  const c = readAccessToken(ctx.signer, m[1]);
  if (!c) throw fail('Authorization failed: the access token is invalid.');
  if (c.exp * 1000 <= ctx.wallClock()) throw fail('Authorization failed: the access token has expired.');
  if (ctx.faults.isRevoked(acct.def.id)) throw fail('Authorization failed: the application credentials were revoked.');
  if (c.acct !== acct.def.id || c.tid !== acct.tenantId || c.appid !== acct.appId || c.cloud !== acct.def.cloud || c.aud !== CLOUDS[acct.def.cloud].resource) {
    throw fail('Authorization failed: the access token was not issued for this partner account.');
  }
  return { issuedAt: c.exp * 1000 - ctx.tokenTtlSeconds * 1000, upn: c.upn, role: c.role };
}

/** App+User-only operations (§1 table): app-only tokens get 403; `usage` also needs a role that reads usage (§9). */
function requireUser(caller: Caller, what: string, usage: boolean): void {
  if (!caller.upn) throw new PcError(403, PC_CODES.forbidden, `${what} requires an App+User token; app-only authentication is not supported for this operation.`);
  if (usage && !canReadUsage(caller.role)) throw new PcError(403, PC_CODES.forbidden, `The signed-in user (${caller.role ?? 'no role'}) is not authorized to perform this operation: ${what}.`);
}

function parseSize(q: Map<string, string>, def: number, max: number): number {
  const s = q.get('size');
  if (s === undefined) return def;
  if (!/^\d+$/.test(s) || +s < 1 || +s > max) throw bad(`The parameter 'size' must be an integer between 1 and ${max}; got '${s}'.`);
  return +s;
}

/** Returns the continuation token when `seekOperation=Next`, undefined for a first page. */
function seek(req: IncomingMessage, q: Map<string, string>): string | undefined {
  const op = q.get('seekoperation');
  if (op === undefined) return undefined;
  if (op.toLowerCase() !== 'next') throw bad(`The parameter 'seekOperation' value '${op}' is not supported; use 'Next'.`);
  const tok = header(req, 'ms-continuationtoken');
  if (!tok) throw bad("The header 'MS-ContinuationToken' is required when seekOperation=Next.");
  return tok;
}

function customerJson(c: Customer): unknown {
  return {
    id: c.id,
    commerceId: c.commerceId,
    companyProfile: { tenantId: c.id, domain: c.domain, companyName: c.companyName, attributes: { objectType: 'CustomerCompanyProfile' } },
    billingProfile: {
      id: c.commerceId,
      culture: c.country.culture,
      language: c.country.culture.split('-')[0],
      companyName: c.companyName,
      email: c.email,
      defaultAddress: { country: c.country.country, city: c.country.city, state: c.country.state, addressLine1: '1 Main Street', postalCode: '' },
      attributes: { objectType: 'CustomerBillingProfile' },
    },
    relationshipToPartner: 'reseller',
    allowDelegatedAccess: true,
    associatedPartnerId: null,
    links: { self: link(`/customers/${c.id}`) },
    attributes: { objectType: 'Customer' },
  };
}

function subscriptionJson(c: Customer, s: Subscription): unknown {
  const { isAzurePlan, termDuration, ...rest } = s;
  return {
    ...rest,
    ...(termDuration ? { termDuration } : {}),
    links: {
      offer: link(`/offers/${s.offerId}`),
      self: link(`/customers/${c.id}/subscriptions/${s.id}`),
      ...(isAzurePlan ? { azureEntitlements: link(`/customers/${c.id}/subscriptions/${s.id}/azureEntitlements`) } : {}),
    },
    attributes: { objectType: 'Subscription' },
  };
}

function collection(items: unknown[], links: Record<string, Link>): unknown {
  return { totalCount: items.length, items, links, attributes: { objectType: 'Collection' } };
}

function findCustomer(acct: AccountModel, id: string): Customer {
  const c = acct.customersById.get(id.toLowerCase());
  if (!c) throw notFound(`Customer '${id}' could not be found.`);
  return c;
}

function subscriptionsOf(acct: AccountModel, c: Customer): Subscription[] {
  const legacy = legacyOf(acct, c);
  return [c.plan, ...(c.license ? [c.license] : []), ...(legacy ? [legacy.sub] : [])];
}

function handleCustomers(ctx: SimContext, req: IncomingMessage, res: ServerResponse, acct: AccountModel, q: Map<string, string>, hdrs: Record<string, string>): void {
  const size = parseSize(q, MAX_CUSTOMER_PAGE, MAX_CUSTOMER_PAGE);
  const scope = `${acct.def.id}|customers`;
  const tok = seek(req, q);
  let offset = 0;
  if (tok !== undefined) {
    const cur = readContinuation(ctx.signer, scope, tok);
    if (!cur || cur.o === undefined) throw bad('The continuation token is invalid or was not issued for this request.');
    offset = cur.o;
  }
  const page = acct.customers.slice(offset, offset + size);
  const selfUri = `/customers?size=${size}` + (tok !== undefined ? '&seekOperation=Next' : '');
  const links: Record<string, Link> = { self: link(selfUri) };
  if (offset + size < acct.customers.length) {
    links.next = link(`/customers?size=${size}&seekOperation=Next`, [{ key: 'MS-ContinuationToken', value: makeContinuation(ctx.signer, scope, { o: offset + size }) }]);
  }
  sendJson(res, 200, collection(page.map(customerJson), links), hdrs);
}

function handleUnbilledLineItems(ctx: SimContext, req: IncomingMessage, res: ServerResponse, acct: AccountModel, q: Map<string, string>, hdrs: Record<string, string>): void {
  const provider = q.get('provider');
  if (!provider) throw bad("The parameter 'provider' is required.");
  if (provider.toLowerCase() !== 'onetime') throw bad(`The parameter 'provider' value '${provider}' is not supported for unbilled line items; use 'onetime'.`);
  const type = q.get('invoicelineitemtype');
  if (!type) throw bad("The parameter 'invoicelineitemtype' is required.");
  const typeL = type.toLowerCase();
  if (typeL !== 'usagelineitems' && typeL !== 'billinglineitems') throw bad(`The parameter 'invoicelineitemtype' value '${type}' is invalid; use 'usagelineitems' or 'billinglineitems'.`);
  const currency = q.get('currencycode');
  if (!currency) throw bad("The parameter 'currencycode' is required.");
  if (currency.toUpperCase() !== acct.def.currency) {
    throw bad(`The parameter 'currencycode' value '${currency}' does not match the partner's billing currency '${acct.def.currency}'.`);
  }
  const period = q.get('period');
  if (!period) throw bad("The parameter 'period' is required.");
  const periodL = period.toLowerCase();
  if (periodL !== 'current' && periodL !== 'previous') throw bad(`The parameter 'period' value '${period}' is invalid; use 'current' or 'previous'.`);
  const size = parseSize(q, MAX_USAGE_PAGE, MAX_USAGE_PAGE);
  const tok = seek(req, q);

  const today = dayOf(ctx.clock());
  const curStart = monthStart(today);
  const from = periodL === 'current' ? curStart : monthStart(curStart - 1);
  const toExcl = periodL === 'current' ? today : curStart;
  checkRetired(ctx, acct, typeL === 'billinglineitems' ? 'unbilled-billing' : 'unbilled-usage');
  if (typeL === 'billinglineitems') {
    // Estimates per customer (reconciliation file of the open period), continuation paged.
    const all = ctx.invoices.unbilledBillingLineItems(acct, from, toExcl);
    const bscope = `${acct.def.id}|unbilled-billing|${from}`;
    let offset = 0;
    if (tok !== undefined) {
      const cur = readContinuation(ctx.signer, bscope, tok);
      if (!cur || cur.o === undefined) throw bad('The continuation token is invalid or was not issued for this request.');
      offset = cur.o;
    }
    const bbase = `/invoices/unbilled/lineitems?provider=${encodeURIComponent(provider)}&invoicelineitemtype=${encodeURIComponent(type)}&currencycode=${encodeURIComponent(currency)}&period=${encodeURIComponent(period)}&size=${size}`;
    const blinks: Record<string, Link> = { self: link(bbase + (tok !== undefined ? '&seekOperation=Next' : '')) };
    if (offset + size < all.length) blinks.next = link(`${bbase}&seekOperation=Next`, [{ key: 'MS-ContinuationToken', value: makeContinuation(ctx.signer, bscope, { o: offset + size }) }]);
    return sendJson(res, 200, collection(all.slice(offset, offset + size), blinks), hdrs);
  }
  const scope = `${acct.def.id}|unbilled-usage|${acct.def.currency}|${from}`;
  let cursor: { day: number; pos: number } | undefined;
  if (tok !== undefined) {
    const cur = readContinuation(ctx.signer, scope, tok);
    if (!cur || cur.d === undefined || cur.p === undefined || cur.d < from || cur.d >= toExcl) {
      throw bad('The continuation token is invalid or was not issued for this request.');
    }
    cursor = { day: cur.d, pos: cur.p };
  }
  const cacheKey = ctx.pageCache && `${scope}|${toExcl}|${cursor ? `${cursor.day}:${cursor.pos}` : 'first'}|${size}`;
  if (cacheKey && ctx.pageCache?.serve(cacheKey, res, hdrs, (n) => ctx.faults.record(acct.def.id, 'malformed', n))) return;
  const gen = ctx.generators.get(acct.def.id)!;
  // The previous period stays readable as unbilled estimates for the whole month, also after its
  // invoice is issued (on the 8th): a client must let the billed rows win (docs/decisions/0009).
  const page = gen.page(from, toExcl, cursor, size);

  const base = `/invoices/unbilled/lineitems?provider=${encodeURIComponent(provider)}&invoicelineitemtype=${encodeURIComponent(type)}&currencycode=${encodeURIComponent(currency)}&period=${encodeURIComponent(period)}&size=${size}`;
  const links: Record<string, Link> = { self: link(base + (tok !== undefined ? '&seekOperation=Next' : '')) };
  if (page.next) {
    links.next = link(`${base}&seekOperation=Next`, [{ key: 'MS-ContinuationToken', value: makeContinuation(ctx.signer, scope, { d: page.next.day, p: page.next.pos }) }]);
  }
  sendUsagePage(ctx, res, acct, page.items, links, hdrs, (json) => json, cacheKey);
}

/** Serialises usage items (with the account's malformed-record faults) as one collection page. */
function sendUsagePage(
  ctx: SimContext,
  res: ServerResponse,
  acct: AccountModel,
  items: ReturnType<UsageGenerator['page']>['items'],
  links: Record<string, Link>,
  hdrs: Record<string, string>,
  rewrite: (json: string) => string,
  /** Keeps the rendered page in the page cache under this key (if the simulator has one). */
  cacheKey?: string,
): void {
  const gen = ctx.generators.get(acct.def.id)!;
  const parts: string[] = new Array(items.length);
  let malformed = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const json = rewrite(gen.toJson(it));
    const variant = ctx.faults.malformed(acct.def.id, it.day, it.pos);
    parts[i] = variant ? corrupt(json, variant) : json;
    if (variant) malformed++;
  }
  if (malformed) ctx.faults.record(acct.def.id, 'malformed', malformed);
  const body = `{"totalCount":${parts.length},"items":[${parts.join(',')}],"links":${JSON.stringify(links)},"attributes":{"objectType":"Collection"}}`;
  if (cacheKey) ctx.pageCache?.put(cacheKey, body, malformed);
  send(res, 200, body, hdrs);
}

function handleInvoiceList(ctx: SimContext, res: ServerResponse, acct: AccountModel, q: Map<string, string>, hdrs: Record<string, string>): void {
  const size = parseSize(q, 200, 200);
  const o = q.get('offset') ?? '0';
  if (!/^\d+$/.test(o)) throw bad(`The parameter 'offset' must be a non-negative integer; got '${o}'.`);
  const docs = ctx.invoices.documents(acct, dayOf(ctx.clock()));
  const page = docs.slice(+o, +o + size);
  const body = `{"totalCount":${docs.length},"items":[${page.map((d) => ctx.invoices.toJson(d, false)).join(',')}],"links":${JSON.stringify({ self: link(`/invoices?size=${size}&offset=${o}`) })},"attributes":{"objectType":"Collection"}}`;
  send(res, 200, body, hdrs);
}

function findInvoice(ctx: SimContext, acct: AccountModel, id: string): InvoiceDoc {
  const doc = ctx.invoices.find(acct, id, dayOf(ctx.clock()));
  if (!doc) throw notFound(`Invoice '${id}' could not be found.`);
  return doc;
}

function handleInvoiceLineItems(ctx: SimContext, req: IncomingMessage, res: ServerResponse, acct: AccountModel, doc: InvoiceDoc, q: Map<string, string>, hdrs: Record<string, string>): void {
  const provider = q.get('provider');
  if (!provider) throw bad("The parameter 'provider' is required.");
  if (provider.toLowerCase() !== 'onetime') throw bad(`The parameter 'provider' value '${provider}' is not supported by this simulator; use 'onetime'.`);
  const type = (q.get('invoicelineitemtype') ?? '').toLowerCase();
  if (type !== 'usagelineitems' && type !== 'billinglineitems') throw bad("The parameter 'invoicelineitemtype' must be 'usagelineitems' or 'billinglineitems'.");
  const size = parseSize(q, MAX_USAGE_PAGE, MAX_USAGE_PAGE);
  const tok = seek(req, q);
  const today = dayOf(ctx.clock());
  const usageParams = type === 'usagelineitems' ? `&currencycode=${encodeURIComponent(q.get('currencycode') ?? '')}&period=${encodeURIComponent(q.get('period') ?? 'current')}` : '';
  const base = `/invoices/${doc.id}/lineitems?provider=onetime&invoicelineitemtype=${type}${usageParams}&size=${size}`;
  checkRetired(ctx, acct, type === 'billinglineitems' ? 'billed-billing' : 'billed-usage', doc.periodStart);
  if (type === 'billinglineitems') {
    const all = ctx.invoices.billingLineItems(doc, today);
    const scope = `${acct.def.id}|billing|${doc.id}`;
    let offset = 0;
    if (tok !== undefined) {
      const cur = readContinuation(ctx.signer, scope, tok);
      if (!cur || cur.o === undefined) throw bad('The continuation token is invalid or was not issued for this request.');
      offset = cur.o;
    }
    const links: Record<string, Link> = { self: link(base) };
    if (offset + size < all.length) links.next = link(`${base}&seekOperation=Next`, [{ key: 'MS-ContinuationToken', value: makeContinuation(ctx.signer, scope, { o: offset + size }) }]);
    return sendJson(res, 200, collection(all.slice(offset, offset + size), links), hdrs);
  }
  const currency = q.get('currencycode');
  if (!currency) throw bad("The parameter 'currencycode' is required.");
  if (currency.toUpperCase() !== acct.def.currency) throw bad(`The parameter 'currencycode' value '${currency}' does not match the invoice currency '${acct.def.currency}'.`);
  const scope = `${acct.def.id}|billed-usage|${doc.id}`;
  let cursor: { day: number; pos: number } | undefined;
  if (tok !== undefined) {
    const cur = readContinuation(ctx.signer, scope, tok);
    if (!cur || cur.d === undefined || cur.p === undefined) throw bad('The continuation token is invalid or was not issued for this request.');
    cursor = { day: cur.d, pos: cur.p };
  }
  // A credit note carries no usage.
  const page = doc.kind === 'invoice' ? ctx.generators.get(acct.def.id)!.page(doc.periodStart, doc.periodEndExcl, cursor, size) : { items: [], next: null };
  const links: Record<string, Link> = { self: link(base + (tok !== undefined ? '&seekOperation=Next' : '')) };
  if (page.next) links.next = link(`${base}&seekOperation=Next`, [{ key: 'MS-ContinuationToken', value: makeContinuation(ctx.signer, scope, { d: page.next.day, p: page.next.pos }) }]);
  const number = `"invoiceNumber":"${doc.id}"`;
  sendUsagePage(ctx, res, acct, page.items, links, hdrs, (json) => json.replace('"invoiceNumber":""', number));
}

function handleUtilization(ctx: SimContext, req: IncomingMessage, res: ServerResponse, acct: AccountModel, c: Customer, sub: Subscription, q: Map<string, string>, hdrs: Record<string, string>): void {
  const legacy = legacyOf(acct, c);
  if (!legacy || legacy.sub.id !== sub.id) throw bad(`Subscription '${sub.id}' is not a legacy Azure (${LEGACY_OFFER_ID}) subscription; it has no utilization records.`);
  const st = q.get('start_time');
  const et = q.get('end_time');
  if (!st || Number.isNaN(Date.parse(st))) throw bad("The parameter 'start_time' (ISO 8601 date-time) is required.");
  if (!et || Number.isNaN(Date.parse(et))) throw bad("The parameter 'end_time' (ISO 8601 date-time) is required.");
  const granularity = (q.get('granularity') ?? 'daily').toLowerCase();
  if (granularity !== 'daily' && granularity !== 'hourly') throw bad(`The parameter 'granularity' value '${granularity}' is invalid; use 'daily' or 'hourly'.`);
  const details = (q.get('show_details') ?? 'true').toLowerCase();
  if (details !== 'true' && details !== 'false') throw bad("The parameter 'show_details' must be 'true' or 'false'.");
  const size = parseSize(q, 1000, 1000);
  const from = Math.floor(Date.parse(st) / 86_400_000);
  const toExcl = Math.min(Math.ceil(Date.parse(et) / 86_400_000), dayOf(ctx.clock()));
  if (toExcl - from > 366 * 3) throw bad("The range 'start_time'..'end_time' is too long.");
  const tok = seek(req, q);
  const scope = `${acct.def.id}|utilization|${sub.id}|${from}|${toExcl}|${granularity}|${details}`;
  let pos = 0;
  if (tok !== undefined) {
    const cur = readContinuation(ctx.signer, scope, tok);
    if (!cur || cur.p === undefined) throw bad('The continuation token is invalid or was not issued for this request.');
    pos = cur.p;
  }
  const hours = granularity === 'hourly' ? 24 : 1;
  const nRes = legacy.resources.length;
  const end = Math.max(0, toExcl - from) * nRes * hours;
  const items: string[] = [];
  let next: number | null = null;
  for (let p = pos; p < end; p++) {
    const h = p % hours;
    const r = legacy.resources[Math.floor(p / hours) % nRes];
    const day = from + Math.floor(p / hours / nRes);
    const qd = legacyQuantity(acct, r, day);
    if (qd === null) continue;
    if (items.length === size) {
      next = p;
      break;
    }
    const qty = hours === 1 ? qd : new Dec(qd).div(24).toDecimalPlaces(6, Dec.ROUND_HALF_UP).toFixed();
    items.push(utilizationJson(acct, r, day, qty, hours === 1 ? null : h, details === 'true'));
  }
  const base = `/customers/${c.id}/subscriptions/${sub.id}/utilizations/azure?start_time=${encodeURIComponent(st)}&end_time=${encodeURIComponent(et)}&granularity=${granularity}&show_details=${details}&size=${size}`;
  const links: Record<string, Link> = { self: link(base + (tok !== undefined ? '&seekOperation=Next' : '')) };
  if (next !== null) links.next = link(`${base}&seekOperation=Next`, [{ key: 'MS-ContinuationToken', value: makeContinuation(ctx.signer, scope, { p: next }) }]);
  send(res, 200, `{"totalCount":${items.length},"items":[${items.join(',')}],"links":${JSON.stringify(links)},"attributes":{"objectType":"Collection"}}`, hdrs);
}

function handleRateCard(ctx: SimContext, res: ServerResponse, acct: AccountModel, q: Map<string, string>, hdrs: Record<string, string>): void {
  const currency = (q.get('currency') ?? acct.def.currency).toUpperCase();
  if (!RATE_CARD_CURRENCIES.includes(currency)) throw bad(`The parameter 'currency' value '${currency}' is not supported; use one of ${RATE_CARD_CURRENCIES.join(', ')}.`);
  const region = q.get('region');
  if (region !== undefined && !/^[A-Za-z]{2}$/.test(region)) throw bad(`The parameter 'region' value '${region}' is not a market (two-letter country code).`);
  const malformed = malformedMeter(ctx.faults, acct.def.id);
  const broken = rateCardTruth(acct, currency, malformed).malformed.length;
  if (broken) ctx.faults.record(acct.def.id, 'malformed', broken);
  send(res, 200, rateCardJson(acct, currency, 'en-US', malformed), hdrs);
}

function route(ctx: SimContext, req: IncomingMessage, res: ServerResponse, acct: AccountModel, segs: string[], url: URL, hdrs: Record<string, string>, caller: Caller): void {
  const s = segs.map((x) => x.toLowerCase());
  const q = lowerQuery(url);
  if (s[0] !== 'v1') throw notFound(`The requested resource '${url.pathname}' could not be found.`);
  const p = s.slice(1);
  const raw = segs.slice(1);
  if (p[0] === 'customers') {
    if (p.length === 1) return handleCustomers(ctx, req, res, acct, q, hdrs);
    const c = findCustomer(acct, raw[1]);
    if (p.length === 2) return sendJson(res, 200, customerJson(c), hdrs);
    if (p.length === 3 && p[2] === 'usagesummary') {
      requireUser(caller, 'Get customer usage summary', true);
      return sendJson(res, 200, ctx.usage.customerSummary(acct, c), hdrs);
    }
    if (p.length === 3 && p[2] === 'usagebudget') {
      requireUser(caller, 'Get customer spending budget', true);
      return sendJson(res, 200, { amount: ctx.usage.budget(acct, c), attributes: { objectType: 'SpendingBudget' } }, hdrs);
    }
    if (p.length === 4 && p[2] === 'subscriptions' && p[3] === 'usagerecords') {
      requireUser(caller, 'Get subscription usage records', true);
      return sendJson(res, 200, collection(ctx.usage.subscriptionRecords(acct, c), { self: link(`/customers/${c.id}/subscriptions/usagerecords`) }), hdrs);
    }
    if (p[2] === 'subscriptions') {
      const subs = subscriptionsOf(acct, c);
      if (p.length === 3) {
        return sendJson(res, 200, collection(subs.map((x) => subscriptionJson(c, x)), { self: link(`/customers/${c.id}/subscriptions`) }), hdrs);
      }
      const sub = subs.find((x) => x.id === p[3]);
      if (!sub) throw notFound(`Subscription '${raw[3]}' could not be found for customer '${c.id}'.`);
      if (p.length === 4) return sendJson(res, 200, subscriptionJson(c, sub), hdrs);
      if (p.length === 5 && p[4] === 'azureentitlements') {
        if (!sub.isAzurePlan) throw bad(`Subscription '${sub.id}' is not an Azure plan; it has no Azure entitlements.`);
        const items = c.entitlements.map((e) => ({ id: e.id, friendlyName: e.friendlyName, status: e.status, subscriptionId: sub.id, attributes: { objectType: 'AzureEntitlement' } }));
        return sendJson(res, 200, collection(items, { self: link(`/customers/${c.id}/subscriptions/${sub.id}/azureEntitlements`) }), hdrs);
      }
      if (p.length === 6 && p[4] === 'utilizations' && p[5] === 'azure') return handleUtilization(ctx, req, res, acct, c, sub, q, hdrs);
    }
  } else if (p[0] === 'usagesummary' && p.length === 1) {
    requireUser(caller, 'Get partner usage summary', true);
    return sendJson(res, 200, ctx.usage.partnerSummary(acct), hdrs);
  } else if (p[0] === 'ratecards' && p[1] === 'azure' && p.length === 2) {
    return handleRateCard(ctx, res, acct, q, hdrs);
  } else if (p[0] === 'roles') {
    requireUser(caller, 'Get partner roles', false);
    if (p.length === 1) {
      const items = PARTNER_ROLES.map((r) => ({ id: roleId(r.name), name: r.name, attributes: { objectType: 'DirectoryRole' } }));
      return sendJson(res, 200, collection(items, { self: link('/roles') }), hdrs);
    }
    const role = PARTNER_ROLES.find((r) => roleId(r.name) === p[1]);
    if (!role) throw notFound(`Role '${raw[1]}' could not be found.`);
    if (p.length === 3 && p[2] === 'usermembers') {
      const items = partnerUsers(acct)
        .filter((u) => u.role === role.name)
        .map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName, roleId: roleId(role.name), attributes: { objectType: 'UserMember' } }));
      return sendJson(res, 200, collection(items, { self: link(`/roles/${roleId(role.name)}/usermembers`) }), hdrs);
    }
  } else if (p[0] === 'invoices' && p[1] === 'unbilled' && p[2] === 'lineitems' && p.length === 3) {
    return handleUnbilledLineItems(ctx, req, res, acct, q, hdrs);
  } else if (p[0] === 'invoices') {
    const today = dayOf(ctx.clock());
    if (p.length === 1) return handleInvoiceList(ctx, res, acct, q, hdrs);
    if (p.length === 2 && p[1] === 'summary') return sendJson(res, 200, ctx.invoices.summaryJson(acct, today), hdrs);
    if (p.length === 2 && p[1] === 'summaries') {
      return sendJson(res, 200, collection([ctx.invoices.summaryJson(acct, today)], { self: link('/invoices/summaries') }), hdrs);
    }
    const doc = findInvoice(ctx, acct, raw[1]);
    if (p.length === 2) return send(res, 200, ctx.invoices.toJson(doc, true), hdrs);
    if (p.length === 3 && p[2] === 'lineitems') return handleInvoiceLineItems(ctx, req, res, acct, doc, q, hdrs);
  }
  throw notFound(`The requested resource '${url.pathname}' could not be found.`);
}

/**
 * Applies the account's request fault, if one is due. Returns true when the request was answered
 * (or deliberately left hanging); false to serve it normally (possibly after a delay, or truncated).
 */
async function injectFault(ctx: SimContext, res: ServerResponse, acct: AccountModel, hdrs: Record<string, string>, tokenIssuedAt: number): Promise<boolean> {
  // (request faults hit every operation, reads and writes alike)
  let fault = ctx.faults.nextRequestFault(acct.def.id);
  // A token issued moments ago cannot have expired: a client that just refreshed is served.
  if (fault === 'expiredToken' && ctx.wallClock() - tokenIssuedAt < 2_000) fault = null;
  const cfg = ctx.faults.config(acct.def.id);
  if (!fault || !cfg) return false;
  ctx.faults.record(acct.def.id, fault);
  switch (fault) {
    case '429': {
      const after = cfg.retryAfterSeconds;
      send(res, 429, JSON.stringify({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${after} seconds.` }), { ...hdrs, 'Retry-After': String(after) });
      return true;
    }
    case '500':
      throw new PcError(500, PC_CODES.internal, 'An unexpected error occurred (injected fault).');
    case '503':
      throw new PcError(503, PC_CODES.internal, 'The service is temporarily unavailable (injected fault).', { 'Retry-After': String(cfg.retryAfterSeconds) });
    case 'expiredToken':
      throw new PcError(401, PC_CODES.unauthorized, 'Authorization failed: the access token has expired.', { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="token expired"' });
    case 'slow':
      await new Promise((r) => setTimeout(r, cfg.slowMs));
      return false;
    case 'timeout': {
      // Accept the request and never answer; the connection is dropped later.
      const timer = setTimeout(() => res.destroy(), cfg.hangMs);
      res.on('close', () => clearTimeout(timer));
      return true;
    }
    case 'truncated': {
      // Serve the real page but cut it in half, without a Content-Length to betray it.
      const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, string>) => ServerResponse;
      const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
      (res as unknown as { writeHead: unknown }).writeHead = (status: number, headers: Record<string, string> = {}) => {
        const { ['Content-Length']: _dropped, ...rest } = headers;
        return writeHead(status, rest);
      };
      (res as unknown as { end: unknown }).end = (chunk?: Buffer) => end(chunk ? chunk.subarray(0, Math.floor(chunk.length / 2)) : chunk);
      return false;
    }
  }
}

/** `segs` = path segments after "pc". */
export async function handlePc(ctx: SimContext, req: IncomingMessage, res: ServerResponse, segs: string[], url: URL): Promise<void> {
  const hdrs = responseHeaders(ctx, req);
  try {
    const acct = ctx.byId.get(segs[0] ?? '');
    if (!acct) throw notFound(`The requested resource '${url.pathname}' could not be found.`);
    const low = segs.slice(1).map((x) => x.toLowerCase());
    const isBudget = low.length === 4 && low[0] === 'v1' && low[1] === 'customers' && low[3] === 'usagebudget';
    if (req.method !== 'GET' && req.method !== 'HEAD' && !(req.method === 'PATCH' && isBudget)) {
      authenticate(ctx, req, acct);
      throw new PcError(405, PC_CODES.methodNotAllowed, `The method '${req.method}' is not supported by this simulator for '${url.pathname}'.`);
    }
    const caller = authenticate(ctx, req, acct);
    if (await injectFault(ctx, res, acct, hdrs, caller.issuedAt)) return;
    if (req.method === 'PATCH') return await patchBudget(ctx, req, res, acct, segs[3], hdrs, caller);
    route(ctx, req, res, acct, segs.slice(1), url, hdrs, caller);
  } catch (e) {
    if (e instanceof PcError) send(res, e.status, pcErrorBody(e.code, e.message), { ...hdrs, ...e.extraHeaders });
    else throw e;
  }
}

/** PATCH /v1/customers/{id}/usagebudget {"amount": n | null} (§5.6). */
async function patchBudget(ctx: SimContext, req: IncomingMessage, res: ServerResponse, acct: AccountModel, customerId: string, hdrs: Record<string, string>, caller: Caller): Promise<void> {
  const c = findCustomer(acct, customerId);
  requireUser(caller, 'Update customer spending budget', true);
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    throw bad('The request body must be JSON: {"amount": number | null}.');
  }
  const amount = (body as { amount?: unknown } | null)?.amount;
  if (!(amount === null || (typeof amount === 'number' && Number.isFinite(amount) && amount >= 0))) throw bad("The field 'amount' must be a non-negative number or null.");
  ctx.usage.setBudget(acct, c, amount);
  sendJson(res, 200, { amount, attributes: { objectType: 'SpendingBudget' } }, hdrs);
}

export function pcNotFound(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  send(res, 404, pcErrorBody(PC_CODES.notFound, `The requested resource '${url.pathname}' could not be found.`), responseHeaders(ctx, req));
}

export function pcInternalError(ctx: SimContext, req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  send(res, 500, pcErrorBody(PC_CODES.internal, `Internal simulator error: ${err instanceof Error ? err.message : String(err)}`), responseHeaders(ctx, req));
}
