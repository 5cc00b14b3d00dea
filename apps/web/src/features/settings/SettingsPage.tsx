import { NavLink, useParams } from 'react-router';
import { isNotFound } from '../../api/client';
import { useMe, useOptional } from '../../api/hooks';
import { can } from '../../ui/permissions';
import { ErrorState, Loading, NotAvailable } from '../../ui/States';
import { ChannelsSection } from './ChannelsSection';
import { UsersPage } from './UsersPage';

type Row = Record<string, unknown>;

/** Rates as the API lists them (pair, period, rate, source, locked): shown column by column. */
function RatesSection() {
  const rates = useOptional<{ items?: Row[] }>('/api/fx-rates');
  if (rates.isPending) return <Loading what="exchange rates" />;
  if (rates.isError) return isNotFound(rates.error) ? <NotAvailable what="The exchange-rate table (FX API)" /> : <ErrorState error={rates.error} />;
  const items = rates.data.items ?? [];
  const columns = [...new Set(items.flatMap((r) => Object.keys(r)))];
  if (items.length === 0) return <p className="state state-empty">No exchange rate entered yet.</p>;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Exchange rates">
      <table data-testid="fx-rates">
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((r, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{String(r[c] ?? '')}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const TABS = [
  { id: 'users', label: 'Users and grants', ownerOnly: true },
  { id: 'rates', label: 'Exchange rates', ownerOnly: false },
  { id: 'notifications', label: 'Notification channels', ownerOnly: false },
] as const;

/** Settings: who sees what, the rates consolidated views convert with, where alerts go. */
export function SettingsPage() {
  const { tab } = useParams();
  const me = useMe();
  const tabs = TABS.filter((t) => !t.ownerOnly || can(me.data, 'users'));
  const current = tabs.find((t) => t.id === tab) ?? tabs[0];
  return (
    <>
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      <nav className="tabs" aria-label="Settings sections">
        {tabs.map((t) => (
          <NavLink key={t.id} to={`/settings/${t.id}`}>
            {t.label}
          </NavLink>
        ))}
      </nav>
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">{current.label}</h2>
        {current.id === 'users' && <UsersPage />}
        {current.id === 'rates' && (
          <>
            <p className="subtitle">
              Consolidated views convert each account&apos;s billing currency with these rates; a closed month&apos;s rates are locked.
            </p>
            <RatesSection />
          </>
        )}
        {current.id === 'notifications' && <ChannelsSection />}
      </section>
    </>
  );
}
