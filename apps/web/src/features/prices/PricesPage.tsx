import type { Price, PriceList } from '@meridian/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { useAccounts } from '../../api/hooks';
import { DataTable } from '../../ui/DataTable';
import { Empty, ErrorState, Loading } from '../../ui/States';
import { useUrlParams } from '../../ui/url-state';

const PAGE = 50;

/** "0 → 0.0184 · 51,200 → 0.01748": each tier's threshold and unit price, exact as the API sends them. */
function Tiers({ price }: { price: Price }) {
  return (
    <ul className="tiers" aria-label={`Tiers of ${price.name}`}>
      {price.tiers.map((t) => (
        <li key={t.from}>
          <span className="kpi-note">from {t.from}</span> <span data-testid="unit-price">{t.unitPrice}</span>
        </li>
      ))}
    </ul>
  );
}

/** An account's Azure rate card: search by meter name or category, tiers and included quantity per meter. */
export function PricesPage() {
  const [params, set] = useUrlParams();
  const accounts = useAccounts();
  const production = (accounts.data?.items ?? []).filter((a) => a.enabled);
  const accountId = params.get('account') ?? production[0]?.id ?? null;
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);
  const prices = useInfiniteQuery({
    queryKey: ['prices', accountId, q],
    enabled: accountId !== null,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const search = new URLSearchParams({ limit: String(PAGE), ...(q ? { q } : {}), ...(pageParam ? { cursor: pageParam } : {}) });
      return api.raw<PriceList>(`/api/accounts/${encodeURIComponent(accountId!)}/prices?${search}`, signal);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = prices.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <header className="page-header">
        <h1>Prices</h1>
        <p className="subtitle">Azure rate card of an account (legacy Azure offers): unit price per tier, in the account&apos;s billing currency</p>
      </header>
      <form
        className="filters"
        aria-label="Price search"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: draft.trim() || null });
        }}
      >
        <fieldset>
          <legend>Account and search</legend>
          <label>
            Account{' '}
            <select value={accountId ?? ''} onChange={(e) => set({ account: e.target.value, q: null })} disabled={production.length === 0}>
              {production.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.currency})
                </option>
              ))}
            </select>
          </label>
          <label>
            Meter name or category <input type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
          </label>
          <button type="submit">Search</button>
        </fieldset>
      </form>
      <section aria-labelledby="prices-heading">
        <h2 id="prices-heading">Meters</h2>
        {accounts.isError && <ErrorState error={accounts.error} />}
        {accounts.data && production.length === 0 && <Empty>No account to show prices for.</Empty>}
        {accountId !== null && prices.isPending && <Loading what="prices" />}
        {prices.isError && <ErrorState error={prices.error} />}
        {prices.data && items.length === 0 && <Empty>{q ? `No meter matches “${q}”.` : 'No rate card synced yet for this account.'}</Empty>}
        {items.length > 0 && (
          <DataTable
            testId="prices-table"
            className="stack"
            label="Prices, table"
            caption={
              <>
                {items.length} meter{items.length === 1 ? '' : 's'}
                {prices.hasNextPage ? ' so far' : ''} · unit prices in {items[0].currency}
              </>
            }
            rows={items}
            rowKey={(p) => p.meterId}
            rowProps={(p) => ({ 'data-meter': p.meterId })}
            columns={[
              {
                id: 'meter',
                header: 'Meter',
                rowHeader: true,
                value: (p) => p.name,
                cell: (p) => (
                  <>
                    {p.name}
                    <div className="kpi-note">{p.meterId}</div>
                  </>
                ),
              },
              {
                id: 'category',
                header: 'Category',
                value: (p) => p.category,
                cell: (p) => (
                  <>
                    {p.category}
                    {p.subcategory && <div className="kpi-note">{p.subcategory}</div>}
                  </>
                ),
              },
              { id: 'region', header: 'Region', value: (p) => p.region, cell: (p) => p.region },
              { id: 'unit', header: 'Unit', value: (p) => p.unit, cell: (p) => p.unit },
              { id: 'included', header: 'Included', numeric: true, value: (p) => p.includedQuantity, cell: (p) => p.includedQuantity },
              { id: 'tiers', header: 'Unit price by tier', sortable: false, cell: (p) => <Tiers price={p} /> },
            ]}
            virtualize
          />
        )}
        {prices.hasNextPage && (
          <button type="button" onClick={() => void prices.fetchNextPage()} disabled={prices.isFetchingNextPage}>
            {prices.isFetchingNextPage ? 'Loading more…' : 'Show more meters'}
          </button>
        )}
      </section>
    </>
  );
}
