/** Test helpers for the Graph billing export (compiled only for specs). */
import { gunzipSync } from 'node:zlib';
import type { AccountInfo } from '../control';
import { http, tokenRequest, type Resp } from './helpers';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export async function graphToken(a: AccountInfo): Promise<string> {
  const r = await tokenRequest(a.graphTokenUrl!, { grant_type: 'client_credentials', client_id: a.appId, client_secret: a.secret, scope: GRAPH_SCOPE });
  if (r.status !== 200) throw new Error(`graph token ${a.id}: ${r.status} ${r.text}`);
  return r.json.access_token as string;
}

export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

export const gpost = (url: string, token: string, body: unknown): Promise<Resp> =>
  http(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

export const gget = (url: string, token: string): Promise<Resp> => http(url, { headers: { Authorization: `Bearer ${token}` } });

export type ExportPath = 'usage/billed/export' | 'usage/unbilled/export' | 'reconciliation/billed/export' | 'reconciliation/unbilled/export';

/** POST an export; returns the operation URL (Location). */
export async function startExport(a: AccountInfo, token: string, path: ExportPath, body: unknown): Promise<string> {
  const r = await gpost(`${a.graphBaseUrl}/reports/partners/billing/${path}`, token, body);
  if (r.status !== 202) throw new Error(`export ${path}: ${r.status} ${r.text}`);
  return r.headers.get('location')!;
}

/** Polls an operation, moving the simulated clock by `advance` between polls, until it is done. */
export async function waitDone(simUrl: string, opUrl: string, token: string, advance = 'PT1M'): Promise<Resp> {
  for (let i = 0; i < 50; i++) {
    const r = await gget(opUrl, token);
    if (r.status !== 200) throw new Error(`poll: ${r.status} ${r.text}`);
    if (r.json.status === 'succeeded' || r.json.status === 'failed') return r;
    await http(`${simUrl}/_sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance }) });
  }
  throw new Error('operation never finished');
}

export interface Manifest {
  rootDirectory: string;
  sasToken: string;
  blobCount: number;
  blobs: { name: string }[];
  [k: string]: unknown;
}

export const blobUrl = (m: Manifest, i: number): string => `${m.rootDirectory}/${m.blobs[i].name}?${m.sasToken}`;

/** Downloads one blob and returns its lines (text, as written). */
export async function blobLines(url: string): Promise<{ resp: Response; raw: Buffer; lines: string[] }> {
  const resp = await fetch(url);
  const raw = Buffer.from(await resp.arrayBuffer());
  if (resp.status !== 200) throw new Error(`blob: ${resp.status} ${raw.toString('utf8')}`);
  const lines = gunzipSync(raw).toString('utf8').split('\n').filter((l) => l.length > 0);
  return { resp, raw, lines };
}

/** Every line of an export's blobs. */
export async function allLines(m: Manifest): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < m.blobCount; i++) out.push(...(await blobLines(blobUrl(m, i))).lines);
  return out;
}
