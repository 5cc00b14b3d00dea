import { DataSource, Repository } from 'typeorm';
import { GraphExportCheckpointEntity } from '../entities/graph-export-checkpoint.entity';

export interface GraphExportCheckpoint {
  operationUrl: string;
  eTag: string | null;
  blobIndex: number;
  lineInBlob: number;
  /** Sync runs that wrote rows under this export so far. */
  runIds: string[];
}

export type StoredGraphExportCheckpoint = GraphExportCheckpoint & { updatedAt: string };

/** Checkpoints of Graph billing exports, per account and export key (docs/decisions/0015). */
export class GraphExportCheckpointRepository {
  private readonly repo: Repository<GraphExportCheckpointEntity>;

  constructor(ds: DataSource) {
    this.repo = ds.getRepository(GraphExportCheckpointEntity);
  }

  async get(accountId: string, exportKey: string): Promise<StoredGraphExportCheckpoint | null> {
    const row = await this.repo.findOneBy({ accountId, exportKey });
    if (!row) return null;
    return { operationUrl: row.operationUrl, eTag: row.etag, blobIndex: row.blobIndex, lineInBlob: row.lineInBlob, runIds: JSON.parse(row.runIds) as string[], updatedAt: row.updatedAt };
  }

  async save(accountId: string, exportKey: string, c: GraphExportCheckpoint): Promise<void> {
    await this.repo.upsert(
      { accountId, exportKey, operationUrl: c.operationUrl, etag: c.eTag, blobIndex: c.blobIndex, lineInBlob: c.lineInBlob, runIds: JSON.stringify(c.runIds), updatedAt: new Date().toISOString() },
      ['accountId', 'exportKey'],
    );
  }

  async delete(accountId: string, exportKey: string): Promise<void> {
    await this.repo.delete({ accountId, exportKey });
  }
}
