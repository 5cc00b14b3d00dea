import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A browser session: the cookie holds a random id, the store its SHA-256. */
@Entity({ name: 'user_session' })
export class SessionEntity {
  @PrimaryColumn({ name: 'id_hash', type: 'varchar', length: 64 })
  idHash: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** Double-submit CSRF token for cookie-authenticated writes. */
  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'expires_at', type: 'varchar', length: 32 })
  expiresAt: string;
}
