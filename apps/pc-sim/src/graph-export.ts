/**
 * The export side of the simulated Graph billing export (partner-center-api.md §5.5): operation
 * ids, what an export contains, its progress and its manifest.
 *
 * Operation ids are stateless (signed like continuation tokens, tokens.ts): the id carries the
 * account, the request, when it was created (simulated and wall clock) and the delay, so a restarted
 * simulator with the same seed still answers it. The blob directory carries the same facts in
 * Azure-like folder names, so blob reads are stateless too. What the export holds is fixed by the
 * request and the creation time: billed = the invoice's month, unbilled = the period's days before
 * the creation day — the very items v1 serves (usage.ts, invoices.ts), never new data.
 */
import type { SimContext } from './context';
import { dayOf, monthKey, monthStart, nextMonthStart } from './dates';
import { guidFrom, sha256Hex, strHash32 } from './hash';
import type { AttributeSet } from './graph-lines';
import type { InvoiceDoc } from './invoices';
import type { AccountModel } from './profile';
import type { Cursor } from './usage';

export type ExportKind = 'ub' | 'uu' | 'rb' | 'ru';

/** Path below `{graphBase}/reports/partners/billing/` of each export. */
export const EXPORT_PATHS: Record<ExportKind, string> = {
  ub: 'usage/billed/export',
  uu: 'usage/unbilled/export',
  rb: 'reconciliation/billed/export',
  ru: 'reconciliation/unbilled/export',
};

const CONTAINERS: Record<ExportKind, string> = {
  ub: 'billedusagefastpath',
  uu: 'unbilledusagefastpath',
  rb: 'billedreconfastpath',
  ru: 'unbilledreconfastpath',
};

/** What an operation id stands for. */
export interface OperationClaims {
  a: string;
  k: ExportKind;
  /** billed: invoice id */
  i?: string;
  /** unbilled: first day of the period */
  p?: number;
  s: AttributeSet;
  /** created: simulated clock (ms) */
  c: number;
  /** created: wall clock (ms) */
  w: number;
  /** delay (s) at creation */
  d: number;
  /** exportFailed fault drawn for this export */
  x?: 1;
  /** distinguishes exports made in the same millisecond */
  n: number;
}

let nonce = 0;

export function makeOperationId(ctx: SimContext, c: Omit<OperationClaims, 'n'>): string {
  const payload = Buffer.from(JSON.stringify({ ...c, n: nonce++ })).toString('base64url');
  return `${payload}.${ctx.signer.sign('graph-op', payload).slice(0, 27)}`;
}

export function readOperationId(ctx: SimContext, account: string, id: string): OperationClaims | null {
  const dot = id.indexOf('.');
  if (dot <= 0) return null;
  const payload = id.slice(0, dot);
  if (ctx.signer.sign('graph-op', payload).slice(0, 27) !== id.slice(dot + 1)) return null;
  try {
    const c = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as OperationClaims;
    return c.a === account ? c : null;
  } catch {
    return null;
  }
}

/** The data an export holds: account, kind, invoice ("" unbilled) and days [from, toExcl). */
export interface ExportData {
  acct: AccountModel;
  kind: ExportKind;
  set: AttributeSet;
  invoiceId: string;
  doc?: InvoiceDoc;
  from: number;
  toExcl: number;
  /** Simulated creation time (ms): unbilled folders carry it (yyyyMMddHHmm). */
  created: number;
}

const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace(/[-T:]/g, '');

/** Resolves what an operation exports; null = no such invoice (→ failed 5000). */
export function exportData(ctx: SimContext, acct: AccountModel, c: OperationClaims): ExportData | null {
  if (c.k === 'ub' || c.k === 'rb') {
    const doc = ctx.invoices.find(acct, c.i ?? '', dayOf(ctx.clock()));
    if (!doc) return null;
    return { acct, kind: c.k, set: c.s, invoiceId: doc.id, doc, from: doc.periodStart, toExcl: doc.periodEndExcl, created: c.c };
  }
  const from = c.p ?? 0;
  return { acct, kind: c.k, set: c.s, invoiceId: '', from, toExcl: Math.max(from, Math.min(nextMonthStart(from), dayOf(new Date(c.c)))), created: c.c };
}

/** `{container}/{folders…}` below `/blob/{A}/` (Azure-like, as §5.5's real root directories). */
export function directoryOf(d: ExportData): string {
  const t = `PartnerTenantId=${d.acct.tenantId}`;
  const month = `BillingMonth=${monthKey(d.from)}`;
  const tail = `Fragment=${d.set}/PartitionType=default`;
  if (d.kind === 'ub' || d.kind === 'rb') return `${CONTAINERS[d.kind]}/v1/${t}/${month}/InvoiceId=${d.invoiceId}/${tail}`;
  return `${CONTAINERS[d.kind]}/v1/${stamp(d.created)}/${t}/${month}/Currency=${d.acct.def.currency}/${tail}`;
}

/** The inverse of directoryOf (segments after the account); null when it names no export. */
export function parseDirectory(ctx: SimContext, acct: AccountModel, segs: string[]): ExportData | null {
  const kind = (Object.keys(CONTAINERS) as ExportKind[]).find((k) => CONTAINERS[k] === segs[0]);
  if (!kind || segs[1] !== 'v1') return null;
  const kv = new Map<string, string>();
  for (const s of segs.slice(2)) {
    const eq = s.indexOf('=');
    if (eq > 0) kv.set(s.slice(0, eq), s.slice(eq + 1));
  }
  const set = kv.get('Fragment');
  if ((set !== 'full' && set !== 'basic') || kv.get('PartnerTenantId') !== acct.tenantId) return null;
  let d: ExportData | null;
  if (kind === 'ub' || kind === 'rb') {
    d = exportData(ctx, acct, { a: acct.def.id, k: kind, i: kv.get('InvoiceId'), s: set, c: 0, w: 0, d: 0, n: 0 });
  } else {
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(segs[2] ?? '');
    const bm = /^(\d{4})(\d{2})$/.exec(kv.get('BillingMonth') ?? '');
    if (!m || !bm || kv.get('Currency') !== acct.def.currency) return null;
    const created = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    d = exportData(ctx, acct, { a: acct.def.id, k: kind, p: Date.UTC(+bm[1], +bm[2] - 1, 1) / 86_400_000, s: set, c: created, w: 0, d: 0, n: 0 });
  }
  return d && directoryOf(d) === segs.join('/') ? d : null;
}

/** Blob layout: line count and (usage) the generator cursor where each blob starts. */
export interface Layout {
  lines: number;
  starts: Cursor[];
}

/** Layouts per (account, kind, days, invoice, linesPerBlob): one generator walk each, kept small. */
export class LayoutCache {
  private readonly map = new Map<string, Layout>();

  get(ctx: SimContext, d: ExportData, linesPerBlob: number): Layout {
    const usage = d.kind === 'ub' || d.kind === 'uu';
    const key = `${d.acct.def.id}|${usage ? 'u' : d.kind}|${d.from}|${d.toExcl}|${d.invoiceId}|${linesPerBlob}`;
    let l = this.map.get(key);
    if (l) return l;
    if (usage) {
      // A credit note carries no usage (as v1).
      const starts: Cursor[] = [];
      let lines = 0;
      if (!d.doc || d.doc.kind === 'invoice') {
        for (const it of ctx.generators.get(d.acct.def.id)!.items(d.from, d.toExcl)) {
          if (lines % linesPerBlob === 0) starts.push({ day: it.day, pos: it.pos });
          lines++;
        }
      }
      l = { lines, starts };
    } else {
      l = { lines: reconItems(ctx, d).length, starts: [] };
    }
    if (this.map.size >= 64) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, l);
    return l;
  }
}

/** The v1 billing line items an export of reconciliation holds. */
export function reconItems(ctx: SimContext, d: ExportData): Record<string, unknown>[] {
  const today = dayOf(ctx.clock());
  const items = d.doc ? ctx.invoices.billingLineItems(d.doc, today) : ctx.invoices.unbilledBillingLineItems(d.acct, d.from, d.toExcl);
  return items as Record<string, unknown>[];
}

/** Blob name `part-NNNNN-{guid}.c000.json.gz`; the guid's last group carries linesPerBlob (hex). */
export function blobName(dir: string, index: number, linesPerBlob: number): string {
  const h = sha256Hex(`blob|${dir}`);
  return `part-${String(index).padStart(5, '0')}-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${linesPerBlob.toString(16).padStart(12, '0')}.c000.json.gz`;
}

export function parseBlobName(dir: string, name: string): { index: number; linesPerBlob: number } | null {
  const m = /^part-(\d{5})-[0-9a-f-]{23}-([0-9a-f]{12})\.c000\.json\.gz$/.exec(name);
  if (!m) return null;
  const index = Number(m[1]);
  const linesPerBlob = parseInt(m[2], 16);
  if (!(linesPerBlob > 0) || blobName(dir, index, linesPerBlob) !== name) return null;
  return { index, linesPerBlob };
}

export const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** The manifest (`resourceLocation`) of a succeeded export, with a freshly minted SAS. */
export function manifestJson(ctx: SimContext, opId: string, d: ExportData, layout: Layout, linesPerBlob: number, completed: number, sasToken: string): Record<string, unknown> {
  const dir = directoryOf(d);
  const count = Math.ceil(layout.lines / linesPerBlob);
  const malformed = ctx.faults.config(d.acct.def.id);
  return {
    id: guidFrom(`manifest|${opId}`),
    createdDateTime: isoSeconds(completed),
    schemaVersion: '2',
    dataFormat: 'compressedJSON',
    partitionType: 'default',
    // Changes when the data does (more days, another split, other malformed lines).
    eTag: String(strHash32(`${dir}|${layout.lines}|${linesPerBlob}|${malformed?.kinds.includes('malformed') ? malformed.rate : 0}`)),
    partnerTenantId: d.acct.tenantId,
    rootDirectory: `${ctx.publicUrl}/blob/${d.acct.def.id}/${dir}`,
    sasToken,
    blobCount: count,
    blobs: Array.from({ length: count }, (_, i) => ({ name: blobName(dir, i, linesPerBlob), partitionValue: 'default' })),
  };
}

/** The unbilled period's first day for `billingPeriod` at simulated day `today`. */
export function unbilledPeriodStart(today: number, period: 'current' | 'last'): number {
  const cur = monthStart(today);
  return period === 'current' ? cur : monthStart(cur - 1);
}
