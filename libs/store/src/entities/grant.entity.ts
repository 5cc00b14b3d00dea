import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * (user, account or every account, role), optionally narrowed to one customer of the account.
 * Roles mirror Partner Center's admin/agent split (DESIGN §5).
 */
@Entity({ name: 'access_grant' })
export class GrantEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** null = every account, present and future. */
  @Column({ name: 'account_id', type: 'varchar', length: 64, nullable: true })
  accountId: string | null;

  /** admin | finance | ops | viewer */
  @Column({ type: 'varchar', length: 16 })
  role: string;

  /** A customer-scoped grant sees only this customer's data of the account. */
  @Column({ name: 'customer_id', type: 'varchar', length: 64, nullable: true })
  customerId: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
