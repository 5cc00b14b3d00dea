import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One Partner Center account (connection). The secret is stored encrypted (see secret-box.ts). */
@Entity({ name: 'account' })
export class AccountEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  cloud: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId: string;

  @Column({ name: 'app_id', type: 'varchar', length: 64 })
  appId: string;

  /** AES-256-GCM envelope "v1:<iv>:<tag>:<ciphertext>" (base64); never leaves the store decrypted except to the sync. */
  @Column({ name: 'secret_enc', type: 'text' })
  secretEnc: string;

  @Column({ name: 'api_base_url', type: 'varchar', length: 500 })
  apiBaseUrl: string;

  @Column({ name: 'token_url', type: 'varchar', length: 500 })
  tokenUrl: string;

  @Column({ name: 'token_resource', type: 'varchar', length: 500 })
  tokenResource: string;

  /** Microsoft Graph (billing export) base and v2 token URL; null = derived from the cloud. */
  @Column({ name: 'graph_base_url', type: 'varchar', length: 500, nullable: true })
  graphBaseUrl: string | null;

  @Column({ name: 'graph_token_url', type: 'varchar', length: 500, nullable: true })
  graphTokenUrl: string | null;

  /** auto (partner-center-api.md §5.4 decides) | graph | v1. */
  @Column({ name: 'usage_api', type: 'varchar', length: 8, default: 'auto' })
  usageApi: string;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ type: 'boolean', default: false })
  sandbox: boolean;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ name: 'sync_interval_minutes', type: 'integer', default: 60 })
  syncIntervalMinutes: number;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
