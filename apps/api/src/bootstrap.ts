import * as fs from 'node:fs';
import * as path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import serveStatic from 'serve-static';
import { ApiConfig } from './api.config';
import { AppModule } from './app.module';
import { ApiWrites } from './common/api-writes';
import { MeridianExpressAdapter } from './common/meridian-express-adapter';
import { MeridianMetrics, NestPinoLogger, RequestLogging, serveMetrics } from '@meridian/observability';

/**
 * One histogram observation per request, labelled by the route template Express matched (never the
 * raw path: ids would make a series each), `web` for the dashboard's files, `unmatched` otherwise.
 */
function httpMetrics(metrics: MeridianMetrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route: string | undefined = req.route?.path;
      const label = route ?? (req.originalUrl.startsWith('/api') ? 'unmatched' : req.originalUrl.startsWith('/metrics') ? '/metrics' : 'web');
      metrics.httpRequest(req.method, label, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
import { gracefulHttpClose } from './common/graceful-http-close';
import { RequestsInFlight } from './common/requests-in-flight';

/** Builds the HTTP application: API under /api, the built web app (if any) at /. */
export async function createApiApp(config: ApiConfig): Promise<INestApplication> {
  // Logs made while the application starts are kept and written through pino once it exists.
  const adapter = new MeridianExpressAdapter();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), adapter, { bufferLogs: true });
  app.useLogger(app.get(NestPinoLogger));
  // Every write through the api retires the answers and principals kept in memory (decision 0024).
  const apiWrites = app.get(ApiWrites);
  adapter.onWriteReply(() => apiWrites.written());
  const metrics = app.get(MeridianMetrics);
  app.setGlobalPrefix('api');
  // First: every later middleware and handler logs under the request's id.
  app.use(app.get(RequestLogging).middleware);
  // Counted while served: the embedded sync gives way to them (decision 0030).
  app.use(app.get(RequestsInFlight).middleware);
  // SIGTERM: requests in flight finish and keep-alive connections close cleanly (common/graceful-http-close.ts).
  app.use(gracefulHttpClose(app.getHttpServer()));
  app.disable('x-powered-by');
  // Behind a reverse proxy req.ip/secure come from X-Forwarded-* (rate limits, secure cookies).
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'", "'unsafe-inline'"] } },
    }),
  );
  // Requests are small JSON documents; anything bigger is refused (413) before it is parsed.
  app.useBodyParser('json', { limit: '64kb' });
  app.useBodyParser('urlencoded', { limit: '64kb', extended: false });
  // The one larger body: an ECB reference-rate history (POST /api/fx-rates/import), as text/csv.
  app.useBodyParser('text', { limit: '8mb', type: 'text/csv' });
  // CORS stays closed: the dashboard is served from the same origin as the API.
  app.enableShutdownHooks();
  // Prometheus: outside /api (no session, no CSRF), loopback only unless MERIDIAN_METRICS_TOKEN is set.
  app.use('/metrics', (req: Request, res: Response, next: NextFunction) => (req.method === 'GET' ? void serveMetrics(metrics, config.metricsToken, req, res) : next()));
  app.use(httpMetrics(metrics));
  const index = path.join(config.webDist, 'index.html');
  if (fs.existsSync(index)) {
    // Static files for everything but /api: mounted globally, serve-static would stat the disk on
    // every API request first (6.6 % of a cached breakdown's CPU, profiled: docs/performance.md).
    const assets = serveStatic(config.webDist, { index: false, maxAge: '1h' });
    app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/api') ? next() : assets(req, res, next)));
    // Client-side routes: every non-API GET that is not a file gets the app shell.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api')) return next();
      res.sendFile(index);
    });
  }
  return app;
}
