import { DataSource, Repository } from 'typeorm';
import { AuditEventEntity } from '../entities/audit-event.entity';

export interface AuditInput {
  userId: string | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export class AuditRepository {
  private readonly repo: Repository<AuditEventEntity>;

  constructor(ds: DataSource) {
    this.repo = ds.getRepository(AuditEventEntity);
  }

  async record(e: AuditInput): Promise<void> {
    await this.repo.insert({
      at: new Date().toISOString(),
      userId: e.userId,
      action: e.action,
      target: e.target ?? null,
      details: JSON.stringify(e.details ?? {}),
      ip: e.ip ?? null,
    });
  }

  list(limit = 200, before?: number): Promise<AuditEventEntity[]> {
    const qb = this.repo.createQueryBuilder('a').orderBy('a.id', 'DESC').take(limit);
    if (before) qb.where('a.id < :before', { before });
    return qb.getMany();
  }
}
