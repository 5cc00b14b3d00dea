import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INestApplication } from '@nestjs/common';
import type { ApiError, TimeSeriesResponse } from '@meridian/contracts';
import { normalizeDecimal, sumDecimals, toDecimal } from '@meridian/finops';
import { startSimulator } from '@meridian/pc-sim';
import { apiConfigFromEnv } from '../api.config';
import { createApiApp } from '../bootstrap';
import { ApiSession } from '../testing/api-session';

const NOW = new Date('2026-11-25T12:00:00Z');
// October: a closed, invoiced month (billed lines with invoice ids) of every account.
const WINDOW = 'from=2026-10-01&to=2026-10-31';
const PASSWORD = 'correct horse battery staple';

/*
 * FOCUS conformance, written from the specification's column requirements (Cost and Usage dataset,
 * FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec specification/datasets/cost_and_usage/columns/*.md),
 * independently of the export's own column table: what a FOCUS validator would check.
 */
/** Feature level Mandatory: MUST be present. [column, data type, allows nulls]. */
const MANDATORY: [string, 'String' | 'Decimal' | 'DateTime', boolean][] = [
  ['BilledCost', 'Decimal', false],
  ['BillingAccountId', 'String', false],
  ['BillingAccountName', 'String', true],
  ['BillingCurrency', 'String', false],
  ['BillingPeriodEnd', 'DateTime', false],
  ['BillingPeriodStart', 'DateTime', false],
  ['ChargeCategory', 'String', false],
  ['ChargeClass', 'String', true],
  ['ChargeDescription', 'String', true],
  ['ChargePeriodEnd', 'DateTime', false],
  ['ChargePeriodStart', 'DateTime', false],
  ['ContractedCost', 'Decimal', false],
  ['EffectiveCost', 'Decimal', false],
  ['HostProviderName', 'String', true],
  ['InvoiceIssuerName', 'String', false],
  ['ListCost', 'Decimal', false],
  ['PricingQuantity', 'Decimal', true],
  ['PricingUnit', 'String', true],
  ['ServiceCategory', 'String', false],
  ['ServiceName', 'String', false],
  ['ServiceProviderName', 'String', false],
];
/** Conditional / Recommended columns Meridian has data for, with the spec's types and nullability. */
const CONDITIONAL: [string, 'String' | 'Decimal' | 'DateTime', boolean][] = [
  ['BillingAccountType', 'String', false],
  ['ChargeFrequency', 'String', false],
  ['ConsumedQuantity', 'Decimal', true],
  ['ConsumedUnit', 'String', true],
  ['InvoiceDetailId', 'String', true],
  ['InvoiceId', 'String', true],
  ['ListUnitPrice', 'Decimal', true],
  ['PricingCategory', 'String', true],
  ['PricingCurrency', 'String', false],
  ['PricingCurrencyEffectiveCost', 'Decimal', false],
  ['PricingCurrencyListUnitPrice', 'Decimal', true],
  ['RegionId', 'String', true],
  ['RegionName', 'String', true],
  ['ResourceId', 'String', true],
  ['ResourceName', 'String', true],
  ['ResourceType', 'String', true],
  ['SkuId', 'String', true],
  ['SkuMeter', 'String', true],
  ['SkuPriceDetails', 'String', true],
  ['SkuPriceId', 'String', true],
  ['SubAccountId', 'String', true],
  ['SubAccountName', 'String', true],
  ['SubAccountType', 'String', true],
  ['Tags', 'String', true],
];
const ALLOWED: Record<string, string[]> = {
  ChargeCategory: ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'],
  ChargeClass: ['Correction'],
  ChargeFrequency: ['One-Time', 'Recurring', 'Usage-Based'],
  PricingCategory: ['Standard', 'Dynamic', 'Committed', 'Other'],
  ServiceCategory: [
    'AI and Machine Learning', 'Analytics', 'Business Applications', 'Compute', 'Databases', 'Developer Tools', 'Multicloud', 'Identity', 'Integration',
    'Internet of Things', 'Management and Governance', 'Media', 'Migration', 'Mobile', 'Networking', 'Security', 'Storage', 'Web', 'Other',
  ],
};
/** NumericFormat: plain decimal text, no exponent, no thousands separator. */
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** Date/Time format: ISO 8601, UTC ("Z"). */
const DATETIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;
/** Currency code format: ISO 4217 alphabetic. */
const CURRENCY = /^[A-Z]{3}$/;

/** RFC 4180 CSV (quoted cells may hold commas, quotes, newlines). An empty cell is null. */
function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let cell = '';
  let quoted = false;
  let wasQuoted = false;
  const endCell = () => {
    row.push(cell === '' && !wasQuoted ? null : cell);
    cell = '';
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') {
      quoted = true;
      wasQuoted = true;
    } else if (ch === ',') endCell();
    else if (ch === '\n') {
      endCell();
      rows.push(row);
      row = [];
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

type FocusTable = { header: string[]; rows: Record<string, string | null>[] };

function tableOf(csv: string): FocusTable {
  const [header, ...lines] = parseCsv(csv);
  return { header: header as string[], rows: lines.map((l) => Object.fromEntries(header!.map((h, i) => [h as string, l[i] ?? null]))) };
}

/**
 * A GET retried when the connection was reset: on a loaded machine the server may close an idle
 * keep-alive socket just as the client reuses it (not a failure of what is tested).
 */
async function idempotent<T>(get: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await get();
    } catch (err) {
      if (i >= attempts || !/ECONNRESET|other side closed|fetch failed/.test(`${String(err)} ${String((err as { cause?: unknown }).cause)}`)) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const linesOf = (rows: Record<string, string | null>[]) => rows.map((r) => JSON.stringify(r));

describe('FOCUS export: conformance, exact totals, scope, Parquet read back', () => {
  const savedEnv = { ...process.env };
  let sim: { url: string; close(): Promise<void> };
  let app: INestApplication;
  let base: string;
  let dataDir: string;
  let owner: ApiSession;
  let csv: string;
  let focus: FocusTable;

  const download = async (session: ApiSession, query: string) => {
    const res = await idempotent(() => fetch(`${base}/api/exports/focus?${query}`, { headers: session.headers() }));
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42, now: NOW, graphDelaySeconds: 0 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-focus-'));
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'MERIDIAN_SECRET_KEY']) delete process.env[k];
    Object.assign(process.env, { MERIDIAN_DATA_DIR: dataDir, MERIDIAN_NOW: NOW.toISOString(), MERIDIAN_OWNER_EMAIL: 'owner@example.test', MERIDIAN_OWNER_PASSWORD: PASSWORD });
    app = await createApiApp({ ...apiConfigFromEnv(), port: 0, host: '127.0.0.1', demoSimUrl: sim.url, webDist: path.join(dataDir, 'no-web') });
    app.useLogger(false);
    await app.listen(0, '127.0.0.1');
    // The test parses whole exports synchronously for seconds: the server must not close the pooled
    // keep-alive connections meanwhile (the client would reuse one as it closes: ECONNRESET).
    app.getHttpServer().keepAliveTimeout = 120_000;
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    owner = await ApiSession.login(base, 'owner@example.test', PASSWORD);
    await idempotent(() => owner.waitForDemoSync(), 20);
    const t0 = Date.now();
    const res = await download(owner, WINDOW);
    expect(res.status).toBe(200);
    csv = res.bytes.toString('utf8');
    focus = tableOf(csv);
    console.log(`FOCUS CSV export: ${focus.rows.length} rows, ${(res.bytes.length / 1e6).toFixed(1)} MB in ${Date.now() - t0} ms`);
  }, 480_000);

  afterAll(async () => {
    await app?.close();
    await sim?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.env = savedEnv;
  });

  it('has every mandatory column, then the conditional ones, then only x_ custom columns', () => {
    expect(focus.rows.length).toBeGreaterThan(10_000);
    for (const [name] of [...MANDATORY, ...CONDITIONAL]) expect(focus.header).toContain(name);
    const firstCustom = focus.header.findIndex((h) => h.startsWith('x_'));
    const spec = new Set([...MANDATORY, ...CONDITIONAL].map(([n]) => n));
    // FOCUS columns first, custom columns after, and every non-FOCUS column prefixed x_.
    expect(focus.header.slice(0, firstCustom).every((h) => spec.has(h))).toBe(true);
    expect(focus.header.slice(firstCustom).every((h) => h.startsWith('x_'))).toBe(true);
    for (const x of ['x_Cloud', 'x_PartnerTenantId', 'x_CustomerId', 'x_EntitlementId', 'x_CreditType', 'x_PartnerEarnedCreditRate', 'x_Source']) expect(focus.header).toContain(x);
  });

  it('gives every cell the type, nullability and allowed values the specification requires', () => {
    const problems: string[] = [];
    const bad = (i: number, msg: string) => problems.length < 20 && problems.push(`row ${i + 1}: ${msg}`);
    focus.rows.forEach((r, i) => {
      for (const [name, type, nullable] of [...MANDATORY, ...CONDITIONAL]) {
        const v = r[name];
        if (v === null) {
          if (!nullable) bad(i, `${name} is null`);
          continue;
        }
        if (type === 'Decimal' && !DECIMAL.test(v)) bad(i, `${name} not a decimal: ${v}`);
        if (type === 'DateTime' && !DATETIME.test(v)) bad(i, `${name} not ISO 8601 UTC: ${v}`);
        if (ALLOWED[name] && !ALLOWED[name].includes(v)) bad(i, `${name} not an allowed value: ${v}`);
      }
      for (const c of ['BillingCurrency', 'PricingCurrency']) if (r[c] !== null && !CURRENCY.test(r[c]!)) bad(i, `${c} not ISO 4217: ${r[c]}`);
      // Charge period: [start, end), inside the billing period [start, end).
      if (!(r.ChargePeriodStart! < r.ChargePeriodEnd!)) bad(i, 'ChargePeriodEnd not after ChargePeriodStart');
      if (!(r.BillingPeriodStart! <= r.ChargePeriodStart! && r.ChargePeriodStart! < r.BillingPeriodEnd!)) bad(i, 'charge period outside its billing period');
      // Usage that is not a correction: quantities, units and the pricing category are not null.
      if (r.ChargeCategory === 'Usage' && r.ChargeClass !== 'Correction') {
        for (const c of ['ConsumedQuantity', 'ConsumedUnit', 'PricingQuantity', 'PricingUnit', 'PricingCategory', 'SkuId', 'SkuPriceId']) if (r[c] === null) bad(i, `${c} null on usage`);
      }
      if (r.ChargeCategory === 'Tax') for (const c of ['PricingCategory', 'PricingQuantity', 'PricingUnit']) if (r[c] !== null) bad(i, `${c} not null on tax`);
      // PricingQuantity and PricingCategory are null when SkuPriceId is.
      if (r.SkuPriceId === null && (r.PricingQuantity !== null || r.PricingCategory !== null)) bad(i, 'pricing columns without SkuPriceId');
      // ListCost = ListUnitPrice × PricingQuantity when both are given (exactly).
      if (r.ListUnitPrice !== null && r.PricingQuantity !== null && !toDecimal(r.ListUnitPrice).times(toDecimal(r.PricingQuantity)).equals(toDecimal(r.ListCost!))) {
        bad(i, `ListCost ${r.ListCost} ≠ ${r.ListUnitPrice} × ${r.PricingQuantity}`);
      }
      // BillingAccountType and SubAccountType follow their ids; InvoiceDetailId follows InvoiceId.
      if ((r.BillingAccountType === null) !== (r.BillingAccountId === null)) bad(i, 'BillingAccountType vs BillingAccountId');
      if ((r.SubAccountType === null) !== (r.SubAccountId === null)) bad(i, 'SubAccountType vs SubAccountId');
      if ((r.InvoiceDetailId === null) !== (r.InvoiceId === null)) bad(i, 'InvoiceDetailId vs InvoiceId');
      // Key-value format: Tags is a JSON object.
      if (r.Tags !== null) {
        const tags = JSON.parse(r.Tags) as unknown;
        if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) bad(i, `Tags not a JSON object: ${r.Tags}`);
      }
      if (!['billed', 'unbilled'].includes(r.x_Source!)) bad(i, `x_Source ${r.x_Source} (estimates are left out unless asked)`);
    });
    expect(problems).toEqual([]);
    // InvoiceDetailId identifies one record within its invoice.
    const details = focus.rows.filter((r) => r.InvoiceId !== null).map((r) => `${r.InvoiceId}|${r.InvoiceDetailId}`);
    expect(details.length).toBeGreaterThan(0);
    expect(new Set(details).size).toBe(details.length);
  });

  it("sums BilledCost per account and month to exactly Meridian's own billed totals, sandbox left out unless asked", async () => {
    const { body } = await owner.get<TimeSeriesResponse>(`/api/costs/timeseries?granularity=month&groupBy=account&${WINDOW}`);
    const expected = Object.fromEntries(body.points.map((p) => [`${p.key}|${p.period}|${p.currency}`, normalizeDecimal(p.amount)]));
    const groups = new Map<string, string[]>();
    for (const r of focus.rows) {
      const key = `${r.BillingAccountId}|${r.ChargePeriodStart!.slice(0, 7)}|${r.BillingCurrency}`;
      groups.set(key, [...(groups.get(key) ?? []), r.BilledCost!]);
    }
    const actual = Object.fromEntries([...groups].map(([k, v]) => [k, sumDecimals(v)]));
    expect(actual).toEqual(expected);
    expect(Object.keys(actual).length).toBe(5);
    expect(focus.rows.some((r) => r.BillingAccountId === 'global-sandbox')).toBe(false);
    const withSandbox = tableOf((await download(owner, `${WINDOW}&includeSandbox=true&accountIds=global-sandbox`)).bytes.toString('utf8'));
    expect(withSandbox.rows.length).toBeGreaterThan(0);
    expect(new Set(withSandbox.rows.map((r) => r.BillingAccountId))).toEqual(new Set(['global-sandbox']));
  });

  it("holds only a viewer's granted accounts", async () => {
    expect((await owner.request('POST', '/api/users', { email: 'viewer@example.test', displayName: 'Viewer', password: PASSWORD, grants: [{ accountId: 'eu', role: 'viewer' }] })).status).toBe(201);
    const viewer = await ApiSession.login(base, 'viewer@example.test', PASSWORD);
    const mine = tableOf((await download(viewer, `${WINDOW}&includeSandbox=true`)).bytes.toString('utf8'));
    expect(mine.rows.length).toBeGreaterThan(0);
    expect(new Set(mine.rows.map((r) => r.BillingAccountId))).toEqual(new Set(['eu']));
    expect(linesOf(mine.rows)).toEqual(linesOf(focus.rows.filter((r) => r.BillingAccountId === 'eu')));
    // Asking for another account gives nothing of it.
    expect(tableOf((await download(viewer, `${WINDOW}&accountIds=china`)).bytes.toString('utf8')).rows).toEqual([]);
  }, 240_000);

  it('writes Parquet that an independent reader (DuckDB) reads back to the same values as the CSV, with the FOCUS version in its metadata', async () => {
    const t0 = Date.now();
    const res = await download(owner, `${WINDOW}&format=parquet`);
    const expected = focus.rows;
    expect(res.status).toBe(200);
    console.log(`FOCUS Parquet export: ${(res.bytes.length / 1e6).toFixed(1)} MB in ${Date.now() - t0} ms`);
    expect(res.headers.get('content-type')).toMatch(/parquet/);
    expect(res.headers.get('x-focus-version')).toBe('1.4');
    const file = path.join(dataDir, 'focus.parquet');
    fs.writeFileSync(file, res.bytes);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
    const conn = await db.connect();
    const columns = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjects() as { column_name: string; column_type: string; null: string }[];
    expect(columns.map((c) => c.column_name)).toEqual(focus.header);
    const dateTimes = new Set([...MANDATORY, ...CONDITIONAL].filter(([, t]) => t === 'DateTime').map(([n]) => n).concat('x_PricingToBillingExchangeRateDate'));
    for (const c of columns) expect({ c: c.column_name, t: c.column_type }).toEqual({ c: c.column_name, t: dateTimes.has(c.column_name) ? 'TIMESTAMP WITH TIME ZONE' : 'VARCHAR' });
    const select = focus.header.map((h) => (dateTimes.has(h) ? `epoch_ms("${h}") AS "${h}"` : `"${h}"`)).join(', ');
    const t1 = Date.now();
    const read = (await conn.runAndReadAll(`SELECT ${select} FROM read_parquet('${file}')`)).getRowObjects() as Record<string, unknown>[];
    const asText = read.map((r) =>
      Object.fromEntries(focus.header.map((h) => [h, r[h] === null ? null : dateTimes.has(h) ? new Date(Number(r[h])).toISOString().replace('.000Z', 'Z') : String(r[h])])),
    );
    console.log(`DuckDB read back in ${Date.now() - t1} ms`);
    expect(asText.length).toBe(expected.length);
    // One text line per row (JSON of the cells): a cheap exact comparison of every value.
    expect(linesOf(asText)).toEqual(linesOf(expected));
    const meta = (await conn.runAndReadAll(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${file}')`)).getRowObjects() as { k: string; v: string }[];
    expect(meta.find((m) => m.k === 'FocusVersion')?.v).toBe('1.4');
    const focusMeta = JSON.parse(meta.find((m) => m.k === 'focus_metadata')!.v) as { Schemas: { FocusVersion: string; ColumnDefinition: { ColumnName: string }[] }[] };
    expect(focusMeta.Schemas[0].FocusVersion).toBe('1.4');
    expect(focusMeta.Schemas[0].ColumnDefinition.map((c) => c.ColumnName)).toEqual(focus.header);
    // Several row groups: written group by group, never the whole file at once.
    const groups = (await conn.runAndReadAll(`SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('${file}')`)).getRowObjects() as { n: bigint }[];
    expect(expected.length).toBeGreaterThan(10_000);
    expect(Number(groups[0].n)).toBe(Math.ceil(expected.length / 10_000));
    conn.closeSync();
  }, 240_000);

  it('is documented in OpenAPI, refuses bad input with field-level messages and audits each export', async () => {
    const doc = await owner.get<{ paths: Record<string, { get?: { summary: string; parameters: { name: string }[] } }> }>('/api/openapi.json');
    expect(doc.body.paths['/api/exports/focus'].get?.summary).toMatch(/FOCUS 1\.4/);
    expect(doc.body.paths['/api/exports/focus'].get?.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['from', 'to', 'format', 'accountIds', 'includeSandbox', 'service']));
    const bad = await owner.get<ApiError>(`/api/exports/focus?${WINDOW}&format=xlsx&planet=mars`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues!.map((i) => i.field).sort()).toEqual(['format', 'planet']);
    const audit = await owner.get<{ items: { action: string; details: Record<string, unknown> }[] }>('/api/audit');
    const focusExports = audit.body.items.filter((a) => a.action === 'export' && a.details.kind === 'focus');
    expect(focusExports.length).toBeGreaterThanOrEqual(3);
    expect(focusExports.map((a) => a.details.format)).toEqual(expect.arrayContaining(['csv', 'parquet']));
    expect(focusExports.some((a) => a.details.format === 'csv' && a.details.accountIds === null && a.details.rows === focus.rows.length)).toBe(true);
  });
});
