/**
 * One HTTP exchange with a timeout, turned into either a complete response (status, headers, text)
 * or a retryable PartnerCenterError (network/timeout). Used by the API transport and the token cache.
 */
import { PartnerCenterError } from './errors';
import type { Redactor } from './redact';

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface ExchangeContext {
  fetch: typeof fetch;
  timeoutMs: number;
  redactor: Redactor;
  requestId: string;
  correlationId?: string;
}

/**
 * Sends the request and reads the whole body under one AbortController deadline, so a server that
 * stalls mid-body also times out.
 */
export async function exchange(url: string, init: RequestInit & { method: string }, ctx: ExchangeContext): Promise<RawResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ctx.timeoutMs);
  const fail = (err: unknown): PartnerCenterError => {
    const timedOut = controller.signal.aborted;
    return new PartnerCenterError({
      kind: timedOut ? 'timeout' : 'network',
      status: 0,
      description: ctx.redactor.text(timedOut ? `no complete answer within ${ctx.timeoutMs} ms` : describeNetworkError(err)),
      requestId: ctx.requestId,
      correlationId: ctx.correlationId,
      method: init.method,
      url: safeUrl(url),
      retryable: true,
    });
  };
  try {
    let res: Response;
    try {
      res = await ctx.fetch(url, { ...init, signal: controller.signal });
    } catch (err) {
      throw fail(err);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw fail(err);
    }
    return { status: res.status, headers: res.headers, text };
  } finally {
    clearTimeout(timer);
  }
}

/** Message of a fetch failure including its cause (e.g. "fetch failed (ECONNRESET: socket hang up)"). */
function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return 'network error';
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${err.message} (${typeof code === 'string' ? `${code}: ` : ''}${cause.message})`;
  }
  return err.message;
}

/** URL without query-string credentials or user info (there should be none; belt and braces). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
