import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AccountEntity } from './entities/account.entity';
import { CostLineItemEntity } from './entities/cost-line-item.entity';
import { CustomerEntity } from './entities/customer.entity';
import { QuarantinedRecordEntity } from './entities/quarantined-record.entity';
import { SubscriptionEntity } from './entities/subscription.entity';
import { SyncRunEntity } from './entities/sync-run.entity';
import { ApiTokenEntity } from './entities/api-token.entity';
import { AuditEventEntity } from './entities/audit-event.entity';
import { GrantEntity } from './entities/grant.entity';
import { SessionEntity } from './entities/session.entity';
import { UserEntity } from './entities/user.entity';
import { InitialSchema1764028800000 } from './migrations/1764028800000-initial-schema';
import { AccessControl1764115200000 } from './migrations/1764115200000-access-control';
import { ListCost1764201600000 } from './migrations/1764201600000-list-cost';
import { DailyRollup1764288000000 } from './migrations/1764288000000-daily-rollup';
import { Invoices1764547200000 } from './migrations/1764547200000-invoices';
import { FxRates1764633600000 } from './migrations/1764633600000-fx-rates';
import { FxRateEntity } from './entities/fx-rate.entity';
import { Alerts1764720000000 } from './migrations/1764720000000-alerts';
import { SavedViews1764806400000 } from './migrations/1764806400000-saved-views';
import { SavedViewEntity } from './entities/saved-view.entity';
import { Prices1764892800000 } from './migrations/1764892800000-prices';
import { PriceEntity } from './entities/price.entity';
import { GraphExport1764979200000 } from './migrations/1764979200000-graph-export';
import { MonthlyAggregates1765065600000 } from './migrations/1765065600000-monthly-aggregates';
import { ReportingCurrency1765152000000 } from './migrations/1765152000000-reporting-currency';
import { ReportSubscriptions1765238400000 } from './migrations/1765238400000-report-subscriptions';
import { ReportDeliveryEntity, ReportSubscriptionEntity } from './entities/report-subscription.entity';
import { RawRetention1765324800000 } from './migrations/1765324800000-raw-retention';
import { DailyTotals1765497600000 } from './migrations/1765497600000-daily-totals';
import { SpanAggregates1765584000000 } from './migrations/1765584000000-span-aggregates';
import { SpansKeyedByDimension1765670400000 } from './migrations/1765670400000-spans-keyed-by-dimension';
import { OrgSettingEntity } from './entities/org-setting.entity';
import { GraphExportCheckpointEntity } from './entities/graph-export-checkpoint.entity';
import { AlertEventAccountEntity, AlertEventEntity, AlertRuleEntity, NotificationChannelEntity, NotificationDeliveryEntity } from './entities/alert.entity';
import { InvoiceEntity, InvoiceLineItemEntity } from './entities/invoice.entity';
import { sqliteFileOf, StoreConfig } from './store.config';

export const ENTITIES = [
  AccountEntity,
  CustomerEntity,
  SubscriptionEntity,
  SyncRunEntity,
  QuarantinedRecordEntity,
  CostLineItemEntity,
  UserEntity,
  GrantEntity,
  ApiTokenEntity,
  SessionEntity,
  AuditEventEntity,
  InvoiceEntity,
  InvoiceLineItemEntity,
  FxRateEntity,
  AlertRuleEntity,
  NotificationChannelEntity,
  AlertEventEntity,
  AlertEventAccountEntity,
  NotificationDeliveryEntity,
  SavedViewEntity,
  PriceEntity,
  GraphExportCheckpointEntity,
  OrgSettingEntity,
  ReportSubscriptionEntity,
  ReportDeliveryEntity,
];
/**
 * In order; a new one goes at the end. Each must migrate the earlier stores of fixtures/upgrade with
 * every total unchanged (upgrade-from-an-earlier-schema.spec.ts).
 */
export const MIGRATIONS = [InitialSchema1764028800000, AccessControl1764115200000, ListCost1764201600000, DailyRollup1764288000000, Invoices1764547200000, FxRates1764633600000, Alerts1764720000000, SavedViews1764806400000, Prices1764892800000, GraphExport1764979200000, MonthlyAggregates1765065600000, ReportingCurrency1765152000000, ReportSubscriptions1765238400000, RawRetention1765324800000, DailyTotals1765497600000, SpanAggregates1765584000000, SpansKeyedByDimension1765670400000];

/** Per sort or hash of a statement, per connection (10): the aggregate reads' groups fit in memory. */
const PG_WORK_MEM = '32MB';
/**
 * The planner's price of starting parallel workers (PostgreSQL's default: 1000). At the default a
 * month's tag breakdown at 10M rows (~6k aggregate rows) ran as a Parallel Append whose workers'
 * start cost more than the scan: 46 ms against 11.5 ms serially. Dashboard reads are short and
 * many run at once; a scan big enough to gain from workers (a raw read over months) still gets
 * them (docs/decisions/0033).
 */
const PG_PARALLEL_SETUP_COST = 10_000;

export function createDataSource(config: StoreConfig): DataSource {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, logging: false as const };
  if (config.type === 'postgres') {
    return new DataSource({
      ...common,
      type: 'postgres',
      url: config.url,
      schema: config.schema,
      // Raw SQL in the repositories uses unqualified table names: pin the search_path to the schema.
      // work_mem: a year of resource groups hashes ~16k groups (~10 MB) at 10M rows; at the default
      // 4 MB PostgreSQL sorted them on disk instead (docs/performance.md).
      extra: {
        // Names Meridian's sessions in pg_stat_activity (operators; the query bench finds its backends by it).
        application_name: 'meridian',
        options: [...(config.schema ? [`-c search_path=${config.schema}`] : []), `-c work_mem=${PG_WORK_MEM}`, `-c parallel_setup_cost=${PG_PARALLEL_SETUP_COST}`].join(' '),
        max: 10,
      },
    });
  }
  // better-sqlite3, not sqlite3: the embedded store's bulk writes cost about half as much CPU
  // (docs/decisions/0014-better-sqlite3-driver.md).
  return new DataSource({
    ...common,
    type: 'better-sqlite3',
    database: config.database,
    enableWAL: sqliteFileOf(config) !== undefined,
    timeout: 10_000,
  });
}

/** WAL pages (4 KB) between automatic checkpoints: 64 MB. */
const WAL_AUTOCHECKPOINT_PAGES = 16_000;

/**
 * The page cache of an SQLite store's main (writer) connection for a process whose event loop
 * serves requests (the api, and the sync embedded in it): 400 KiB, about 100 pages. A transaction's
 * dirty pages beyond the cache are written to the WAL while its statements run, one page at a time
 * between the slices of decision 0027; what is still in the cache is written by the COMMIT in one
 * synchronous block. At better-sqlite3's default of 16 MB a COMMIT wrote all a sync page's or a
 * month close's pages and held the loop for 28–43 ms on a slow machine (more for a bigger month);
 * at 400 KiB it measured 16 ms at most, for ~11 % less ingest throughput (decision 0031).
 */
export const SERVING_WRITER_CACHE_KIB = 400;

/**
 * Opens the store and brings its schema up to date. `writerCacheKib`: SQLite only, the main
 * connection's page cache (better-sqlite3's default, 16 MB, when not given).
 */
export async function openStore(config: StoreConfig, { writerCacheKib }: { writerCacheKib?: number } = {}): Promise<DataSource> {
  const file = sqliteFileOf(config);
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }
  if (config.type === 'postgres' && config.schema) {
    const client = new Client({ connectionString: config.url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${config.schema.replace(/"/g, '')}"`);
    } finally {
      await client.end();
    }
  }
  const ds = createDataSource(config);
  await ds.initialize();
  if (config.type === 'sqlite') {
    // WAL + NORMAL is durable across process crashes (not power loss) and several times faster.
    await ds.query('PRAGMA synchronous = NORMAL');
    // The Store checkpoints the WAL from a worker thread (WalCheckpointer). The automatic checkpoint,
    // which runs inside a COMMIT on this thread and waits for the disk, is only a backstop: at the
    // default 4 MB a bulk sync page of 2,000 line items (~4 MB of WAL) checkpointed on nearly every
    // commit (docs/decisions/0014).
    await ds.query(`PRAGMA wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    // A negative cache_size is in KiB.
    if (writerCacheKib !== undefined) await ds.query(`PRAGMA cache_size = ${-Math.max(64, Math.floor(writerCacheKib))}`);
  }
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
