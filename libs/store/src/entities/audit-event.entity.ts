import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Sign-ins, failures, grant and connection changes, exports (DESIGN §5). Never secrets. */
@Entity({ name: 'audit_event' })
export class AuditEventEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 32 })
  at: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64, nullable: true })
  userId: string | null;

  /** e.g. auth.login, auth.login_failed, grant.create, token.revoke, account.connect */
  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  target: string | null;

  @Column({ type: 'text' })
  details: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;
}
