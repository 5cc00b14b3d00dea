/** Test helpers (not part of the build output's API; compiled only for specs). */
import DecimalJs from 'decimal.js';
import type { AccountInfo } from '../control';

export const D = DecimalJs.clone({ precision: 60 });
export type D = InstanceType<typeof D>;

export interface Resp {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function http(url: string, init: RequestInit = {}): Promise<Resp> {
  const r = await fetch(url, init);
  const text = await r.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: r.status, headers: r.headers, text, json };
}

export async function tokenRequest(tokenUrl: string, form: Record<string, string>): Promise<Resp> {
  return http(tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
}

export async function getToken(a: AccountInfo): Promise<string> {
  const r = await tokenRequest(a.tokenUrl, { grant_type: 'client_credentials', client_id: a.appId, client_secret: a.secret, resource: a.resource });
  if (r.status !== 200) throw new Error(`token ${a.id}: ${r.status} ${r.text}`);
  return r.json.access_token as string;
}

export async function pcGet(url: string, token: string | null, headers: Record<string, string> = {}): Promise<Resp> {
  return http(url, { headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } });
}

/** Raw number tokens of a field, exactly as written in the JSON text. */
export function rawNumbers(text: string, field: string): string[] {
  const re = new RegExp(`"${field}":(-?[0-9][0-9.eE+-]*)`, 'g');
  return [...text.matchAll(re)].map((m) => m[1]);
}

export interface PagedUsage {
  items: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  billingRaw: string[];
  pricingRaw: string[];
  pages: number;
  /** Each page's body as served. */
  bodies: string[];
}

/** Follows links.next through every page of unbilled daily rated usage, checking the envelope. */
export async function fetchAllUsage(a: AccountInfo, token: string, period: 'current' | 'previous', size: number): Promise<PagedUsage> {
  const first = `${a.baseUrl}/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=${a.currency.toLowerCase()}&period=${period}&size=${size}`;
  let url = first;
  let headers: Record<string, string> = {};
  const out: PagedUsage = { items: [], billingRaw: [], pricingRaw: [], pages: 0, bodies: [] };
  for (;;) {
    const r = await pcGet(url, token, headers);
    if (r.status !== 200) throw new Error(`usage ${a.id} ${period}: ${r.status} ${r.text}`);
    out.pages++;
    out.bodies.push(r.text);
    const body = r.json;
    if (body.attributes?.objectType !== 'Collection') throw new Error('envelope objectType');
    if (body.totalCount !== body.items.length) throw new Error(`totalCount ${body.totalCount} != ${body.items.length}`);
    if (body.items.length > size) throw new Error('page larger than size');
    out.items.push(...body.items);
    out.billingRaw.push(...rawNumbers(r.text, 'billingPreTaxTotal'));
    out.pricingRaw.push(...rawNumbers(r.text, 'pricingPreTaxTotal'));
    const next = body.links?.next;
    if (!next) break;
    if (body.items.length !== size) throw new Error('non-final page shorter than size');
    if (!String(next.uri).startsWith('/invoices/unbilled/lineitems?') || !String(next.uri).endsWith('&seekOperation=Next')) throw new Error(`next uri ${next.uri}`);
    url = `${a.baseUrl}/v1${next.uri}`;
    headers = Object.fromEntries(next.headers.map((h: { key: string; value: string }) => [h.key, h.value]));
    if (!headers['MS-ContinuationToken']) throw new Error('no continuation token');
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function upsertKey(i: any): string {
  return [i.entitlementId, i.usageDate, i.meterId, i.resourceUri, i.chargeType, i.unitPrice].join('|');
}
