import type { InvalidRecord, RateCardMeter } from '@meridian/partner-center';
import type { PriceRow } from '@meridian/store';
import type { StreamContext, SyncStreamRunner } from './stream-context';

/** Column widths of the price table: a longer value is quarantined, never cut or left to fail the insert. */
const WIDTHS: [keyof RateCardMeter, number][] = [
  ['id', 64],
  ['name', 300],
  ['category', 200],
  ['subcategory', 200],
  ['region', 100],
  ['unit', 64],
];

/**
 * The account's Azure rate card (partner-center-api.md §8.1) in its billing currency, replacing the
 * stored card in one transaction. Malformed meters are quarantined with their reason; a card with
 * no usable meter at all leaves the stored one in place and fails the run.
 */
export class PricesStream implements SyncStreamRunner {
  readonly stream = 'prices' as const;

  async run(ctx: StreamContext): Promise<void> {
    const card = await ctx.client.rateCard(ctx.currency);
    if (card.currency !== ctx.currency.toUpperCase()) {
      throw new Error(`the rate card came in ${card.currency}, not in the account's billing currency ${ctx.currency}`);
    }
    const syncedAt = new Date().toISOString();
    const invalid: InvalidRecord[] = [...card.invalid];
    const rows = new Map<string, PriceRow>();
    for (const m of card.meters) {
      const long = WIDTHS.find(([key, width]) => String(m[key]).length > width);
      if (long) invalid.push({ record: m, reason: `${long[0]}: longer than ${long[1]} characters` });
      else if (rows.has(m.id)) invalid.push({ record: m, reason: `id: meter ${m.id} appears twice on the rate card (the first is kept)` });
      else {
        rows.set(m.id, {
          accountId: ctx.accountId,
          meterId: m.id,
          name: m.name,
          category: m.category,
          subcategory: m.subcategory,
          region: m.region,
          unit: m.unit,
          rates: { ...m.rates },
          includedQuantity: m.includedQuantity,
          effectiveDate: m.effectiveDate,
          currency: card.currency,
          syncedAt,
          syncRunId: ctx.runId,
        });
      }
    }
    await ctx.quarantine(invalid);
    if (rows.size === 0 && invalid.length > 0) throw new Error(`no usable meter on the rate card (${invalid.length} quarantined); the stored card is kept`);
    await ctx.store.prices.replaceForAccount(ctx.accountId, [...rows.values()]);
    await ctx.pageDone(rows.size);
  }
}
