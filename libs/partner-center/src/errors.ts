/**
 * Errors raised by the Partner Center client.
 *
 * Messages and fields carry request ids, statuses and Partner Center error numbers only; the app
 * secret and access tokens are scrubbed (see redact.ts) before an error is built.
 */

/** What went wrong, independent of the HTTP status. */
export type PartnerCenterErrorKind =
  /** The API answered with a non-2xx status. */
  | 'http'
  /** Connection refused/reset, DNS failure, body cut off mid-stream. */
  | 'network'
  /** No complete answer within `timeoutMs`. */
  | 'timeout'
  /** 2xx answer whose body is not valid (e.g. truncated) JSON. */
  | 'invalid-body'
  /** 2xx JSON answer that does not have the documented envelope shape. */
  | 'invalid-response'
  /** The token endpoint refused the client credentials or answered unusably. */
  | 'auth'
  /** Microsoft Graph answered 403: the app lacks an application permission (the description says which). */
  | 'permission'
  /** A Graph billing export failed, never finished, or its blobs could not be read within the bounds. */
  | 'export';

export interface PartnerCenterErrorInit {
  kind: PartnerCenterErrorKind;
  /** HTTP status; 0 when no HTTP answer was received (network, timeout). */
  status: number;
  /** Partner Center error number (`code` of the error body) or the token endpoint's `error`. */
  code?: number | string;
  /** `description` of the error body (or `message` of a throttling body). */
  description?: string;
  /** The MS-RequestId sent with the failed request (reused across its retries). */
  requestId: string;
  correlationId?: string;
  method: string;
  /** Request URL (never contains credentials). */
  url: string;
  retryable: boolean;
  /** Server-requested wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
}

export class PartnerCenterError extends Error {
  override readonly name = 'PartnerCenterError';
  readonly kind: PartnerCenterErrorKind;
  readonly status: number;
  readonly code?: number | string;
  readonly description?: string;
  readonly requestId: string;
  readonly correlationId?: string;
  readonly method: string;
  readonly url: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  /** Number of attempts made before giving up (set by the retry loop). */
  attempts = 1;

  constructor(init: PartnerCenterErrorInit, message?: string) {
    super(message ?? PartnerCenterError.describe(init));
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.description = init.description;
    this.requestId = init.requestId;
    this.correlationId = init.correlationId;
    this.method = init.method;
    this.url = init.url;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
  }

  private static describe(init: PartnerCenterErrorInit): string {
    const what =
      init.kind === 'http' || init.kind === 'auth' || init.kind === 'permission'
        ? `HTTP ${init.status}${init.code !== undefined ? ` (code ${String(init.code)})` : ''}`
        : init.kind;
    const desc = init.description ? `: ${init.description}` : '';
    return `Partner Center ${init.method} ${init.url} failed with ${what}${desc} [MS-RequestId ${init.requestId}]`;
  }
}
