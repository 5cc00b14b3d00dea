import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { AuditEvent, CreateUserRequest, GrantInput, User } from '@meridian/contracts';
import { AccessScope, Store } from '@meridian/store';
import { AuthService } from '../auth/auth.service';
import { hashPassword } from '../auth/password-hash';

/** Users and grants, managed by the organisation owner. */
@Injectable()
export class UsersService {
  constructor(
    @Inject(Store) private readonly store: Store,
    private readonly auth: AuthService,
  ) {}

  async list(): Promise<{ items: User[] }> {
    return { items: await Promise.all((await this.store.users.list()).map((u) => this.auth.toUser(u))) };
  }

  async create(actorId: string, input: Required<Pick<CreateUserRequest, 'email' | 'displayName'>> & { password?: string; grants: GrantInput[] }): Promise<User> {
    if (await this.store.users.byEmail(input.email)) {
      throw new ConflictException({ statusCode: 409, error: 'Conflict', message: `a user with email ${input.email} exists`, issues: [{ field: 'email', message: 'already in use' }] });
    }
    await this.checkGrants(input.grants);
    const user = await this.store.users.create({
      email: input.email,
      displayName: input.displayName,
      passwordHash: input.password ? await hashPassword(input.password) : null,
    });
    for (const g of input.grants) await this.store.users.addGrant({ userId: user.id, ...g });
    await this.store.audit.record({ userId: actorId, action: 'user.create', target: user.email, details: { grants: input.grants } });
    return this.auth.toUser(user);
  }

  async replaceGrants(actorId: string, userId: string, grants: GrantInput[]): Promise<User> {
    const user = await this.store.users.byId(userId);
    if (!user) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `user ${userId} not found` });
    await this.checkGrants(grants);
    const before = await this.store.users.grantsOf(userId);
    await this.store.users.replaceGrants(userId, grants);
    await this.store.audit.record({
      userId: actorId,
      action: 'grant.replace',
      target: user.email,
      details: { before: before.map((g) => ({ accountId: g.accountId, role: g.role, customerId: g.customerId })), after: grants },
    });
    return this.auth.toUser(user);
  }

  async audit(limit: number): Promise<{ items: AuditEvent[] }> {
    const rows = await this.store.audit.list(limit);
    return { items: rows.map((r) => ({ id: r.id, at: r.at, userId: r.userId, action: r.action, target: r.target, details: JSON.parse(r.details), ip: r.ip })) };
  }

  /** Grants must name existing accounts; a customer-scoped grant needs one account. */
  private async checkGrants(grants: GrantInput[]): Promise<void> {
    const known = new Set((await this.store.accounts.list(AccessScope.all())).map((a) => a.id));
    const issues = grants.flatMap((g, i) => {
      if (g.accountId !== null && !known.has(g.accountId)) return [{ field: `grants.${i}.accountId`, message: `unknown account ${g.accountId}` }];
      if (g.customerId && g.accountId === null) return [{ field: `grants.${i}.customerId`, message: 'a customer-scoped grant names one account' }];
      return [];
    });
    if (issues.length) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `Invalid body: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues });
  }
}
