import { randomBytes } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable, Logger, OnApplicationBootstrap, UnauthorizedException } from '@nestjs/common';
import type { GrantInput, User } from '@meridian/contracts';
import { Store, UserEntity } from '@meridian/store';
import { API_CONFIG, ApiConfig } from '../api.config';
import { ApiWrites } from '../common/api-writes';
import { LoginRateLimiter } from './login-rate-limiter';
import { hashPassword, verifyPassword } from './password-hash';
import type { Principal } from './permissions';

export const SESSION_COOKIE = 'meridian_session';
export const SESSION_TTL_MS = 12 * 3600_000;
const LOCK_AFTER_FAILURES = 5;
const LOCK_MS = 15 * 60_000;
const TOKEN_PREFIX = 'mrd_';
/**
 * A signed-in principal is reused this long without reading its session, user and grants again
 * (three queries on every request otherwise): any write through the api (a grant, a disabled user,
 * a sign-out, a revoked token) retires every reused principal at once; a change made outside the
 * api (the CLI) is seen within this time.
 */
const PRINCIPAL_REUSE_MS = 5_000;
const PRINCIPALS_KEPT = 1_000;

export interface AuthenticatedPrincipal extends Principal {
  via: 'session' | 'token';
  /** For session auth: the CSRF token writes must echo in X-CSRF-Token. */
  csrfToken: string | null;
}

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

/** Sign-in, sessions, API tokens and the first owner. */
@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');
  private readonly limiter = new LoginRateLimiter();
  /** A hash to verify against when the email is unknown, so timing does not reveal which emails exist. */
  private decoyHash?: Promise<string>;
  private readonly principals = new Map<string, { principal: AuthenticatedPrincipal; generation: number; until: number }>();

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly apiWrites: ApiWrites,
  ) {}

  /** First start: create the owner from MERIDIAN_OWNER_EMAIL/PASSWORD, or generate and print once. */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.store.users.count()) > 0) return;
    const email = this.config.ownerEmail ?? 'owner@meridian.local';
    const generated = !this.config.ownerPassword;
    const password = this.config.ownerPassword ?? random(18);
    await this.store.users.create({ email, displayName: 'Owner', passwordHash: await hashPassword(password), isOwner: true });
    await this.store.audit.record({ userId: null, action: 'user.create_owner', target: email });
    if (generated) {
      // Printed once, to the console only: it cannot be recovered later (reset it with the CLI or a new owner).
      console.log(`\n  Meridian owner account created: ${email}\n  password (shown once): ${password}\n`);
    } else {
      this.logger.log(`owner account ${email} created from MERIDIAN_OWNER_EMAIL / MERIDIAN_OWNER_PASSWORD`);
    }
  }

  async login(email: string, password: string, ip: string): Promise<{ user: UserEntity; sessionId: string; csrfToken: string }> {
    if (!this.limiter.attempt(ip)) {
      await this.store.audit.record({ userId: null, action: 'auth.login_throttled', target: email, ip });
      throw new HttpException({ statusCode: 429, error: 'Too Many Requests', message: 'Too many sign-in attempts; wait a minute.' }, HttpStatus.TOO_MANY_REQUESTS);
    }
    const user = await this.store.users.byEmail(email);
    if (user?.lockedUntil && Date.parse(user.lockedUntil) > Date.now()) {
      await this.store.audit.record({ userId: user.id, action: 'auth.login_locked', target: email, ip });
      throw new HttpException(
        { statusCode: 429, error: 'Too Many Requests', message: 'Too many failed sign-ins for this account; try again later.' },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const ok = user?.passwordHash && !user.disabled ? await verifyPassword(password, user.passwordHash) : await this.decoy(password);
    if (!user || !ok) {
      if (user) {
        const failures = user.failedLogins + 1;
        await this.store.users.update(user.id, {
          failedLogins: failures,
          lockedUntil: failures >= LOCK_AFTER_FAILURES ? new Date(Date.now() + LOCK_MS).toISOString() : null,
        });
      }
      await this.store.audit.record({ userId: user?.id ?? null, action: 'auth.login_failed', target: email, ip });
      throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password.' });
    }
    await this.store.users.update(user.id, { failedLogins: 0, lockedUntil: null });
    const session = await this.startSession(user.id);
    await this.store.audit.record({ userId: user.id, action: 'auth.login', target: email, ip });
    return { user, ...session };
  }

  /**
   * The user behind an OIDC identity: found by issuer+subject, else linked by a verified email, else
   * created. Their grants are what the provider's claims map to, replaced at every sign-in.
   */
  async upsertOidcUser(claims: Record<string, unknown>, issuer: string, grants: GrantInput[], ip: string): Promise<UserEntity> {
    const identity = `${issuer}|${String(claims.sub)}`;
    const email = typeof claims.email === 'string' ? claims.email : `${String(claims.sub)}@oidc.invalid`;
    let user = await this.store.users.byOidcIdentity(identity);
    if (!user && claims.email_verified === true) {
      user = await this.store.users.byEmail(email);
      if (user) await this.store.users.update(user.id, { oidcIdentity: identity });
    }
    user ??= await this.store.users.create({ email, displayName: typeof claims.name === 'string' ? claims.name : email, passwordHash: null, oidcIdentity: identity });
    if (user.disabled) throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: 'This user is disabled.' });
    if (!user.isOwner) await this.store.users.replaceGrants(user.id, grants);
    await this.store.audit.record({ userId: user.id, action: 'auth.oidc_login', target: email, details: { grants }, ip });
    return user;
  }

  async startSession(userId: string): Promise<{ sessionId: string; csrfToken: string }> {
    const sessionId = random(32);
    const csrfToken = random(24);
    await this.store.users.createSession(userId, sessionId, csrfToken, SESSION_TTL_MS);
    return { sessionId, csrfToken };
  }

  async logout(sessionId: string | undefined, userId: string): Promise<void> {
    if (sessionId) await this.store.users.deleteSession(sessionId);
    await this.store.audit.record({ userId, action: 'auth.logout' });
  }

  /** The caller, from a bearer API token or the session cookie; null if neither is valid. */
  async authenticate(authorization: string | undefined, sessionId: string | undefined): Promise<AuthenticatedPrincipal | null> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const key = bearer ? `token ${bearer}` : sessionId ? `session ${sessionId}` : undefined;
    if (!key) return null;
    const now = Date.now();
    const generation = this.apiWrites.generation;
    const kept = this.principals.get(key);
    if (kept && kept.generation === generation && now < kept.until) return kept.principal;
    const found = await this.lookUp(bearer, sessionId);
    this.principals.delete(key);
    if (!found) return null;
    this.principals.set(key, { principal: found.principal, generation, until: Math.min(now + PRINCIPAL_REUSE_MS, found.expiresAt) });
    if (this.principals.size > PRINCIPALS_KEPT) this.principals.delete(this.principals.keys().next().value!);
    return found.principal;
  }

  private async lookUp(bearer: string | undefined, sessionId: string | undefined): Promise<{ principal: AuthenticatedPrincipal; expiresAt: number } | null> {
    if (bearer) {
      const token = await this.store.users.tokenByValue(bearer);
      const principal = token ? await this.principal(token.userId, 'token', null) : null;
      return principal ? { principal, expiresAt: Infinity } : null;
    }
    const session = sessionId ? await this.store.users.sessionByValue(sessionId) : null;
    const principal = session ? await this.principal(session.userId, 'session', session.csrfToken) : null;
    return principal ? { principal, expiresAt: Date.parse(session!.expiresAt) } : null;
  }

  newTokenValue(): string {
    return TOKEN_PREFIX + random(32);
  }

  async toUser(user: UserEntity): Promise<User> {
    const grants = await this.store.users.grantsOf(user.id);
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      isOwner: user.isOwner,
      disabled: user.disabled,
      signIn: user.passwordHash && user.oidcIdentity ? 'both' : user.oidcIdentity ? 'oidc' : 'password',
      grants: grants.map((g) => ({ id: g.id, accountId: g.accountId, role: g.role as User['grants'][number]['role'], customerId: g.customerId })),
    };
  }

  private async principal(userId: string, via: 'session' | 'token', csrfToken: string | null): Promise<AuthenticatedPrincipal | null> {
    const user = await this.store.users.byId(userId);
    if (!user || user.disabled) return null;
    return { userId: user.id, isOwner: user.isOwner, grants: await this.store.users.grantsOf(user.id), via, csrfToken };
  }

  private async decoy(password: string): Promise<false> {
    this.decoyHash ??= hashPassword(random(16));
    await verifyPassword(password, await this.decoyHash);
    return false;
  }
}
