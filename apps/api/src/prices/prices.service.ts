import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ApiError, Price, PriceEstimate, PriceEstimateQuery, PriceList, PricesQuery } from '@meridian/contracts';
import { tierShares, toDecimal } from '@meridian/finops';
import { AccessScope, Store, type PriceRow } from '@meridian/store';

/** Keyset cursor: the (name, meter id) of a page's last row, base64url JSON. */
export function encodeCursor(row: Pick<PriceRow, 'name' | 'meterId'>): string {
  return Buffer.from(JSON.stringify([row.name, row.meterId])).toString('base64url');
}

export function decodeCursor(cursor: string): { name: string; meterId: string } {
  try {
    const [name, meterId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof name === 'string' && typeof meterId === 'string') return { name, meterId };
  } catch {
    // answered below
  }
  const body: ApiError = { statusCode: 400, error: 'Bad Request', message: 'Invalid query: cursor: must be a cursor returned by the previous page', issues: [{ field: 'cursor', message: 'must be a cursor returned by the previous page' }] };
  throw new BadRequestException(body);
}

function toPrice(r: PriceRow): Price {
  const tiers = Object.entries(r.rates)
    .map(([from, unitPrice]) => ({ from, unitPrice }))
    .sort((a, b) => toDecimal(a.from).comparedTo(toDecimal(b.from)));
  return { meterId: r.meterId, name: r.name, category: r.category, subcategory: r.subcategory, region: r.region, unit: r.unit, currency: r.currency, includedQuantity: r.includedQuantity, effectiveDate: r.effectiveDate, tiers };
}

const notFound = (what: string) => new NotFoundException({ statusCode: 404, error: 'Not Found', message: `${what} not found` });

/** Per-account rate card lookup (DESIGN §7) and the tiered price of a quantity. The store applies the scope. */
@Injectable()
export class PricesService {
  constructor(@Inject(Store) private readonly store: Store) {}

  async list(scope: AccessScope, accountId: string, q: PricesQuery): Promise<PriceList> {
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    // Another account (or one seen through some customers only) is a 404, as on every account route.
    const account = await this.store.accounts.get(scope, accountId);
    const rows = account ? await this.store.prices.search(scope, accountId, { q: q.q, category: q.category, region: q.region, limit: q.limit + 1, after }) : null;
    if (!rows) throw notFound(`account ${accountId}`);
    const page = rows.slice(0, q.limit);
    return { accountId, items: page.map(toPrice), nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]) : null };
  }

  async estimate(scope: AccessScope, q: PriceEstimateQuery): Promise<PriceEstimate> {
    const row = await this.store.prices.get(scope, q.accountId, q.meterId);
    if (!row) throw notFound(`price of meter ${q.meterId} in account ${q.accountId}`);
    const shares = tierShares(q.quantity, { rates: row.rates, includedQuantity: row.includedQuantity });
    return { accountId: row.accountId, meterId: row.meterId, name: row.name, unit: row.unit, currency: row.currency, quantity: toDecimal(q.quantity).toFixed(), ...shares };
  }
}
