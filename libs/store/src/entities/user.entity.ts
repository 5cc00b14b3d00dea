import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A Meridian user: local (password) or signed in through OpenID Connect. */
@Entity({ name: 'app_user' })
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  /** Lower-cased. */
  @Column({ type: 'varchar', length: 320, unique: true })
  email: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName: string;

  /** scrypt envelope (see password-hash.ts); null for OIDC-only users. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  /** The organisation owner: every account, users and grants, the audit log. */
  @Column({ name: 'is_owner', type: 'boolean', default: false })
  isOwner: boolean;

  /** "issuer|subject" of an OIDC identity, if any. */
  @Column({ name: 'oidc_identity', type: 'varchar', length: 500, nullable: true })
  oidcIdentity: string | null;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @Column({ name: 'failed_logins', type: 'integer', default: 0 })
  failedLogins: number;

  @Column({ name: 'locked_until', type: 'varchar', length: 32, nullable: true })
  lockedUntil: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
