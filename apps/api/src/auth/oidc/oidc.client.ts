import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import type { OidcConfig } from './oidc.config';

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
}

const ALGORITHMS: Record<string, { hash: string; dsaEncoding?: 'ieee-p1363' }> = {
  RS256: { hash: 'sha256' },
  RS384: { hash: 'sha384' },
  RS512: { hash: 'sha512' },
  ES256: { hash: 'sha256', dsaEncoding: 'ieee-p1363' },
  ES384: { hash: 'sha384', dsaEncoding: 'ieee-p1363' },
};

const b64url = (buf: Buffer) => buf.toString('base64url');

export class OidcError extends Error {}

/**
 * Authorization-code flow with PKCE against one OpenID provider: discovery, the authorization
 * URL, the code exchange and ID-token verification (signature from the provider's JWKS, issuer,
 * audience, expiry, nonce). Written on node:crypto so the api needs no ESM-only dependency.
 */
export class OidcClient {
  private discovery?: Promise<Discovery>;
  private jwks?: { at: number; keys: (JsonWebKey & { kid?: string })[] };

  constructor(private readonly config: OidcConfig) {}

  static newFlowSecrets() {
    const verifier = b64url(randomBytes(32));
    return { state: b64url(randomBytes(16)), nonce: b64url(randomBytes(16)), verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
  }

  async authorizationUrl(state: string, nonce: string, challenge: string): Promise<string> {
    const d = await this.discover();
    const url = new URL(d.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: this.config.clientId,
      response_type: 'code',
      redirect_uri: this.config.redirectUrl,
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  /** Exchanges the code and returns the verified ID token claims. */
  async signIn(code: string, verifier: string, nonce: string): Promise<Record<string, unknown>> {
    const d = await this.discover();
    const res = await fetch(d.token_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(this.config.clientId)}:${encodeURIComponent(this.config.clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: this.config.redirectUrl, code_verifier: verifier }),
    });
    const body = (await res.json().catch(() => ({}))) as { id_token?: string; error?: string; error_description?: string };
    if (!res.ok || !body.id_token) throw new OidcError(`token endpoint refused the code: ${body.error ?? res.status}${body.error_description ? ` (${body.error_description})` : ''}`);
    return this.verifyIdToken(body.id_token, nonce);
  }

  async verifyIdToken(idToken: string, nonce: string): Promise<Record<string, unknown>> {
    const [h, p, s] = idToken.split('.');
    if (!h || !p || !s) throw new OidcError('ID token is not a JWS');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg: string; kid?: string };
    const alg = ALGORITHMS[header.alg];
    if (!alg) throw new OidcError(`ID token algorithm ${header.alg} is not accepted`);
    const jwk = await this.key(header.kid);
    const ok = verify(alg.hash, Buffer.from(`${h}.${p}`), { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: alg.dsaEncoding }, Buffer.from(s, 'base64url'));
    if (!ok) throw new OidcError('ID token signature is invalid');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    const d = await this.discover();
    const now = Math.floor(Date.now() / 1000);
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== d.issuer) throw new OidcError('ID token issuer does not match');
    if (!aud.includes(this.config.clientId)) throw new OidcError('ID token audience does not match');
    if (typeof claims.exp !== 'number' || claims.exp + 60 < now) throw new OidcError('ID token has expired');
    if (claims.nonce !== nonce) throw new OidcError('ID token nonce does not match');
    return claims;
  }

  async endSessionUrl(): Promise<string | undefined> {
    return (await this.discover()).end_session_endpoint;
  }

  private discover(): Promise<Discovery> {
    this.discovery ??= fetch(`${this.config.issuer}/.well-known/openid-configuration`).then(async (res) => {
      if (!res.ok) {
        this.discovery = undefined;
        throw new OidcError(`OpenID discovery failed: HTTP ${res.status}`);
      }
      return (await res.json()) as Discovery;
    });
    return this.discovery;
  }

  private async key(kid: string | undefined): Promise<JsonWebKey> {
    const find = () => this.jwks?.keys.find((k) => (kid ? k.kid === kid : k.use !== 'enc'));
    // Keys rotate: refetch when a kid is unknown (at most every 30 s).
    if (!find() && (!this.jwks || Date.now() - this.jwks.at > 30_000)) {
      const res = await fetch((await this.discover()).jwks_uri);
      if (!res.ok) throw new OidcError(`JWKS fetch failed: HTTP ${res.status}`);
      this.jwks = { at: Date.now(), keys: ((await res.json()) as { keys: (JsonWebKey & { kid?: string })[] }).keys };
    }
    const key = find();
    if (!key) throw new OidcError(`no signing key ${kid ?? ''} at the provider`);
    return key;
  }
}
