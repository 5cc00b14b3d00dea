import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulator } from '@meridian/pc-sim';
import { sumDecimals } from '@meridian/finops';
import { AccessScope, dataDirFromEnv, SecretBox, Store, storeConfigFromEnv } from '@meridian/store';
import { connectSimulatorAccounts, SimulatorAccount } from '@meridian/sync';
import { SIM_NOW, expectedServiceRegion, groundTruth, storedBySource, storedServiceRegion } from '../testing/ground-truth';
import { buildCli } from './meridian';

describe('meridian CLI', () => {
  const savedEnv = { ...process.env };
  let sim: { url: string; close(): Promise<void> };
  let accounts: SimulatorAccount[];
  let out: string[];
  let err: string[];

  const run = async (...args: string[]) => {
    out = [];
    err = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
    process.exitCode = 0;
    try {
      await buildCli().exitOverride().parseAsync(['node', 'meridian', ...args]);
    } finally {
      log.mockRestore();
      write.mockRestore();
    }
    const code = process.exitCode;
    process.exitCode = 0;
    return { code, out: out.join('\n'), err: err.join('') };
  };

  beforeAll(async () => {
    // Microsoft takes minutes to prepare an export; 2 s here, so the CLI shows the wait.
    sim = await startSimulator({ port: 0, seed: 42, now: SIM_NOW, graphDelaySeconds: 2 });
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'MERIDIAN_SECRET_KEY']) delete process.env[k];
    process.env.MERIDIAN_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-cli-'));
    const store = await Store.open(storeConfigFromEnv(), SecretBox.fromEnv(dataDirFromEnv()));
    accounts = await connectSimulatorAccounts(store, sim.url);
    await store.close();
  });

  afterAll(async () => {
    fs.rmSync(process.env.MERIDIAN_DATA_DIR!, { recursive: true, force: true });
    process.env = savedEnv;
    await sim?.close();
  });

  it('lists the connected accounts', async () => {
    const r = await run('accounts', 'list');
    for (const a of accounts) expect(r.out).toContain(a.id);
    expect(r.out).not.toContain(accounts[0].secret);
  });

  it('tests a connection with the account\'s own credentials', async () => {
    const r = await run('accounts', 'test', 'Contoso CSP Europe');
    // eu is a global-cloud account: both the Partner Center sign-in and the Graph permission are checked.
    expect(r.out).toMatch(/^ok: Partner Center \(\d+ customers on the first page\)/m);
    expect(r.out).toMatch(/^ok: Microsoft Graph billing export \(PartnerBilling.Read.All granted\)/m);
    expect(r.out).toMatch(/^eu: connection ok/m);
  });

  it('syncs one account with progress and reports the counts', async () => {
    const r = await run('sync', '--account', 'eu');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/eu unbilled-usage .*pages \d+ · rows [\d,]+ · quarantined 0/);
    // eu reads the Graph billing export: the wait for Microsoft, then blobs and MB, are shown.
    expect(r.err).toMatch(/eu unbilled-usage waiting for Microsoft to prepare the export \((notStarted|running), \d+ s\)/);
    expect(r.err).toMatch(/eu unbilled-usage .*blob \d+\/\d+ · [\d.]+ MB · pages/);
    expect(r.err).toMatch(/eu: sync succeeded: [\d,]+ rows/);
    const status = await run('status');
    expect(status.out).toMatch(/eu\s+unbilled-usage\s+\S+\s+succeeded/);
  });

  it('adds an account with the secret taken from the environment, never the command line', async () => {
    process.env.TEST_PC_SECRET = 'not-a-real-secret';
    const r = await run('accounts', 'add', '--id', 'apac', '--name', 'APAC', '--cloud', 'global', '--tenant', 't-1', '--app-id', 'a-1', '--secret-env', 'TEST_PC_SECRET', '--currency', 'aud');
    expect(r.out).toContain('account apac connected');
    const list = await run('accounts', 'list');
    expect(list.out).toMatch(/apac\s+APAC\s+global\s+AUD/);
  });

  it('rotates the secret key: every account secret re-encrypted, the sync still signs in', async () => {
    const keyFile = path.join(process.env.MERIDIAN_DATA_DIR!, 'secret.key');
    const before = fs.readFileSync(keyFile, 'utf8');
    const r = await run('keys', 'rotate');
    expect(r.out).toMatch(/re-encrypted 7 account secret\(s\)/);
    expect(fs.readFileSync(keyFile, 'utf8')).not.toBe(before);
    expect(fs.readFileSync(`${keyFile}.old`, 'utf8')).toBe(before);
    expect((await run('accounts', 'test', 'eu')).out).toMatch(/^eu: connection ok/m);
  });

  it('backfills closed months from their invoices with a progress bar and ETA; the totals equal the ground truth', async () => {
    const r = await run('sync', '--account', 'china', '--from', '2026-03', '--to', '2026-05');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/china backfill \[[█░]+\] \d+% ETA \S+ pages \d+/);
    expect(r.err).toMatch(/china: backfill 2026-03\.\.2026-05 succeeded: [\d,]+ rows, \d+ pages, 0 quarantined, 3 invoices/);
    const store = await Store.open(storeConfigFromEnv(), SecretBox.fromEnv(dataDirFromEnv()));
    try {
      const window = { from: '2026-03-01', to: '2026-05-31' };
      const truth = await groundTruth(sim.url, 'china', window);
      expect((await storedServiceRegion(store, 'china', window)).cells).toEqual(expectedServiceRegion(truth));
      expect(await storedBySource(store, 'china', window)).toEqual({ billed: truth.lineItems });
    } finally {
      await store.close();
    }
    // Again: every invoice of the range is done, nothing is read twice.
    const again = await run('sync', '--account', 'china', '--from', '2026-03', '--to', '2026-05');
    expect(again.err).toMatch(/succeeded: 0 rows, \d+ pages, 0 quarantined, 3 invoices/);
  });

  it('exports a month as FOCUS CSV and Parquet with a progress bar; BilledCost sums to the stored total exactly', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-focus-cli-'));
    try {
      const csvFile = path.join(dir, 'china-2026-04.csv');
      const r = await run('export', 'focus', '--month', '2026-04', '--account', 'china', '--out', csvFile);
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/focus 2026-04 \[[█░]+\] \d+% ETA \S+ pages \d+ · rows [\d,]+/);
      const rows = Number(/focus 1\.4: ([\d,]+) rows written/.exec(r.err)![1].replace(/,/g, ''));
      const lines = fs.readFileSync(csvFile, 'utf8').trim().split('\n');
      expect(lines.length).toBe(rows + 1);
      const header = lines[0].split(',');
      const billed = header.indexOf('BilledCost');
      const store = await Store.open(storeConfigFromEnv(), SecretBox.fromEnv(dataDirFromEnv()));
      try {
        const { totals, rows: cells } = await store.costs.breakdown(AccessScope.all(), ['account'], { from: '2026-04-01', to: '2026-04-30', includeSandbox: false, where: { account: ['china'] } });
        expect(cells.reduce((n, c) => n + c.count, 0)).toBe(rows);
        // Line items of this month hold no quoted cells before BilledCost (the first column).
        expect(billed).toBe(0);
        expect(sumDecimals(lines.slice(1).map((l) => l.split(',')[0]))).toBe(totals[0].amount);
      } finally {
        await store.close();
      }
      expect(JSON.parse(fs.readFileSync(`${csvFile}.metadata.json`, 'utf8')).Schemas[0].FocusVersion).toBe('1.4');
      const parquetFile = path.join(dir, 'china-2026-04.parquet');
      const p = await run('export', 'focus', '--from', '2026-04-01', '--to', '2026-04-30', '--account', 'china', '--out', parquetFile);
      expect(p.err).toMatch(new RegExp(`focus 1\\.4: ${rows.toLocaleString('en-US')} rows written to .*\\(parquet\\)`));
      const bytes = fs.readFileSync(parquetFile);
      expect([bytes.subarray(0, 4).toString(), bytes.subarray(-4).toString()]).toEqual(['PAR1', 'PAR1']);
      await expect(run('export', 'focus', '--month', '2026-13', '--out', csvFile)).rejects.toThrow(/YYYY-MM/);
      await expect(run('export', 'focus', '--month', '2026-04', '--filter', 'planet=mars', '--out', csvFile)).rejects.toThrow(/dimension=value/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly for an unknown account and a malformed month', async () => {
    await expect(run('sync', '--account', 'nope')).rejects.toThrow(/no account "nope"; known: /);
    await expect(run('sync', '--account', 'eu', '--from', '2026-1')).rejects.toThrow(/YYYY-MM/);
    await expect(run('sync', '--account', 'eu', '--from', '2026-05', '--to', '2026-03')).rejects.toThrow(/not be after/);
  });
});
