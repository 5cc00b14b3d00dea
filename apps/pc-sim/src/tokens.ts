/**
 * Stateless, HMAC-signed tokens: AAD-like access tokens (JWT-shaped) and opaque continuation
 * tokens. Keys derive from the seed, so a restarted simulator with the same seed accepts tokens
 * it issued before (like a real service would), and nothing is stored per token.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

function b64u(s: string | Buffer): string {
  return Buffer.from(s).toString('base64url');
}

export class Signer {
  private readonly key: Buffer;
  constructor(secret: string) {
    this.key = createHmac('sha256', 'pc-sim').update(secret).digest();
  }
  sign(purpose: string, payload: string): string {
    return createHmac('sha256', this.key).update(purpose).update('\u0000').update(payload).digest('base64url');
  }
  verify(purpose: string, payload: string, sig: string): boolean {
    const want = Buffer.from(this.sign(purpose, payload));
    const got = Buffer.from(sig);
    return want.length === got.length && timingSafeEqual(want, got);
  }
}

export interface AccessClaims {
  /** token resource (audience) */
  aud: string;
  iss: string;
  /** cloud id of the authority that issued it */
  cloud: string;
  tid: string;
  appid: string;
  /** simulator account id the tenant belongs to */
  acct: string;
  iat: number;
  nbf: number;
  exp: number;
  ver: '1.0' | '2.0';
  jti: string;
  /** App+User tokens only: the signed-in partner user and their role (partner-center-api.md §9). */
  upn?: string;
  role?: string;
  /** Application permissions (Graph tokens: PartnerBilling.Read.All when granted). */
  roles?: string[];
}

/** What a refresh token stands for (app+user, secure application model). */
export interface RefreshClaims {
  acct: string;
  appid: string;
  upn: string;
  role: string;
}

/** Stateless refresh token: `rt1.` + payload + signature (never expires in the simulator). */
export function issueRefreshToken(signer: Signer, c: RefreshClaims): string {
  const payload = b64u(JSON.stringify(c));
  return `rt1.${payload}.${signer.sign('refresh', payload)}`;
}

export function readRefreshToken(signer: Signer, token: string): RefreshClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'rt1' || !signer.verify('refresh', parts[1], parts[2])) return null;
  try {
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as RefreshClaims;
  } catch {
    return null;
  }
}

const JWT_HEADER = b64u(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'pc-sim' }));

export function issueAccessToken(signer: Signer, c: Omit<AccessClaims, 'jti'>): string {
  // (upn/role present = an app+user token)
  const payload = b64u(JSON.stringify({ ...c, jti: randomUUID() }));
  const body = `${JWT_HEADER}.${payload}`;
  return `${body}.${signer.sign('access', body)}`;
}

/** Returns the claims if the token is well-formed and signed by this simulator; else null. */
export function readAccessToken(signer: Signer, token: string): AccessClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  if (!signer.verify('access', `${parts[0]}.${parts[1]}`, parts[2])) return null;
  try {
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as AccessClaims;
  } catch {
    return null;
  }
}

/**
 * Continuation token: base64url(JSON cursor) + "." + HMAC over (scope, payload). The scope names
 * the account and query, so a token from another account or another query is refused.
 */
export function makeContinuation(signer: Signer, scope: string, cursor: Record<string, number>): string {
  const payload = b64u(JSON.stringify(cursor));
  return `${payload}.${signer.sign(`cont|${scope}`, payload).slice(0, 27)}`;
}

export function readContinuation(signer: Signer, scope: string, token: string): Record<string, number> | null {
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const payload = token.slice(0, dot);
  const sig = token.slice(dot + 1);
  const want = signer.sign(`cont|${scope}`, payload).slice(0, 27);
  if (want.length !== sig.length || !timingSafeEqual(Buffer.from(want), Buffer.from(sig))) return null;
  try {
    const v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (!v || typeof v !== 'object') return null;
    for (const x of Object.values(v)) if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) return null;
    return v as Record<string, number>;
  } catch {
    return null;
  }
}
