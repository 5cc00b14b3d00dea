import * as fs from 'node:fs';
import * as path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import * as bodyParser from 'body-parser';
import helmet from 'helmet';
import serveStatic from 'serve-static';
import { ApiConfig } from './api.config';
import { AppModule } from './app.module';
import { ApiWrites } from './common/api-writes';
import { gracefulHttpClose } from './common/graceful-http-close';
import { LoopTurnBudget } from './common/loop-turn-budget';
import { MeridianExpressAdapter } from './common/meridian-express-adapter';
import { middlewareChain, whenBody } from './common/middleware-chain';
import { RequestsInFlight } from './common/requests-in-flight';
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

/** Where Express mounted the metrics before (`app.use('/metrics')`): the path or below, any case. */
function isMetricsPath(p: string): boolean {
  const lower = p.toLowerCase();
  return lower === '/metrics' || lower.startsWith('/metrics/');
}

/**
 * The built dashboard: its files, and the app shell for every other non-API GET (client-side
 * routes). Static files are looked up for everything but /api: mounted globally, serve-static
 * would stat the disk on every API request first (6.6 % of a cached breakdown's CPU, profiled:
 * docs/performance.md).
 */
function webApp(webDist: string, index: string) {
  const assets = serveStatic(webDist, { index: false, maxAge: '1h' });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/api')) return next();
    assets(req, res, (err?: unknown) => {
      if (err || req.method !== 'GET') return next(err);
      res.sendFile(index);
    });
  };
}

/** Builds the HTTP application: API under /api, the built web app (if any) at /. */
export async function createApiApp(config: ApiConfig): Promise<INestApplication> {
  // Logs made while the application starts are kept and written through pino once it exists.
  const adapter = new MeridianExpressAdapter();
  // bodyParser: false: the parsers are ours, in the chain below (Nest would add its defaults).
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(NestPinoLogger));
  // Every write through the api retires the answers and principals kept in memory (decision 0024).
  const apiWrites = app.get(ApiWrites);
  adapter.onWriteReply(() => apiWrites.written());
  const metrics = app.get(MeridianMetrics);
  app.setGlobalPrefix('api');
  app.disable('x-powered-by');
  // Behind a reverse proxy req.ip/secure come from X-Forwarded-* (rate limits, secure cookies).
  app.set('trust proxy', 'loopback');
  // CORS stays closed: the dashboard is served from the same origin as the API.
  app.enableShutdownHooks();
  const index = path.join(config.webDist, 'index.html');
  // Everything in front of the routes as one layer of Express's router (common/middleware-chain.ts),
  // in this order:
  app.use(
    middlewareChain(
      // First: every later middleware and handler logs under the request's id.
      app.get(RequestLogging).middleware,
      // Counted while served: the embedded sync gives way to them (decision 0030).
      app.get(RequestsInFlight).middleware,
      // SIGTERM: requests in flight finish and keep-alive connections close cleanly (common/graceful-http-close.ts).
      gracefulHttpClose(app.getHttpServer()),
      // Under saturation a turn of the loop starts at most this much request work; the rest start in
      // the next turns, with timers (the sync's slices, lock renewals) between (decision 0035).
      new LoopTurnBudget(config.loopTurnBudgetMs, () => metrics.httpRequestDeferred()).middleware,
      helmet({
        contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'", "'unsafe-inline'"] } },
      }),
      whenBody(
        // Requests are small JSON documents; anything bigger is refused (413) before it is parsed.
        bodyParser.json({ limit: '64kb' }),
        bodyParser.urlencoded({ limit: '64kb', extended: false }),
        // The one larger body: an ECB reference-rate history (POST /api/fx-rates/import), as text/csv.
        bodyParser.text({ limit: '8mb', type: 'text/csv' }),
      ),
      // Prometheus: outside /api (no session, no CSRF), loopback only unless MERIDIAN_METRICS_TOKEN is set.
      (req: Request, res: Response, next: NextFunction) =>
        req.method === 'GET' && isMetricsPath(req.path) ? void serveMetrics(metrics, config.metricsToken, req, res) : next(),
      httpMetrics(metrics),
      ...(fs.existsSync(index) ? [webApp(config.webDist, index)] : []),
    ),
  );
  return app;
}
