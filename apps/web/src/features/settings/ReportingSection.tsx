import { RATE_SOURCES, type RateSource } from '@meridian/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { useAccounts, useMe, useSettings } from '../../api/hooks';
import { shiftMonth, thisMonth } from '../../ui/dates';
import { canEverywhere } from '../../ui/permissions';
import { RateConflicts, sourceLabel } from '../../ui/reporting';
import { ErrorState, Loading } from '../../ui/States';

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
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="billing-rates-heading">
          <table data-testid="billing-rates">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">Pair</th>
                <th scope="col" className="num">
                  Rate
                </th>
                <th scope="col">Kind</th>
                <th scope="col" className="num">
                  Line items
                </th>
                <th scope="col">Locked</th>
              </tr>
            </thead>
            <tbody>
              {billing.data.rates.map((r) => (
                <tr key={`${r.base}${r.quote}${r.period}`}>
                  <th scope="row">{r.period}</th>
                  <td>
                    {r.base} → {r.quote}
                  </td>
                  <td className="num">{r.rate}</td>
                  <td>as billed (dated {r.rateDates.join(', ')})</td>
                  <td className="num">{r.rows}</td>
                  <td>{r.locked ? 'yes (invoiced)' : 'no'}</td>
                </tr>
              ))}
              {billing.data.crossRates.map((r) => (
                <tr key={`x${r.base}${r.quote}${r.period}`}>
                  <th scope="row">{r.period}</th>
                  <td>
                    {r.base} → {r.quote}
                  </td>
                  <td className="num">{r.rate}</td>
                  <td>cross through {r.via}</td>
                  <td className="num">—</td>
                  <td>{r.locked ? 'yes (invoiced)' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
