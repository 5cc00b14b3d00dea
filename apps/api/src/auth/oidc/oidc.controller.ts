import { Controller, ForbiddenException, Get, Inject, NotFoundException, Query, Req, Res } from '@nestjs/common';
import { Store } from '@meridian/store';
import type { Request, Response } from 'express';
import { API_CONFIG, ApiConfig } from '../../api.config';
import { Public } from '../auth.decorators';
import { cookie } from '../auth.guard';
import { AuthService, SESSION_COOKIE, SESSION_TTL_MS } from '../auth.service';
import { OidcClient, OidcError } from './oidc.client';
import { grantsFromClaims } from './oidc.config';
import { ApiDoc } from '../../openapi/api-doc.decorator';

const FLOW_COOKIE = 'meridian_oidc';
const FLOW_TTL_MS = 10 * 60_000;

/**
 * Sign-in with Microsoft Entra ID (or any OpenID provider): /api/auth/oidc/login redirects to the
 * provider; the callback verifies the ID token, checks the tenant, maps role/group claims to
 * grants, and opens a session. The flow's state/nonce/PKCE verifier travel in a signed cookie,
 * so any api replica can finish a flow another started.
 */
@Controller('auth/oidc')
export class OidcController {
  private readonly client?: OidcClient;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(Store) private readonly store: Store,
    private readonly auth: AuthService,
  ) {
    if (config.oidc) this.client = new OidcClient(config.oidc);
  }

  @ApiDoc({ tag: 'Sign-in', summary: 'Start OpenID Connect sign-in (redirect to the identity provider)', status: 302 })
  @Public()
  @Get('login')
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    const client = this.requireClient();
    const flow = OidcClient.newFlowSecrets();
    const payload = Buffer.from(JSON.stringify({ s: flow.state, n: flow.nonce, v: flow.verifier, e: Date.now() + FLOW_TTL_MS })).toString('base64url');
    res.cookie(FLOW_COOKIE, `${payload}.${this.store.secrets.sign(payload)}`, { httpOnly: true, sameSite: 'lax', secure: req.secure, maxAge: FLOW_TTL_MS, path: '/api/auth/oidc' });
    res.redirect(302, await client.authorizationUrl(flow.state, flow.nonce, flow.challenge));
  }

  @ApiDoc({ tag: 'Sign-in', summary: 'OpenID Connect redirect target', status: 302 })
  @Public()
  @Get('callback')
  async callback(@Query() q: Record<string, string>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const client = this.requireClient();
    const config = this.config.oidc!;
    const ip = req.ip ?? 'unknown';
    res.clearCookie(FLOW_COOKIE, { path: '/api/auth/oidc' });
    const [payload, signature] = (cookie(req, FLOW_COOKIE) ?? '').split('.');
    if (!payload || !signature || !this.store.secrets.verify(payload, signature)) throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'sign-in flow expired or was tampered with; start again' });
    const flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { s: string; n: string; v: string; e: number };
    if (flow.e < Date.now() || q.state !== flow.s) throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'sign-in state does not match; start again' });
    if (q.error || !q.code) throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `the identity provider refused the sign-in: ${q.error ?? 'no code'}` });

    let claims: Record<string, unknown>;
    try {
      claims = await client.signIn(q.code, flow.v, flow.n);
    } catch (err) {
      await this.store.audit.record({ userId: null, action: 'auth.oidc_failed', details: { reason: (err as Error).message }, ip });
      if (err instanceof OidcError) throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: err.message });
      throw err;
    }
    const tenant = typeof claims.tid === 'string' ? claims.tid : undefined;
    if (config.allowedTenants.length && (!tenant || !config.allowedTenants.includes(tenant))) {
      await this.store.audit.record({ userId: null, action: 'auth.oidc_tenant_refused', target: String(claims.email ?? claims.sub), details: { tid: tenant ?? null }, ip });
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `tenant ${tenant ?? '(none)'} is not allowed to sign in` });
    }
    const user = await this.auth.upsertOidcUser(claims, config.issuer, grantsFromClaims(claims, config), ip);
    const { sessionId } = await this.auth.startSession(user.id);
    res.cookie(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'lax', secure: req.secure, maxAge: SESSION_TTL_MS, path: '/' });
    res.redirect(302, '/');
  }

  private requireClient(): OidcClient {
    if (!this.client) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'OpenID Connect sign-in is not configured' });
    return this.client;
  }
}
