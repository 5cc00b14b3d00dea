import { DataSource, In } from 'typeorm';
import { AccessScope } from '../access-scope';
import { CustomerEntity } from '../entities/customer.entity';
import { QuarantinedRecordEntity } from '../entities/quarantined-record.entity';
import { SubscriptionEntity } from '../entities/subscription.entity';

/** Customers, subscriptions and quarantined records: the small, non-cost tables the sync writes. */
export class CatalogRepository {
  constructor(private readonly ds: DataSource) {}

  async upsertCustomers(rows: CustomerEntity[]): Promise<void> {
    if (rows.length) await this.ds.getRepository(CustomerEntity).upsert(rows, ['accountId', 'id']);
  }

  async upsertSubscriptions(rows: SubscriptionEntity[]): Promise<void> {
    if (rows.length) await this.ds.getRepository(SubscriptionEntity).upsert(rows, ['accountId', 'id']);
  }

  async customerIds(accountId: string): Promise<string[]> {
    const rows = await this.ds.getRepository(CustomerEntity).find({ where: { accountId }, select: { id: true }, order: { id: 'ASC' } });
    return rows.map((r) => r.id);
  }

  /** Customers the scope may see (customer-scoped grants: only those customers), optionally by name. */
  async listCustomers(scope: AccessScope, accountIds: readonly string[], search?: string): Promise<CustomerEntity[]> {
    const visible = accountIds.filter((id) => scope.allows(id));
    if (visible.length === 0) return [];
    const rows = await this.ds.getRepository(CustomerEntity).find({ where: { accountId: In(visible) }, order: { companyName: 'ASC', id: 'ASC' } });
    const needle = search?.trim().toLowerCase();
    return rows.filter(
      (c) =>
        (scope.customersOf(c.accountId)?.includes(c.id) ?? true) &&
        (!needle || c.companyName.toLowerCase().includes(needle) || (c.domain ?? '').toLowerCase().includes(needle)),
    );
  }

  /** One customer, or null when it does not exist or the scope may not see it (callers answer 404). */
  async getCustomer(scope: AccessScope, accountId: string, customerId: string): Promise<CustomerEntity | null> {
    if (!scope.allows(accountId) || !(scope.customersOf(accountId)?.includes(customerId) ?? true)) return null;
    return this.ds.getRepository(CustomerEntity).findOneBy({ accountId, id: customerId });
  }

  /** Subscriptions of customers of the given accounts (plans, Azure subscriptions, legacy offers). */
  async listSubscriptions(accountId: string, customerIds: readonly string[]): Promise<SubscriptionEntity[]> {
    if (customerIds.length === 0) return [];
    return this.ds.getRepository(SubscriptionEntity).find({
      where: { accountId, customerId: In([...customerIds]) },
      order: { customerId: 'ASC', kind: 'ASC', friendlyName: 'ASC', id: 'ASC' },
    });
  }

  async quarantine(rows: Omit<QuarantinedRecordEntity, 'id'>[]): Promise<void> {
    if (rows.length) await this.ds.getRepository(QuarantinedRecordEntity).insert(rows);
  }

  async countQuarantined(accountId: string): Promise<number> {
    return this.ds.getRepository(QuarantinedRecordEntity).countBy({ accountId });
  }
}
