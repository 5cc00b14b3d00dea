import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a process's metrics are fed from; every label is an id or a fixed word, never a name or secret. */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
}

/** Latest successful usage sync per account id (epoch ms), null when it never succeeded. */
export type UsageFreshnessSource = () => Promise<Map<string, number | null>>;

/**
 * The Prometheus metrics of one process, in a registry of its own (not prom-client's global one):
 * the embedded mode runs the api and the worker in one process with one instance of this class, and
 * tests start several applications in one process, each with its own instance. Names start with
 * `meridian_`; Node's defaults (event-loop lag, heap, GC, CPU) keep their usual names.
 */
export class MeridianMetrics {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'meridian_http_request_duration_seconds',
    help: 'HTTP requests of the api by route template, method and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly httpDeferred = new Counter({
    name: 'meridian_http_requests_deferred_total',
    help: 'API requests that started in a later event-loop turn because their turn had spent its budget (MERIDIAN_LOOP_TURN_BUDGET_MS).',
    registers: [this.registry],
  });

  private readonly syncRuns = new Counter({
    name: 'meridian_sync_runs_total',
    help: 'Finished sync runs by account, stream and status (succeeded | failed).',
    labelNames: ['account_id', 'stream', 'status'] as const,
    registers: [this.registry],
  });

  private readonly syncDuration = new Histogram({
    name: 'meridian_sync_run_duration_seconds',
    help: 'Duration of sync runs by account, stream and status.',
    labelNames: ['account_id', 'stream', 'status'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });

  private readonly syncRows = new Counter({
    name: 'meridian_sync_rows_total',
    help: 'Rows written by sync runs, by account and stream.',
    labelNames: ['account_id', 'stream'] as const,
    registers: [this.registry],
  });

  private readonly syncQuarantined = new Counter({
    name: 'meridian_sync_quarantined_records_total',
    help: 'Records quarantined (invalid) by sync runs, by account and stream.',
    labelNames: ['account_id', 'stream'] as const,
    registers: [this.registry],
  });

  private readonly pcRequests = new Counter({
    name: 'meridian_partner_center_requests_total',
    help: 'HTTP exchanges with Partner Center, Microsoft Graph, the token endpoints and export blobs, by account, api, operation (path template) and status (0 = network error or timeout); every retry counts.',
    labelNames: ['account_id', 'api', 'operation', 'status'] as const,
    registers: [this.registry],
  });

  private readonly pcDuration = new Histogram({
    name: 'meridian_partner_center_request_duration_seconds',
    help: 'Duration of the exchanges with Partner Center and Microsoft Graph, by account and api.',
    labelNames: ['account_id', 'api'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly queueWait = new Histogram({
    name: 'meridian_queue_wait_seconds',
    help: 'Time sync jobs waited in the queue before a worker started them, by stream.',
    labelNames: ['stream'] as const,
    buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  private readonly alertEvaluations = new Counter({
    name: 'meridian_alert_evaluations_total',
    help: 'Alert rule evaluation passes by outcome (ok | failed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly alertDeliveries = new Counter({
    name: 'meridian_alert_deliveries_total',
    help: 'Notification deliveries by channel kind (email | webhook) and outcome (delivered | failed).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  private queueSource?: () => Promise<QueueCounts>;
  private freshnessSource?: UsageFreshnessSource;

  constructor(options: { defaultMetrics?: boolean; now?: () => number } = {}) {
    const now = options.now ?? Date.now;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    // Read when scraped, from the queue and the store: exact at scrape time, nothing to keep in sync.
    new Gauge({
      name: 'meridian_queue_jobs',
      help: 'Sync jobs in the queue by state (waiting | active | delayed), when scraped.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect: async function (this: Gauge<'state'>) {
        this.reset();
        const source = self.queueSource;
        if (!source) return;
        const counts = await source();
        for (const state of ['waiting', 'active', 'delayed'] as const) this.set({ state }, counts[state]);
      },
    });
    new Gauge({
      name: 'meridian_usage_sync_age_seconds',
      help: 'Seconds since the last successful usage sync, per account (absent: never succeeded).',
      labelNames: ['account_id'] as const,
      registers: [this.registry],
      collect: async function (this: Gauge<'account_id'>) {
        this.reset();
        const source = self.freshnessSource;
        if (!source) return;
        for (const [accountId, last] of await source()) {
          if (last !== null) this.set({ account_id: accountId }, Math.max(0, (now() - last) / 1000));
        }
      },
    });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** One finished HTTP request; `route` is the template (`/api/accounts/:id`), never the raw path. */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /** A request waited for a later turn of the event loop (LoopTurnBudget). */
  httpRequestDeferred(): void {
    this.httpDeferred.inc();
  }

  syncRunFinished(run: { accountId: string; stream: string; status: 'succeeded' | 'failed'; seconds: number; rows: number; quarantined: number }): void {
    const labels = { account_id: run.accountId, stream: run.stream };
    this.syncRuns.inc({ ...labels, status: run.status });
    this.syncDuration.observe({ ...labels, status: run.status }, run.seconds);
    // inc by 0 too: the series exists from the first run on.
    this.syncRows.inc(labels, run.rows);
    this.syncQuarantined.inc(labels, run.quarantined);
  }

  partnerCenterRequest(accountId: string, request: { api: string; operation: string; status: number; durationMs: number }): void {
    this.pcRequests.inc({ account_id: accountId, api: request.api, operation: request.operation, status: String(request.status) });
    this.pcDuration.observe({ account_id: accountId, api: request.api }, request.durationMs / 1000);
  }

  jobStarted(stream: string, waitedMs: number): void {
    this.queueWait.observe({ stream }, Math.max(0, waitedMs) / 1000);
  }

  alertEvaluation(outcome: 'ok' | 'failed'): void {
    this.alertEvaluations.inc({ outcome });
  }

  alertDelivery(channel: string, outcome: 'delivered' | 'failed'): void {
    this.alertDeliveries.inc({ channel, outcome });
  }

  /** Where `meridian_queue_jobs` reads the queue when scraped. */
  readQueueFrom(source: () => Promise<QueueCounts>): void {
    this.queueSource = source;
  }

  /** Where `meridian_usage_sync_age_seconds` reads the last successes when scraped. */
  readUsageFreshnessFrom(source: UsageFreshnessSource): void {
    this.freshnessSource = source;
  }

  /** The Prometheus text exposition. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
