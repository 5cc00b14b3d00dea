import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { createLogger, logSettingsFromEnv, type LogSettings } from './logger';
import { MeridianMetrics } from './metrics';

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

/** An incoming X-Request-Id is kept when it looks like an id (so a proxy's id follows the request). */
const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Metrics and structured logs of one process: one MeridianMetrics (one registry) for everything in
 * the application, and nestjs-pino over the process's root pino logger. HTTP applications also get
 * a request id (X-Request-Id, generated when absent) and one completion line per request: at debug
 * for success (so the hot path writes nothing at the default level), info for 4xx, error for 5xx.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const settings = options.log ?? logSettingsFromEnv();
    const logger = createLogger({ name: options.name, settings, destination: options.logDestination });
    const metrics = new MeridianMetrics();
    const levelOf = (status: number, err?: Error) => (err || status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug');
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            quietReqLogger: true,
            genReqId: (req: IncomingMessage, res: ServerResponse) => {
              const given = req.headers['x-request-id'];
              const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
              res.setHeader('X-Request-Id', id);
              return id;
            },
            customLogLevel: (_req, res, err) => {
              const level = levelOf(res.statusCode, err);
              return logger.isLevelEnabled(level) ? level : 'silent';
            },
            // Our serializers get the raw objects (no standard serialization of every header first).
            wrapSerializers: false,
            // The path only: a query string may carry an OIDC code or state.
            serializers: {
              req: (req: { method?: string; url?: string; originalUrl?: string }) => ({ method: req.method, path: (req.originalUrl ?? req.url ?? '').split('?')[0] }),
              res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
            },
            // undefined, not {}: pino-http makes a child logger for any object it gets.
            customProps: (req) => options.requestLogProps?.(req) as Record<string, unknown>,
          },
        }),
      ],
      providers: [{ provide: MeridianMetrics, useValue: metrics }],
      exports: [MeridianMetrics],
    };
  }
}
