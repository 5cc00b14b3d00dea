import { DynamicModule, Module } from '@nestjs/common';
import { StoreModule, storeConfigFromEnv } from '@meridian/store';
import { SyncQueueModule, SyncWorkerModule, workerConfigFromEnv } from '@meridian/sync';
import { AlertingModule } from '@meridian/alerting';
import { logSettingsFromEnv, ObservabilityModule } from '@meridian/observability';
import { WORKER_HTTP_CONFIG, WorkerHttpServer, workerHttpConfigFromEnv } from './worker-http';

/** The standalone worker process of the scaled mode: store + queue + scheduler + processor + alert evaluation. */
@Module({})
export class WorkerModule {
  /** Reads the environment when called (not at import), so tests and tools can set it first. */
  static forRoot(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ObservabilityModule.forRoot({ name: 'worker', log: logSettingsFromEnv(env) }),
        StoreModule.forRoot(storeConfigFromEnv(env), env),
        SyncQueueModule.forRoot(workerConfigFromEnv(env)),
        SyncWorkerModule,
        AlertingModule.forRoot(env),
      ],
      // Metrics and health on the worker's own port (MERIDIAN_WORKER_METRICS_PORT).
      providers: [{ provide: WORKER_HTTP_CONFIG, useValue: workerHttpConfigFromEnv(env) }, WorkerHttpServer],
      exports: [WorkerHttpServer],
    };
  }
}
