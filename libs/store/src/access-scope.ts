/**
 * Which Partner Center accounts — and, for customer-scoped grants, which customers of an account —
 * a request may touch. Every store read and write takes one, so no caller can forget it
 * (DESIGN §5). The api computes it once per request from the caller's grants.
 */
export class AccessScope {
  private constructor(
    private readonly accountIds: ReadonlySet<string> | 'all',
    /** Accounts seen only through some of their customers: account → customer ids. */
    private readonly customerLimits: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
  ) {}

  static all(): AccessScope {
    return new AccessScope('all');
  }

  static accounts(ids: Iterable<string>, customerLimits: ReadonlyMap<string, ReadonlySet<string>> = new Map()): AccessScope {
    const set = new Set(ids);
    return new AccessScope(set, new Map([...customerLimits].filter(([account]) => set.has(account))));
  }

  allows(accountId: string): boolean {
    return this.accountIds === 'all' || this.accountIds.has(accountId);
  }

  /** Narrows to the requested ids (never widens): ids outside the scope simply drop out. */
  narrow(requested: readonly string[] | undefined): AccessScope {
    if (!requested) return this;
    return AccessScope.accounts(
      requested.filter((id) => this.allows(id)),
      this.customerLimits,
    );
  }

  /** The explicit id list, or undefined for "every account". */
  ids(): string[] | undefined {
    return this.accountIds === 'all' ? undefined : [...this.accountIds];
  }

  /** Customer ids this scope is limited to in an account, or undefined if it sees all of them. */
  customersOf(accountId: string): string[] | undefined {
    const limit = this.customerLimits.get(accountId);
    return limit ? [...limit] : undefined;
  }

  /** One text per distinct scope (ids and customer limits sorted): a cache key part. */
  key(): string {
    if (this.accountIds === 'all') return '*';
    return JSON.stringify([...this.accountIds].sort().map((id) => [id, this.customerLimits.has(id) ? [...this.customerLimits.get(id)!].sort() : null]));
  }

  /** True if some account is seen through only some of its customers. */
  hasCustomerLimits(): boolean {
    return this.customerLimits.size > 0;
  }
}
