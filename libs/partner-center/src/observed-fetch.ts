/**
 * Every HTTP exchange of a client, reported once per attempt (so each 429 and each retry counts),
 * for metrics. The report names the API and a path template, never a host, a query or a body.
 */

/** Which service an exchange went to. */
export type RequestApi = 'partner-center' | 'graph' | 'token' | 'blob';

export interface RequestObservation {
  api: RequestApi;
  method: string;
  /** Path with ids replaced by `:id`, e.g. `/v1/customers/:id/subscriptions`. */
  operation: string;
  /** HTTP status; 0 for a network failure or a timeout. */
  status: number;
  durationMs: number;
}

export type RequestObserver = (observation: RequestObservation) => void;

/**
 * A path segment kept as it is: a word (letters, `-`, `_`, one final digit as in `oauth2`) or an API
 * version (`v1.0`); anything else (GUIDs, invoice numbers, domain names) is an id.
 */
const KEPT_SEGMENT = /^(?:[A-Za-z][A-Za-z_-]{0,39}\d?|v\d+(?:\.\d+)?)$/;

/** `/v1/customers/1b2c…/subscriptions?x=y` → `/v1/customers/:id/subscriptions` (bounded label values). */
export function operationOf(url: string): string {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return '(invalid url)';
  }
  return pathname
    .split('/')
    .map((segment) => (segment === '' || KEPT_SEGMENT.test(segment) ? segment : ':id'))
    .join('/');
}

/**
 * Wraps `fetch` so each exchange is reported to `observer`; `apiOf` names the service of a URL.
 * Errors of the observer are swallowed: metrics never break a request.
 */
export function observedFetch(fetchFn: typeof fetch, observer: RequestObserver, apiOf: (url: string) => RequestApi, now: () => number = Date.now): typeof fetch {
  const report = (url: string, method: string, status: number, started: number) => {
    try {
      observer({ api: apiOf(url), method, operation: operationOf(url), status, durationMs: now() - started });
    } catch {
      // metrics must not fail a request
    }
  };
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const started = now();
    try {
      const res = await fetchFn(input, init);
      report(url, method, res.status, started);
      return res;
    } catch (err) {
      report(url, method, 0, started);
      throw err;
    }
  }) as typeof fetch;
}
