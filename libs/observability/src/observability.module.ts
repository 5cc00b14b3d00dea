import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { createLogger, logSettingsFromEnv, type LogSettings } from './logger';
import { MeridianMetrics } from './metrics';
import { requestLogging } from './request-logging';

export interface ObservabilityOptions {
  /** The process's name in every log line: `api`, `worker`. */
  name: string;
  /** Default: from LOG_LEVEL / LOG_PRETTY. */
  log?: LogSettings;
  /** Where JSON lines go (tests capture them); default stdout. */
  logDestination?: DestinationStream;
  /** Extra fields of a request's completion line, read when it finishes (e.g. the user id). */
  requestLogProps?: (req: IncomingMessage) => Record<string, unknown> | undefined;
}

/** The request id and completion line of an HTTP application's requests: mount `middleware` first (`app.use`). */
export class RequestLogging {
  constructor(readonly middleware: (req: IncomingMessage, res: ServerResponse, next: () => void) => void) {}
}

/**
 * Metrics and structured logs of one process: one MeridianMetrics (one registry) for everything in
 * the application, and nestjs-pino over the process's root pino logger (the Nest logger). HTTP
 * applications mount RequestLogging: a request id (X-Request-Id, generated when absent) in every
 * line of the request and one completion line per request: at debug for success (so the hot path
 * writes nothing at the default level), info for 4xx, error for 5xx.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const settings = options.log ?? logSettingsFromEnv();
    const logger = createLogger({ name: options.name, settings, destination: options.logDestination });
    const metrics = new MeridianMetrics();
    return {
      module: ObservabilityModule,
      imports: [
        // The Nest logger over our root logger. No pino-http middleware (forRoutes: none): it made two
        // child loggers per request; RequestLogging does the per-request part (decision 0022).
        LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] }),
      ],
      providers: [
        { provide: MeridianMetrics, useValue: metrics },
        { provide: RequestLogging, useValue: new RequestLogging(requestLogging(logger, { requestLogProps: options.requestLogProps })) },
      ],
      exports: [MeridianMetrics, RequestLogging],
    };
  }
}
