import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { MeridianMetrics, serveMetrics } from '@meridian/observability';
import { Store } from '@meridian/store';
import { checkReadiness, SYNC_QUEUE, WORKER_CONFIG, WorkerHeartbeat, type SyncQueue, type WorkerConfig } from '@meridian/sync';

export const WORKER_HTTP_CONFIG = Symbol('WORKER_HTTP_CONFIG');

/** The worker's own small HTTP port: Prometheus metrics and health, nothing else. */
export interface WorkerHttpConfig {
  /** MERIDIAN_WORKER_METRICS_PORT (default 9464; 0 = any free port; `off` = no server). */
  port: number | null;
  /** MERIDIAN_WORKER_METRICS_HOST (default 127.0.0.1; containers set 0.0.0.0). */
  host: string;
  metricsToken?: string;
  /** The worker is ready when its own heartbeat is at most this old. */
  readyHeartbeatSeconds: number;
}

export function workerHttpConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerHttpConfig {
  const raw = (env.MERIDIAN_WORKER_METRICS_PORT ?? '').trim();
  const port = raw === '' ? 9464 : raw === 'off' ? null : Number(raw);
  if (port !== null && !(Number.isInteger(port) && port >= 0 && port < 65536)) throw new Error(`MERIDIAN_WORKER_METRICS_PORT must be a port number or "off" (got "${raw}")`);
  return {
    port,
    host: env.MERIDIAN_WORKER_METRICS_HOST || '127.0.0.1',
    metricsToken: env.MERIDIAN_METRICS_TOKEN || undefined,
    readyHeartbeatSeconds: Number(env.MERIDIAN_READY_HEARTBEAT_SECONDS) > 0 ? Number(env.MERIDIAN_READY_HEARTBEAT_SECONDS) : 60,
  };
}

/**
 * GET /metrics (same access rule as the api's), GET /health/live, GET /health/ready (database
 * migrated, Redis answering, this worker's own heartbeat written recently).
 */
@Injectable()
export class WorkerHttpServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WorkerHttp');
  private server?: Server;

  constructor(
    @Inject(WORKER_HTTP_CONFIG) private readonly config: WorkerHttpConfig,
    @Inject(Store) private readonly store: Store,
    @Inject(SYNC_QUEUE) private readonly queue: SyncQueue,
    @Inject(WORKER_CONFIG) private readonly workerConfig: WorkerConfig,
    @Inject(WorkerHeartbeat) private readonly heartbeat: WorkerHeartbeat,
    @Optional() @Inject(MeridianMetrics) private readonly metrics?: MeridianMetrics,
  ) {}

  /** The bound port (tests start the worker on port 0). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.port === null) return;
    const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    this.server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'GET') return json(res, 405, { statusCode: 405, message: 'GET only' });
      if (path === '/metrics' && this.metrics) return void serveMetrics(this.metrics, this.config.metricsToken, req, res);
      if (path === '/health/live') return json(res, 200, { status: 'ok' });
      if (path === '/health/ready') {
        return void checkReadiness(this.store, this.queue, {
          redis: this.workerConfig.redisUrl !== undefined,
          maxHeartbeatAgeSeconds: this.config.readyHeartbeatSeconds,
          // This worker's own mark: another replica's must not make a stuck one look ready.
          latestHeartbeat: async () => this.heartbeat.lastWrittenAt,
        }).then(
          (r) => json(res, r.status === 'ready' ? 200 : 503, r),
          (err: Error) => json(res, 503, { status: 'not ready', error: err.message }),
        );
      }
      json(res, 404, { statusCode: 404, message: 'not found' });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.config.port!, this.config.host, () => resolve());
    });
    this.logger.log(`metrics and health on http://${this.config.host}:${this.port} (/metrics, /health/live, /health/ready)`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
