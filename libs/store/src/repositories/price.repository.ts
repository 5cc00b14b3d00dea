import { normalizeDecimal, type TieredPrice } from '@meridian/finops';
import { DataSource } from 'typeorm';
import { AccessScope } from '../access-scope';
import { DataSourceReader, StoreReader } from '../sqlite-read-pool';
import { PriceEntity } from '../entities/price.entity';
import { dialectOf, placeholders, SqlDialect } from './sql-dialect';
import { WriteLock } from './write-lock';

/** A rate-card meter as the sync writes it and readers get it (rates: threshold → unit price). */
export interface PriceRow {
  accountId: string;
  meterId: string;
  name: string;
  category: string;
  subcategory: string;
  region: string;
  unit: string;
  rates: Record<string, string>;
  includedQuantity: string;
  effectiveDate: string;
  currency: string;
  syncedAt: string;
  syncRunId: string;
}

export interface PriceSearch {
  /** Text in the meter name, category or subcategory (case-insensitive). */
  q?: string;
  category?: string;
  region?: string;
  limit: number;
  /** Keyset: the (name, meterId) of the last row of the previous page. */
  after?: { name: string; meterId: string };
}

/**
 * Each account's Azure rate card. Reads take the caller's access scope: an account outside it, or
 * seen only through some customers (the rate card is the partner's price list), reads as absent.
 */
export class PriceRepository {
  private readonly dialect: SqlDialect;

  constructor(
    private readonly ds: DataSource,
    private readonly writeLock: WriteLock,
    /** Where the rate-card search runs (a sort over an account's whole price list: off the event loop on an SQLite file). */
    private readonly reads: StoreReader = new DataSourceReader(ds),
  ) {
    this.dialect = dialectOf(ds);
  }

  /** Replaces the account's whole rate card in one transaction: readers see the old card or the new one. */
  async replaceForAccount(accountId: string, rows: readonly PriceRow[]): Promise<void> {
    if (rows.some((r) => r.accountId !== accountId)) throw new Error('replaceForAccount: every row must belong to the account');
    await this.writeLock.run(() =>
      this.ds.transaction(async (em) => {
        await em.query(`DELETE FROM price WHERE account_id = ${this.dialect.param(1)}`, [accountId]);
        const repo = em.getRepository(PriceEntity);
        for (let i = 0; i < rows.length; i += 500) await repo.insert(rows.slice(i, i + 500).map(toEntity));
      }),
    );
  }

  /** Whether the scope may read the account's prices. */
  visible(scope: AccessScope, accountId: string): boolean {
    return scope.allows(accountId) && !scope.customersOf(accountId);
  }

  /** One page of the account's rate card, by name; null when the scope may not see the account. */
  async search(scope: AccessScope, accountId: string, s: PriceSearch): Promise<PriceRow[] | null> {
    if (!this.visible(scope, accountId)) return null;
    const params: unknown[] = [accountId];
    const p = () => this.dialect.param(params.length);
    const clauses = [`account_id = ${p()}`];
    const needle = s.q?.trim().toLowerCase();
    if (needle) {
      const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      // One bound value per placeholder: SQLite's "?" are positional.
      const like = (col: string) => (params.push(pattern), `LOWER(${col}) LIKE ${p()} ESCAPE '\\'`);
      clauses.push(`(${like('name')} OR ${like('category')} OR ${like('subcategory')})`);
    }
    if (s.category) {
      params.push(s.category);
      clauses.push(`category = ${p()}`);
    }
    if (s.region) {
      params.push(s.region);
      clauses.push(`region = ${p()}`);
    }
    if (s.after) {
      params.push(s.after.name, s.after.meterId);
      clauses.push(`(name, meter_id) > (${placeholders(this.dialect, 2, params.length - 2)})`);
    }
    const limit = Math.max(1, Math.min(1000, Math.floor(s.limit)));
    const rows = await this.reads.query<Record<string, unknown>>(
      `SELECT * FROM price WHERE ${clauses.join(' AND ')} ORDER BY name, meter_id LIMIT ${limit}`,
      params,
    );
    return rows.map(fromRaw);
  }

  /** One meter; null when absent or outside the scope. */
  async get(scope: AccessScope, accountId: string, meterId: string): Promise<PriceRow | null> {
    if (!this.visible(scope, accountId)) return null;
    const row = await this.ds.getRepository(PriceEntity).findOneBy({ accountId, meterId });
    return row ? fromEntity(row) : null;
  }

  /** The account's tiered prices by meter id (the sync's lookup for legacy estimates). */
  async tieredPrices(accountId: string): Promise<Map<string, TieredPrice & { currency: string }>> {
    const rows = await this.ds.getRepository(PriceEntity).findBy({ accountId });
    return new Map(rows.map((r) => [r.meterId, { rates: JSON.parse(r.rates) as Record<string, string>, includedQuantity: normalizeDecimal(String(r.includedQuantity)), currency: r.currency }]));
  }

  async count(accountId: string): Promise<number> {
    return this.ds.getRepository(PriceEntity).countBy({ accountId });
  }
}

function toEntity(r: PriceRow): PriceEntity {
  return { ...r, rates: JSON.stringify(r.rates) };
}

function fromEntity(e: PriceEntity): PriceRow {
  return { ...e, rates: JSON.parse(e.rates) as Record<string, string>, includedQuantity: normalizeDecimal(String(e.includedQuantity)) };
}

function fromRaw(r: Record<string, unknown>): PriceRow {
  return fromEntity({
    accountId: String(r.account_id),
    meterId: String(r.meter_id),
    name: String(r.name),
    category: String(r.category),
    subcategory: String(r.subcategory),
    region: String(r.region),
    unit: String(r.unit),
    rates: String(r.rates),
    includedQuantity: String(r.included_quantity),
    effectiveDate: String(r.effective_date),
    currency: String(r.currency),
    syncedAt: String(r.synced_at),
    syncRunId: String(r.x_sync_run_id),
  });
}
