import { DataSource } from 'typeorm';
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

  async quarantine(rows: Omit<QuarantinedRecordEntity, 'id'>[]): Promise<void> {
    if (rows.length) await this.ds.getRepository(QuarantinedRecordEntity).insert(rows);
  }

  async countQuarantined(accountId: string): Promise<number> {
    return this.ds.getRepository(QuarantinedRecordEntity).countBy({ accountId });
  }
}
