import { RATE_SOURCES, type RateSource } from '@meridian/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { useAccounts, useMe, useSettings } from '../../api/hooks';
import { shiftMonth, thisMonth } from '../../ui/dates';
import { canEverywhere } from '../../ui/permissions';
import { RateConflicts, sourceLabel } from '../../ui/reporting';
import { ErrorState, Loading } from '../../ui/States';
import { DataTable } from '../../ui/DataTable';

/**
 * The organisation's reporting currency (cost pages open consolidated in it) and the precedence of
 * rate sources; below, the rates Microsoft applied on its own line items.
 */
export function ReportingSection() {
  const me = useMe();
  const settings = useSettings();
  const accounts = useAccounts();
  const queryClient = useQueryClient();
  const mayWrite = canEverywhere(me.data, 'manage');
  const [currency, setCurrency] = useState('');
  const [sources, setSources] = useState<{ source: RateSource; on: boolean }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    if (!settings.data) return;
    setCurrency(settings.data.reportingCurrency ?? '');
    const on = settings.data.rateSources;
    setSources([
      ...on.map((s) => ({ source: s, on: true })),
      ...RATE_SOURCES.filter((s) => !on.includes(s)).map((s) => ({ source: s, on: false })),
    ]);
  }, [settings.data]);
  const to = thisMonth();
  const from = shiftMonth(to, -2);
  const billing = useQuery({ queryKey: ['billing-rates', from, to], queryFn: ({ signal }) => api.billingRates(from, to, signal) });

  if (settings.isPending) return <Loading what="settings" />;
  if (settings.isError) return <ErrorState error={settings.error} />;
  const choices = [
    ...new Set([...(accounts.data?.items ?? []).map((a) => a.currency), 'EUR', 'USD', 'GBP', ...(currency ? [currency] : [])]),
  ].sort();
  const move = (i: number, by: number) => {
    const next = [...sources];
    const [item] = next.splice(i, 1);
    next.splice(i + by, 0, item);
    setSources(next);
  };
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      await api.putSettings({ reportingCurrency: currency || null, rateSources: sources.filter((s) => s.on).map((s) => s.source) });
      setDone('Saved. Cost pages now open with these settings.');
      // Every converted figure may change with the currency or the precedence.
      await queryClient.invalidateQueries();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <form aria-labelledby="reporting-form-heading" onSubmit={save} data-testid="reporting-settings">
        <h3 id="reporting-form-heading">Reporting currency and rate sources</h3>
        <div className="form-grid">
          <label>
            Reporting currency
            <select value={currency} disabled={!mayWrite} onChange={(e) => setCurrency(e.target.value)} name="reportingCurrency">
              <option value="">(none: each billing currency apart)</option>
              {choices.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset>
          <legend>Rate sources, first match wins</legend>
          <p className="kpi-note">
            A conversion uses the first source, in this order, that has the pair for the month on its own (direct, inverse, or crossed
            through EUR for the table, through the pricing currency for Microsoft). Sources are never mixed within one rate, except manual
            and ECB rates of the same table as a last resort.
          </p>
          <ol className="source-order">
            {sources.map((s, i) => (
              <li key={s.source} data-source={s.source}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={s.on}
                    disabled={!mayWrite}
                    onChange={(e) => setSources(sources.map((x) => (x.source === s.source ? { ...x, on: e.target.checked } : x)))}
                  />
                  {sourceLabel(s.source)}
                </label>{' '}
                {mayWrite && (
                  <>
                    <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${sourceLabel(s.source)} up`}>
                      ↑
                    </button>
                    <button
                      type="button"
                      disabled={i === sources.length - 1}
                      onClick={() => move(i, 1)}
                      aria-label={`Move ${sourceLabel(s.source)} down`}
                    >
                      ↓
                    </button>
                  </>
                )}
              </li>
            ))}
          </ol>
        </fieldset>
        {mayWrite ? (
          <div className="form-actions">
            <button type="submit" className="primary">
              Save settings
            </button>
          </div>
        ) : (
          <p className="kpi-note">Only an admin of every account changes these settings.</p>
        )}
        {error !== null && <ErrorState error={error} />}
        {done && (
          <p role="status" className="result-ok">
            {done}
          </p>
        )}
      </form>

      <h3 id="billing-rates-heading">
        Microsoft&apos;s billing rates, {from} to {to}
      </h3>
      <p className="kpi-note">
        The pricing → billing currency rate Partner Center applied on the synced line items (pcToBCExchangeRate), per month; locked once the
        month is invoiced.
      </p>
      {billing.isPending && <Loading what="Microsoft's billing rates" />}
      {billing.isError && <ErrorState error={billing.error} />}
      {billing.data && <RateConflicts conflicts={billing.data.conflicts} />}
      {billing.data && billing.data.rates.length === 0 && billing.data.conflicts.length === 0 && (
        <p className="state state-empty">No line item priced in one currency and billed in another in these months.</p>
      )}
      {billing.data && billing.data.rates.length > 0 && (
        <DataTable
          testId="billing-rates"
          label="Microsoft's billing rates, table"
          rows={[
            ...billing.data.rates.map((r) => ({ key: `${r.base}${r.quote}${r.period}`, period: r.period, pair: `${r.base} → ${r.quote}`, rate: r.rate, kind: `as billed (dated ${r.rateDates.join(', ')})`, rows: r.rows as number | null, locked: r.locked })),
            ...billing.data.crossRates.map((r) => ({ key: `x${r.base}${r.quote}${r.period}`, period: r.period, pair: `${r.base} → ${r.quote}`, rate: r.rate, kind: `cross through ${r.via}`, rows: null, locked: r.locked })),
          ]}
          rowKey={(r) => r.key}
          columns={[
            { id: 'month', header: 'Month', rowHeader: true, value: (r) => r.period, cell: (r) => r.period },
            { id: 'pair', header: 'Pair', value: (r) => r.pair, cell: (r) => r.pair },
            { id: 'rate', header: 'Rate', numeric: true, value: (r) => r.rate, cell: (r) => r.rate },
            { id: 'kind', header: 'Kind', value: (r) => r.kind, cell: (r) => r.kind },
            { id: 'rows', header: 'Line items', numeric: true, value: (r) => r.rows, cell: (r) => r.rows ?? '—' },
            { id: 'locked', header: 'Locked', value: (r) => (r.locked ? 'yes' : 'no'), cell: (r) => (r.locked ? 'yes (invoiced)' : 'no') },
          ]}
        />
      )}
    </>
  );
}
