import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'customer' })
export class CustomerEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 64 })
  accountId: string;

  /** The customer's Azure AD tenant id, as Partner Center uses it. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'company_name', type: 'varchar', length: 300 })
  companyName: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  domain: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  country: string | null;

  @Column({ name: 'relationship_to_partner', type: 'varchar', length: 32, nullable: true })
  relationshipToPartner: string | null;

  @Column({ name: 'x_sync_run_id', type: 'varchar', length: 64 })
  syncRunId: string;
}
