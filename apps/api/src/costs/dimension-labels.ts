import type { CostDimension } from '@meridian/contracts';
import { AccessScope, Store } from '@meridian/store';

/**
 * Display names for dimension keys: accounts, customers and subscriptions have names in the
 * catalog; the other dimensions are their own label. Only what the scope may see is looked up.
 */
export async function dimensionLabels(store: Store, scope: AccessScope, dimension: CostDimension | undefined, accountIds: readonly string[]): Promise<(key: string) => string> {
  const names = new Map<string, string>();
  if (dimension === 'account') {
    for (const a of await store.accounts.list(scope)) names.set(a.id, a.name);
  } else if (dimension === 'customer') {
    for (const c of await store.catalog.listCustomers(scope, accountIds)) names.set(c.id, c.companyName);
  } else if (dimension === 'subscription') {
    for (const accountId of accountIds) {
      const customers = (await store.catalog.listCustomers(scope, [accountId])).map((c) => c.id);
      for (const s of await store.catalog.listSubscriptions(accountId, customers)) names.set(s.id, s.friendlyName);
    }
  } else if (dimension === 'invoice') {
    names.set('', 'Unbilled');
  }
  return (key) => names.get(key) ?? (key === '' ? '(none)' : key);
}
