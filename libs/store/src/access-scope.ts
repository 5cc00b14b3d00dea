/**
 * Which Partner Center accounts a request may touch. Every store read and write takes one, so no
 * caller can forget it (DESIGN §5). Until sign-in exists every caller gets `all()`.
 */
export class AccessScope {
  private constructor(private readonly accountIds: ReadonlySet<string> | 'all') {}

  static all(): AccessScope {
    return new AccessScope('all');
  }

  static accounts(ids: Iterable<string>): AccessScope {
    return new AccessScope(new Set(ids));
  }

  allows(accountId: string): boolean {
    return this.accountIds === 'all' || this.accountIds.has(accountId);
  }

  /** Narrows to the requested ids (never widens): ids outside the scope simply drop out. */
  narrow(requested: readonly string[] | undefined): AccessScope {
    if (!requested) return this;
    return AccessScope.accounts(requested.filter((id) => this.allows(id)));
  }

  /** The explicit id list, or undefined for "every account". */
  ids(): string[] | undefined {
    return this.accountIds === 'all' ? undefined : [...this.accountIds];
  }
}
