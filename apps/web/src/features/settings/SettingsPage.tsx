import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { NavLink, useParams } from 'react-router';
import { api, isNotFound } from '../../api/client';
import { useMe } from '../../api/hooks';
import { DataTable } from '../../ui/DataTable';
import { thisMonth } from '../../ui/dates';
import { can } from '../../ui/permissions';
import { ErrorState, Loading, NotAvailable } from '../../ui/States';
import { ChannelsSection } from './ChannelsSection';
import { ReportingSection } from './ReportingSection';
import { UsersPage } from './UsersPage';

/** The rate table (1 base = rate quote per month), manual entry and the ECB CSV import. */
function RatesSection() {
  const me = useMe();
  const queryClient = useQueryClient();
  const rates = useQuery({ queryKey: ['fx-rates'], queryFn: ({ signal }) => api.fxRates(signal), retry: false });
  const [form, setForm] = useState({ base: 'EUR', quote: 'USD', period: thisMonth(), rate: '' });
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const mayWrite = can(me.data, 'invoices');
  const after = async (message: string) => {
    setDone(message);
    await queryClient.invalidateQueries({ queryKey: ['fx-rates'] });
  };
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      const r = await api.putFxRates([{ ...form, base: form.base.toUpperCase(), quote: form.quote.toUpperCase() }]);
      await after(`Saved (${r.written} written, ${r.unchanged} unchanged).`);
    } catch (err) {
      setError(err);
    }
  };
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setDone(null);
    try {
      const r = await api.importEcb(await file.text());
      await after(`Imported ${r.written} rates (${r.unchanged} unchanged) for ${r.months} months: ${r.currencies.join(', ')}.`);
    } catch (err) {
      setError(err);
    }
  };
  if (rates.isPending) return <Loading what="exchange rates" />;
  if (rates.isError) return isNotFound(rates.error) ? <NotAvailable what="The exchange-rate table (FX API)" /> : <ErrorState error={rates.error} />;
  const items = [...rates.data.items].sort((a, b) => b.period.localeCompare(a.period) || a.base.localeCompare(b.base) || a.quote.localeCompare(b.quote));
  return (
    <>
      {items.length === 0 ? (
        <p className="state state-empty">No exchange rate entered yet: consolidated views in a reporting currency need them.</p>
      ) : (
        <DataTable
          testId="fx-rates"
          label="Exchange rates, table"
          rows={items}
          rowKey={(r) => `${r.base}${r.quote}${r.period}`}
          columns={[
            { id: 'month', header: 'Month', rowHeader: true, value: (r) => r.period, cell: (r) => r.period },
            { id: 'pair', header: 'Pair', value: (r) => `${r.base} → ${r.quote}`, cell: (r) => `${r.base} → ${r.quote}` },
            { id: 'rate', header: 'Rate', numeric: true, value: (r) => r.rate, cell: (r) => r.rate },
            { id: 'source', header: 'Source', value: (r) => r.source, cell: (r) => r.source },
            { id: 'locked', header: 'Locked', value: (r) => (r.locked ? 'yes' : 'no'), cell: (r) => (r.locked ? 'yes (month closed)' : 'no') },
          ]}
          virtualize
        />
      )}
      {mayWrite && (
        <>
          <h3 id="rate-form-heading">Enter a rate</h3>
          <form aria-labelledby="rate-form-heading" onSubmit={save}>
            <div className="form-grid">
              <label>
                Base <input required pattern="[A-Za-z]{3}" maxLength={3} value={form.base} onChange={(e) => setForm({ ...form, base: e.target.value })} />
              </label>
              <label>
                Quote <input required pattern="[A-Za-z]{3}" maxLength={3} value={form.quote} onChange={(e) => setForm({ ...form, quote: e.target.value })} />
              </label>
              <label>
                Month <input type="month" required value={form.period} onChange={(e) => setForm({ ...form, period: e.target.value })} />
              </label>
              <label>
                Rate (1 base in quote) <input required inputMode="decimal" pattern="[0-9]+([.][0-9]+)?" value={form.rate} onChange={(e) => setForm({ ...form, rate: e.target.value })} />
              </label>
            </div>
            <div className="form-actions">
              <button type="submit" className="primary">
                Save rate
              </button>
              <label>
                Import ECB reference rates (CSV) <input type="file" accept=".csv,text/csv" onChange={(e) => void importFile(e.target.files?.[0])} />
              </label>
            </div>
          </form>
        </>
      )}
      {error !== null && <ErrorState error={error} />}
      {done && (
        <p role="status" className="result-ok">
          {done}
        </p>
      )}
    </>
  );
}

const TABS = [
  { id: 'users', label: 'Users and grants', ownerOnly: true },
  { id: 'reporting', label: 'Reporting currency', ownerOnly: false },
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
        {current.id === 'reporting' && <ReportingSection />}
        {current.id === 'notifications' && <ChannelsSection />}
      </section>
    </>
  );
}
