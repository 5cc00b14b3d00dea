import { DataSource } from 'typeorm';
import { openStore } from './data-source';
import { AccountRepository } from './repositories/account.repository';
import { AuditRepository } from './repositories/audit.repository';
import { UserRepository } from './repositories/user.repository';
import { CatalogRepository } from './repositories/catalog.repository';
import { CostRepository } from './repositories/cost.repository';
import { CostRollupRepository } from './repositories/cost-rollup.repository';
import { InvoiceRepository } from './repositories/invoice.repository';
import { FxRateRepository } from './repositories/fx-rate.repository';
import { BillingRateRepository } from './repositories/billing-rate.repository';
import { OrgSettingsRepository } from './repositories/org-settings.repository';
import { RateSourcesReader } from './repositories/rate-sources.reader';
import { QueryCache } from './repositories/query-cache';
import { SyncRunRepository } from './repositories/sync-run.repository';
import { WriteLock } from './repositories/write-lock';
import { SavedViewRepository } from './repositories/saved-view.repository';
import { ReportSubscriptionRepository } from './repositories/report-subscription.repository';
import { PriceRepository } from './repositories/price.repository';
import { AlertEventRepository, AlertRuleRepository, NotificationChannelRepository, NotificationDeliveryRepository } from './repositories/alert.repository';
import { GraphExportCheckpointRepository } from './repositories/graph-export-checkpoint.repository';
import { SecretBox } from './secret-box';
import { sqliteFileOf, StoreConfig } from './store.config';
import { WalCheckpointer } from './wal-checkpointer';
import { DataSourceReader, SqliteReadPool, StoreReader } from './sqlite-read-pool';

export interface StoreOptions {
  /**
   * How long identical cost aggregates are shared (0 = no cache). Writes through this store clear
   * the cache at once; writes by another process are seen after at most this long.
   */
  queryCacheSeconds: number;
  /**
   * SQLite file: worker threads running the long reads (docs/decisions/0016). 0 runs them on the
   * main connection, as before (benchmarks compare the two). PostgreSQL: how many statements one big
   * read sends at once, on as many pooled connections (decision 0032; 0 counts as 1).
   */
  readThreads: number;
  /**
   * SQLite: the main connection's page cache in KiB; better-sqlite3's default (16 MB) when not given. Small
   * where the process's event loop serves requests: it bounds how much a COMMIT writes in one
   * synchronous block (`SERVING_WRITER_CACHE_KIB`, decision 0031).
   */
  writerCacheKib?: number;
}

/** The store as the apps use it: one data source and its repositories. */
export class Store {
  readonly accounts: AccountRepository;
  readonly costs: CostRepository;
  readonly rollups: CostRollupRepository;
  readonly invoices: InvoiceRepository;
  readonly fxRates: FxRateRepository;
  /** Microsoft's pcToBC rates as the synced line items carry them. */
  readonly billingRates: BillingRateRepository;
  readonly settings: OrgSettingsRepository;
  /** The organisation's rate sources in precedence order, for every conversion. */
  readonly rateSources: RateSourcesReader;
  readonly syncRuns: SyncRunRepository;
  readonly catalog: CatalogRepository;
  readonly users: UserRepository;
  readonly audit: AuditRepository;
  readonly alertRules: AlertRuleRepository;
  readonly savedViews: SavedViewRepository;
  readonly reportSubscriptions: ReportSubscriptionRepository;
  readonly channels: NotificationChannelRepository;
  readonly alertEvents: AlertEventRepository;
  readonly deliveries: NotificationDeliveryRepository;
  readonly prices: PriceRepository;
  readonly graphCheckpoints: GraphExportCheckpointRepository;
  /** SQLite file: checkpoints the WAL off the main thread. */
  private checkpointer?: WalCheckpointer;

  private constructor(
    readonly dataSource: DataSource,
    /** The installation's key: seals Partner Center secrets, signs short-lived cookies. */
    readonly secrets: SecretBox,
    options: StoreOptions,
    /** Runs the long reads: read-only connections in worker threads for an SQLite file, the data source otherwise. */
    readonly reads: StoreReader,
  ) {
    this.audit = new AuditRepository(dataSource);
    this.accounts = new AccountRepository(dataSource, secrets, this.audit);
    // One write lock per data source: on SQLite, line-item upserts and rollup refreshes take turns.
    const writeLock = WriteLock.for(dataSource);
    this.costs = new CostRepository(dataSource, writeLock, new QueryCache(options.queryCacheSeconds * 1000), reads);
    this.rollups = new CostRollupRepository(dataSource, writeLock, () => this.costs.cache.invalidate());
    // Cost reads run off the main connection and see committed data only: an aggregate computed
    // while a write was committing must not outlive it in the cache (decision 0016).
    writeLock.onSettled(() => this.costs.cache.invalidate());
    this.invoices = new InvoiceRepository(dataSource, writeLock, reads);
    this.fxRates = new FxRateRepository(dataSource, this.audit, writeLock);
    this.billingRates = new BillingRateRepository(dataSource, this.costs.cache);
    this.settings = new OrgSettingsRepository(dataSource, this.audit);
    this.rateSources = new RateSourcesReader(this.fxRates, this.billingRates, this.settings);
    this.syncRuns = new SyncRunRepository(dataSource, this.costs.cache);
    this.catalog = new CatalogRepository(dataSource);
    this.users = new UserRepository(dataSource);
    this.alertRules = new AlertRuleRepository(dataSource);
    this.savedViews = new SavedViewRepository(dataSource);
    this.reportSubscriptions = new ReportSubscriptionRepository(dataSource);
    this.channels = new NotificationChannelRepository(dataSource, secrets);
    this.alertEvents = new AlertEventRepository(dataSource, writeLock);
    this.deliveries = new NotificationDeliveryRepository(dataSource);
    this.prices = new PriceRepository(dataSource, writeLock, reads);
    this.graphCheckpoints = new GraphExportCheckpointRepository(dataSource);
  }

  static async open(config: StoreConfig, secrets: SecretBox, options: Partial<StoreOptions> = {}): Promise<Store> {
    const settings: StoreOptions = { queryCacheSeconds: 0, readThreads: 2, ...options };
    const dataSource = await openStore(config, { writerCacheKib: settings.writerCacheKib });
    const file = sqliteFileOf(config);
    // Opened after the migrations: the read connections see the schema as it now is.
    const reads =
      file && settings.readThreads > 0
        ? SqliteReadPool.open(file, { size: settings.readThreads })
        : new DataSourceReader(dataSource, config.type === 'postgres' ? Math.max(1, settings.readThreads) : 1);
    const store = new Store(dataSource, secrets, settings, reads);
    if (file) store.checkpointer = WalCheckpointer.start(file);
    await store.rollups.rebuildIfMissing();
    return store;
  }

  async close(): Promise<void> {
    await this.costs.dispose();
    await this.reads.close();
    await this.checkpointer?.stop();
    this.checkpointer = undefined;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
