import 'reflect-metadata';
import { CLOUD_ENDPOINTS, type PartnerCenterCloud, tokenUrlFor } from '@meridian/partner-center';
import * as fs from 'node:fs';
import { AccessScope, AccountEntity, backupSqlite, countFocusRows, dataDirFromEnv, DIMENSION_COLUMNS, inspectSqliteBackup, keyOpensBackup, parseKey, restoreSqlite, SecretBox, sqliteFileOf, storageReport, Store, storeConfigFromEnv, writeFocusExport, type CostFilter, type FocusFormat, type SyncProgress } from '@meridian/store';
import { FOCUS_VERSION, focusMetadata, lastDayOfMonth } from '@meridian/finops';
import { once } from 'node:events';
import { AccountSync, FRESHNESS_STREAM, PartnerCenterClients, pruneBeforeMonth, readPathFor, retentionMonths, SYNC_STREAMS, testConnection, USAGE_APIS, type SyncStream } from '@meridian/sync';
import { Command, InvalidArgumentError, Option } from 'commander';
import { megabytes, ProgressBar } from './progress-bar';

/**
 * `npm run meridian -- <command>`: operate Meridian from a shell, against the same store the
 * worker uses (MERIDIAN_DATA_DIR / DATABASE_URL). Syncs run in this process with a progress bar.
 */
function month(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError('expected a month as YYYY-MM');
  return value;
}

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(storeConfigFromEnv(), SecretBox.fromEnv(dataDirFromEnv()));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function findAccount(store: Store, idOrName: string): Promise<AccountEntity> {
  const all = await store.accounts.list(AccessScope.all());
  const wanted = idOrName.toLowerCase();
  const match = all.find((a) => a.id.toLowerCase() === wanted) ?? all.find((a) => a.name.toLowerCase() === wanted);
  if (!match) throw new InvalidArgumentError(`no account "${idOrName}"; known: ${all.map((a) => a.id).join(', ') || '(none)'}`);
  return match;
}

/** How an account reads current usage: the Graph billing export or v1, and whether the account forces it. */
function usageRead(a: Pick<AccountEntity, 'cloud' | 'usageApi'>): string {
  const path = readPathFor({ cloud: a.cloud, dataset: 'usage-unbilled', usageApi: a.usageApi }) === 'graph' ? 'graph export' : 'v1 api';
  return a.usageApi === 'auto' || !a.usageApi ? path : `${path} (override)`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** --month, or --from/--to (days): the range of an export. */
function exportRange(o: { month?: string; from?: string; to?: string }): { from: string; to: string } {
  if (o.month !== undefined) {
    if (o.from !== undefined || o.to !== undefined) throw new InvalidArgumentError('--month cannot be combined with --from/--to');
    month(o.month);
    return { from: `${o.month}-01`, to: lastDayOfMonth(o.month) };
  }
  if (o.from === undefined || o.to === undefined) throw new InvalidArgumentError('give --month YYYY-MM, or --from and --to (YYYY-MM-DD)');
  for (const d of [o.from, o.to]) if (!DAY.test(d)) throw new InvalidArgumentError(`${d}: expected a day as YYYY-MM-DD`);
  if (o.from > o.to) throw new InvalidArgumentError('--from must not be after --to');
  return { from: o.from, to: o.to };
}

const quietLogger = { log: () => undefined, error: () => undefined };

export function buildCli(): Command {
  const program = new Command('meridian').description('Meridian: consolidated costs of Partner Center accounts').showHelpAfterError();

  const accounts = program.command('accounts').description('connected Partner Center accounts');

  accounts
    .command('list')
    .description('list accounts with cloud, currency, how usage is read (graph export | v1 api) and data freshness')
    .action(() =>
      withStore(async (store) => {
        const list = await store.accounts.list(AccessScope.all());
        const status = await store.syncRuns.statusByAccount(list.map((a) => a.id), [FRESHNESS_STREAM]);
        const rows = [['ID', 'NAME', 'CLOUD', 'CURRENCY', 'SANDBOX', 'USAGE READ', 'LAST GOOD SYNC', 'LAST RUN']];
        for (const a of list) {
          const s = status.get(a.id);
          rows.push([a.id, a.name, a.cloud, a.currency, a.sandbox ? 'yes' : '', usageRead(a), s?.lastSuccessAt ?? 'never', s?.latest ? `${s.latest.stream} ${s.latest.status}` : '-']);
        }
        console.log(table(rows));
      }),
    );

  accounts
    .command('add')
    .description('connect a Partner Center account (the secret is read from an environment variable, never from the command line)')
    .requiredOption('--id <id>', 'short id, e.g. emea')
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--cloud <cloud>', 'Partner Center instance').choices(Object.keys(CLOUD_ENDPOINTS)).makeOptionMandatory())
    .requiredOption('--tenant <tenantId>', 'partner tenant id')
    .requiredOption('--app-id <appId>', 'application (client) id')
    .requiredOption('--secret-env <VAR>', 'name of the environment variable holding the client secret')
    .requiredOption('--currency <ISO>', 'billing currency, e.g. EUR')
    .option('--sandbox', 'this is an Integration Sandbox account', false)
    .option('--api-base-url <url>', 'override the cloud API base URL')
    .option('--token-url <url>', 'override the token endpoint')
    .option('--resource <resource>', 'override the token resource')
    .addOption(new Option('--usage-api <api>', 'how usage is read: auto (by cloud: global/EU → Graph export, others → v1), graph or v1').choices([...USAGE_APIS]).default('auto'))
    .option('--graph-base-url <url>', 'override the Microsoft Graph base URL (global cloud, …/v1.0)')
    .option('--graph-token-url <url>', 'override the Microsoft Graph token endpoint (global cloud)')
    .option('--interval <minutes>', 'usage sync interval in minutes', (v) => Number(v), 60)
    .action((o) =>
      withStore(async (store) => {
        const secret = process.env[o.secretEnv];
        if (!secret) throw new InvalidArgumentError(`environment variable ${o.secretEnv} is empty`);
        const cloud = CLOUD_ENDPOINTS[o.cloud as PartnerCenterCloud];
        await store.accounts.upsertConnection({
          id: o.id,
          name: o.name,
          cloud: o.cloud,
          tenantId: o.tenant,
          appId: o.appId,
          secret,
          apiBaseUrl: o.apiBaseUrl ?? cloud.apiBaseUrl,
          tokenUrl: o.tokenUrl ?? tokenUrlFor(o.cloud, o.tenant),
          tokenResource: o.resource ?? cloud.resource,
          ...(o.graphBaseUrl ? { graphBaseUrl: o.graphBaseUrl } : {}),
          ...(o.graphTokenUrl ? { graphTokenUrl: o.graphTokenUrl } : {}),
          usageApi: o.usageApi,
          currency: o.currency,
          sandbox: o.sandbox,
          syncIntervalMinutes: o.interval,
        }, { userId: null, via: 'cli' });
        console.log(`account ${o.id} connected (secret encrypted at rest)`);
      }),
    );

  accounts
    .command('test <account>')
    .description("sign in with the account's credentials: Partner Center (one page of customers) and, where usage comes from it, the Microsoft Graph billing export permission")
    .action((idOrName: string) =>
      withStore(async (store) => {
        const account = await findAccount(store, idOrName);
        const r = await testConnection(await store.accounts.credentials(account.id));
        console.log(`${r.partnerCenter.ok ? 'ok' : 'failed'}: Partner Center${r.partnerCenter.ok ? ` (${r.customersOnFirstPage ?? 0} customers on the first page)` : `: ${r.partnerCenter.error}`}`);
        console.log(r.graph ? `${r.graph.ok ? 'ok' : 'failed'}: Microsoft Graph billing export${r.graph.ok ? ' (PartnerBilling.Read.All granted)' : `: ${r.graph.error}`}` : 'not used: Microsoft Graph billing export (this account reads v1)');
        console.log(`${account.id}: ${r.ok ? 'connection ok' : 'connection failed'} in ${r.elapsedMs} ms`);
        if (!r.ok) process.exitCode = 1;
      }),
    );

  program
    .command('sync')
    .description('sync one account now, with a progress bar')
    .requiredOption('--account <account>', 'account id or name')
    .addOption(new Option('--stream <stream>', 'only this stream').choices([...SYNC_STREAMS]))
    .option('--from <YYYY-MM>', 'backfill: first month to read from its invoice (billed usage)')
    .option('--to <YYYY-MM>', 'backfill: last month (default: --from)')
    .action((o) =>
      withStore(async (store) => {
        if (o.to && !o.from) throw new InvalidArgumentError('--to needs --from');
        for (const m of [o.from, o.to]) if (m !== undefined) month(m);
        if (o.from && o.stream) throw new InvalidArgumentError('a backfill reads invoices: --stream does not apply');
        const account = await findAccount(store, o.account);
        // MERIDIAN_NOW pins the months legacy utilization reads (as in the worker).
        const sync = new AccountSync(store, new PartnerCenterClients(), quietLogger, { now: () => (process.env.MERIDIAN_NOW ? new Date(process.env.MERIDIAN_NOW) : new Date()) });
        const bar = new ProgressBar();
        // Per run: which read served it and the export bytes it downloaded (for the closing line).
        const reads = new Map<string, { readPath?: string; bytesDone?: number }>();
        const onProgress = (e: { stream: SyncStream; runId: string } & SyncProgress) => {
          if (e.readPath !== undefined || e.bytesDone !== undefined) reads.set(e.runId, { readPath: e.readPath, bytesDone: e.bytesDone });
          bar.update(`${account.id} ${e.stream}`, e, e.unitsTotal !== undefined ? { done: e.unitsDone ?? 0, of: e.unitsTotal } : undefined, e);
        };
        const range = o.from ? { from: o.from as string, to: (o.to ?? o.from) as string } : undefined;
        if (range && range.from > range.to) throw new InvalidArgumentError('--from must not be after --to');
        const result = range
          ? await sync.runStream(account.id, 'backfill', { onProgress, range })
          : o.stream
            ? await sync.runStream(account.id, o.stream, { onProgress })
            : await sync.run(account.id, { onProgress });
        const p = result.progress;
        if (result.runIds.length === 1 && (p.readPath !== undefined || p.bytesDone !== undefined)) reads.set(result.runIds[0], { readPath: p.readPath, bytesDone: p.bytesDone });
        const paths = new Set([...reads.values()].flatMap((r) => (r.readPath === 'both' ? ['graph', 'v1'] : r.readPath ? [r.readPath] : [])));
        const via = paths.size ? `, read via ${[...paths].sort().map((x) => (x === 'graph' ? 'graph export' : x)).join(' and ')}` : '';
        const exportBytes = [...reads.values()].reduce((sum, r) => sum + (r.bytesDone ?? 0), 0);
        const bytes = exportBytes ? `, ${megabytes(exportBytes)} downloaded` : '';
        const summary = `${p.rows.toLocaleString('en-US')} rows, ${p.pages} pages, ${p.quarantined} quarantined`;
        const what = range ? `backfill ${range.from}..${range.to}` : 'sync';
        if (result.status === 'failed') {
          bar.done(`${account.id}: ${what} failed after ${summary}${via}${bytes}: ${result.error}`);
          process.exitCode = 1;
        } else bar.done(`${account.id}: ${what} succeeded: ${summary}${range ? `, ${p.unitsDone ?? 0} invoices` : ''}${via}${bytes}`);
      }),
    );

  const exportCommand = program.command('export').description('export cost data to a file');
  exportCommand
    .command('focus')
    .description(`the FOCUS ${FOCUS_VERSION} Cost and Usage dataset of the line items (CSV or Parquet), streamed to a file with a progress bar; the FOCUS metadata goes beside it (<out>.metadata.json)`)
    .option('--month <YYYY-MM>', 'the month to export (or --from/--to)')
    .option('--from <YYYY-MM-DD>', 'first day')
    .option('--to <YYYY-MM-DD>', 'last day')
    .requiredOption('--out <file>', 'the file to write (.csv or .parquet)')
    .addOption(new Option('--format <format>', 'file format (default: from the --out extension, else csv)').choices(['csv', 'parquet']))
    .option('--account <ids>', 'only these accounts (comma-separated ids)')
    .option('--filter <dimension=values>', `keep only these values of a dimension (${Object.keys(DIMENSION_COLUMNS).join(', ')}); repeatable`, (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--include-sandbox', 'include Integration Sandbox accounts', false)
    .option('--include-estimated', 'include legacy Azure cost estimated from the rate card', false)
    .action((o) =>
      withStore(async (store) => {
        const range = exportRange(o);
        const format: FocusFormat = o.format ?? (/\.parquet$/i.test(o.out) ? 'parquet' : 'csv');
        const where: NonNullable<CostFilter['where']> = {};
        for (const f of o.filter as string[]) {
          const m = /^([A-Za-z]+)=(.+)$/.exec(f);
          if (!m || !(m[1] in DIMENSION_COLUMNS)) throw new InvalidArgumentError(`--filter ${f}: expected dimension=value[,value] with a dimension of: ${Object.keys(DIMENSION_COLUMNS).join(', ')}`);
          where[m[1] as keyof typeof DIMENSION_COLUMNS] = m[2].split(',').map((v) => v.trim()).filter(Boolean);
        }
        if (o.account) where.account = String(o.account).split(',').map((v) => v.trim()).filter(Boolean);
        const filter: CostFilter = { ...range, includeSandbox: o.includeSandbox, includeEstimated: o.includeEstimated, where };
        const scope = AccessScope.all();
        const total = await countFocusRows(store, scope, filter);
        const bar = new ProgressBar();
        const label = `focus ${o.month ?? `${range.from}..${range.to}`}`;
        const file = fs.createWriteStream(o.out);
        let pages = 0;
        const { rows } = await writeFocusExport(store, scope, filter, file, {
          format,
          onProgress: (done) => bar.update(label, { pages: ++pages, rows: done, quarantined: 0 }, { done, of: total }),
        });
        file.end();
        await once(file, 'finish');
        fs.writeFileSync(`${o.out}.metadata.json`, JSON.stringify(focusMetadata(new Date().toISOString()), null, 2) + '\n');
        await store.audit.record({ userId: null, action: 'export', details: { format, kind: 'focus', focusVersion: FOCUS_VERSION, via: 'cli', ...range, where, includeSandbox: filter.includeSandbox, includeEstimated: filter.includeEstimated, rows } });
        bar.done(`focus ${FOCUS_VERSION}: ${rows.toLocaleString('en-US')} rows written to ${o.out} (${format}), metadata in ${o.out}.metadata.json`);
      }),
    );

  program
    .command('keys')
    .description('the key that encrypts Partner Center secrets at rest')
    .command('rotate')
    .description('re-encrypt every account secret with a new key (key file: replaced, old one kept as secret.key.old)')
    .option('--new-key-env <VAR>', 'when MERIDIAN_SECRET_KEY is used: the variable holding the new key (set MERIDIAN_SECRET_KEY to it afterwards)')
    .action((o) =>
      withStore(async (store) => {
        const dataDir = dataDirFromEnv();
        const fromEnv = Boolean(process.env.MERIDIAN_SECRET_KEY);
        if (fromEnv && !o.newKeyEnv) throw new InvalidArgumentError('MERIDIAN_SECRET_KEY is set: pass --new-key-env VAR naming the new key');
        const newKey = fromEnv ? process.env[o.newKeyEnv] : SecretBox.generateKey();
        if (!newKey) throw new InvalidArgumentError(`environment variable ${o.newKeyEnv} is empty`);
        const next = SecretBox.fromKey(parseKey(newKey));
        const file = SecretBox.keyFile(dataDir);
        if (!fromEnv) fs.writeFileSync(`${file}.new`, `${newKey}\n`, { mode: 0o600 });
        const count = await store.accounts.rotateKey(next);
        if (!fromEnv) {
          // The database now needs the new key: swap the files, keeping the old key for recovery.
          fs.copyFileSync(file, `${file}.old`);
          fs.renameSync(`${file}.new`, file);
        }
        await store.audit.record({ userId: null, action: 'keys.rotate', details: { accounts: count, source: fromEnv ? 'env' : 'key file' } });
        console.log(`re-encrypted ${count} account secret(s)${fromEnv ? `; now set MERIDIAN_SECRET_KEY to the value of ${o.newKeyEnv}` : `; new key in ${file}, old key in ${file}.old`}`);
      }),
    );

  program
    .command('backup')
    .description('copy the SQLite store to a file while Meridian runs (a consistent snapshot; PostgreSQL: pg_dump, see README). The key file is not in it: keep it apart')
    .requiredOption('--out <file>', 'the backup file to write (must not exist)')
    .action(async (o) => {
      const file = sqliteFileOf(storeConfigFromEnv());
      if (!file) throw new InvalidArgumentError('DATABASE_URL is set: back up PostgreSQL with pg_dump (README, "Backup and restore")');
      const r = await backupSqlite(file, o.out);
      console.log(`backup ${o.out}: ${megabytes(r.bytes)}, ${r.pages.toLocaleString('en-US')} pages in ${(r.ms / 1000).toFixed(1)} s`);
      console.log(`not in the backup: the key that opens the Partner Center secrets (${process.env.MERIDIAN_SECRET_KEY ? 'MERIDIAN_SECRET_KEY' : SecretBox.keyFile(dataDirFromEnv())}); keep a copy of it apart from the backups`);
    });

  program
    .command('restore')
    .description('restore a backup into an empty data directory (MERIDIAN_DATA_DIR), checking first that the key opens its secrets; an older schema is migrated')
    .requiredOption('--from <file>', 'a file written by `meridian backup`')
    .option('--key-file <file>', 'the key file kept with the backup (copied into the data directory); otherwise MERIDIAN_SECRET_KEY or the data directory\'s secret.key')
    .action(async (o) => {
      const config = storeConfigFromEnv();
      const file = sqliteFileOf(config);
      if (!file) throw new InvalidArgumentError('DATABASE_URL is set: restore PostgreSQL with pg_restore (README, "Backup and restore")');
      const contents = inspectSqliteBackup(o.from);
      const dataDir = dataDirFromEnv();
      const keyFile = SecretBox.keyFile(dataDir);
      const givenKey = o.keyFile ? fs.readFileSync(o.keyFile, 'utf8').trim() : undefined;
      if (givenKey && fs.existsSync(keyFile) && fs.readFileSync(keyFile, 'utf8').trim() !== givenKey) {
        throw new InvalidArgumentError(`${keyFile} holds another key: restore into an empty data directory`);
      }
      const keyText = process.env.MERIDIAN_SECRET_KEY || givenKey || (fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8').trim() : undefined);
      if (!keyText && contents.sealedCount > 0) {
        throw new InvalidArgumentError(`the backup holds ${contents.sealedCount} sealed secret(s): give their key with --key-file <file> or MERIDIAN_SECRET_KEY`);
      }
      if (keyText && !keyOpensBackup(contents, SecretBox.fromKey(parseKey(keyText)))) {
        throw new InvalidArgumentError("the key does not open the backup's secrets: give the key file kept with this backup");
      }
      const r = restoreSqlite(o.from, file);
      if (givenKey && !process.env.MERIDIAN_SECRET_KEY && !fs.existsSync(keyFile)) fs.writeFileSync(keyFile, `${givenKey}\n`, { mode: 0o600 });
      // Opening the store migrates a backup taken by an older version.
      await withStore(async (store) => {
        const [{ n }] = await store.dataSource.query('SELECT count(*) AS n FROM cost_line_item');
        const accounts = await store.accounts.list(AccessScope.all());
        const migrated = store.dataSource.migrations.length - contents.migrations.length;
        console.log(`restored ${o.from} into ${file}: ${megabytes(r.bytes)}, ${accounts.length} account(s), ${Number(n).toLocaleString('en-US')} line items${migrated > 0 ? `, schema migrated by ${migrated} migration(s)` : ''}`);
      });
    });

  const retention = program.command('retention').description('raw line items kept for a number of months; aggregates kept for ever (docs/decisions/0023)');
  retention
    .command('prune')
    .description('remove raw line items of billing periods before the retention window now (the worker does it daily when MERIDIAN_RAW_RETENTION_MONTHS is set)')
    .option('--months <N>', 'months of raw line items to keep before the current one (default: MERIDIAN_RAW_RETENTION_MONTHS)')
    .option('--account <account>', 'only this account (id or name)')
    .action((o) =>
      withStore(async (store) => {
        const value = o.months ?? process.env.MERIDIAN_RAW_RETENTION_MONTHS;
        if (!value) throw new InvalidArgumentError('give --months N or set MERIDIAN_RAW_RETENTION_MONTHS');
        let months: number;
        try {
          months = retentionMonths(String(value));
        } catch (err) {
          throw new InvalidArgumentError((err as Error).message.replace('MERIDIAN_RAW_RETENTION_MONTHS', '--months'));
        }
        const before = pruneBeforeMonth(process.env.MERIDIAN_NOW ? new Date(process.env.MERIDIAN_NOW) : new Date(), months);
        const accounts = o.account ? [await findAccount(store, o.account)] : await store.accounts.list(AccessScope.all());
        for (const a of accounts) {
          const r = await store.costs.pruneRawBefore(a.id, before);
          console.log(`${a.id}: ${r.rows.toLocaleString('en-US')} raw line items of billing periods before ${r.prunedBefore} pruned; their totals stay in the aggregates`);
        }
      }),
    );
  retention
    .command('status')
    .description('per account: the month before which raw line items were pruned, rows pruned, rows of pruned months a sync delivered again (skipped)')
    .action(() =>
      withStore(async (store) => {
        const rows = [['ACCOUNT', 'PRUNED BEFORE', 'PRUNED AT', 'ROWS PRUNED', 'ROWS SKIPPED']];
        for (const r of await store.costs.retention()) rows.push([r.accountId, r.prunedBefore, r.prunedAt, r.rowsPruned.toLocaleString('en-US'), r.rowsSkipped.toLocaleString('en-US')]);
        console.log(rows.length > 1 ? table(rows) : 'nothing pruned');
      }),
    );

  program
    .command('storage')
    .description("the store's size per account and billing month: raw line items and aggregates (rows, estimated MB), pruned months marked")
    .action(() =>
      withStore(async (store) => {
        const report = await storageReport(store.dataSource);
        const rows = [['ACCOUNT', 'MONTH', 'RAW ROWS', 'RAW MB', 'AGGREGATE ROWS', 'AGGREGATE MB', '']];
        const total = { raw: 0, rawBytes: 0, agg: 0, aggBytes: 0 };
        for (const r of report) {
          rows.push([r.accountId, r.month, r.rawRows.toLocaleString('en-US'), (r.rawBytes / 1e6).toFixed(1), r.aggregateRows.toLocaleString('en-US'), (r.aggregateBytes / 1e6).toFixed(1), r.pruned ? 'raw pruned' : '']);
          total.raw += r.rawRows;
          total.rawBytes += r.rawBytes;
          total.agg += r.aggregateRows;
          total.aggBytes += r.aggregateBytes;
        }
        rows.push(['total', '', total.raw.toLocaleString('en-US'), (total.rawBytes / 1e6).toFixed(1), total.agg.toLocaleString('en-US'), (total.aggBytes / 1e6).toFixed(1), '']);
        console.log(table(rows));
      }),
    );

  program
    .command('status')
    .description('every account\'s streams: last run, last success, errors')
    .action(() =>
      withStore(async (store) => {
        const list = await store.accounts.list(AccessScope.all());
        const states = await store.syncRuns.streamStates(list.map((a) => a.id));
        const rows = [['ACCOUNT', 'STREAM', 'LAST RUN', 'STATUS', 'LAST SUCCESS', 'ERROR']];
        for (const a of list) {
          for (const stream of SYNC_STREAMS) {
            const s = states.get(a.id)?.get(stream);
            rows.push([a.id, stream, s?.lastStartedAt ?? 'never', s?.lastStatus ?? '-', s?.lastSuccessAt ?? 'never', (s?.lastError ?? '').slice(0, 80)]);
          }
        }
        console.log(table(rows));
      }),
    );

  return program;
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .catch((err: Error) => {
      console.error(`error: ${err.message}`);
      process.exitCode = 1;
    });
}
