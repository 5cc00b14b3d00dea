import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MeridianMetrics } from './metrics';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may read /metrics. Without a token: only a client on this machine (the socket's address, not
 * X-Forwarded-For, which anyone can send). With MERIDIAN_METRICS_TOKEN: a matching bearer token from
 * anywhere, compared in constant time.
 */
export function metricsAccess(req: Pick<IncomingMessage, 'headers' | 'socket'>, token: string | undefined): { allowed: true } | { allowed: false; status: 401 | 403; message: string } {
  if (token) {
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (match && sameSecret(match[1].trim(), token)) return { allowed: true };
    return { allowed: false, status: 401, message: 'metrics need the bearer token set in MERIDIAN_METRICS_TOKEN' };
  }
  if (LOOPBACK.has(req.socket.remoteAddress ?? '')) return { allowed: true };
  return { allowed: false, status: 403, message: 'metrics answer only on loopback unless MERIDIAN_METRICS_TOKEN is set' };
}

/** Constant-time comparison of two strings of any length (hashed first, so lengths leak nothing). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** GET /metrics for a plain Node HTTP handler or Express (both give IncomingMessage/ServerResponse). */
export async function serveMetrics(metrics: MeridianMetrics, token: string | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const access = metricsAccess(req, token);
  if (!access.allowed) {
    res.writeHead(access.status, { 'content-type': 'application/json', ...(access.status === 401 ? { 'www-authenticate': 'Bearer' } : {}) });
    res.end(JSON.stringify({ statusCode: access.status, message: access.message }));
    return;
  }
  try {
    const { contentType, body } = await metrics.exposition();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(body);
  } catch (err) {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statusCode: 500, message: `metrics failed: ${(err as Error).message}` }));
  }
}
