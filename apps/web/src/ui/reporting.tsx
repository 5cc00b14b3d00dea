import type { AppliedRateDto, RateConflict } from '@meridian/contracts';
import { useSettings } from '../api/hooks';
import { DataTable, type DataColumn } from './DataTable';

/** URL value meaning "no reporting currency here, whatever the organisation default". */
export const EACH_CURRENCY = 'none';

/**
 * The reporting currency a cost page opens in: the URL's `currency` when given (`none` = each
 * billing currency), else the organisation's default from Settings. '' = none.
 */
export function useReportingCurrency(urlValue: string | null): { currency: string; orgDefault: string | null; settled: boolean } {
  const settings = useSettings();
  const orgDefault = settings.data?.reportingCurrency ?? null;
  if (urlValue === EACH_CURRENCY) return { currency: '', orgDefault, settled: true };
  if (urlValue) return { currency: urlValue, orgDefault, settled: true };
  // A failed settings read must not block the page: it falls back to each billing currency.
  return { currency: orgDefault ?? '', orgDefault, settled: !settings.isPending };
}

/**
 * The reporting-currency picker of a cost page. Choosing the organisation default clears the URL
 * parameter, so a bookmarked view follows later changes of the default.
 */
export function ReportingCurrencyField({
  value,
  orgDefault,
  choices,
  onChange,
}: {
  value: string;
  orgDefault: string | null;
  choices: string[];
  onChange: (urlValue: string | null) => void;
}) {
  const options = [...new Set([...choices, ...(orgDefault ? [orgDefault] : [])])].sort();
  return (
    <fieldset>
      <legend>Reporting currency</legend>
      <label>
        Consolidate into
        <select
          value={value || EACH_CURRENCY}
          onChange={(e) => {
            const v = e.target.value;
            onChange((v === EACH_CURRENCY && !orgDefault) || v === orgDefault ? null : v);
          }}
        >
          <option value={EACH_CURRENCY}>(none: each billing currency)</option>
          {options.map((c) => (
            <option key={c} value={c}>
              {c}
              {c === orgDefault ? ' (organisation default)' : ''}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}

/** Conflicting Microsoft rates: shown, never averaged; the month used another source or none. */
export function RateConflicts({ conflicts }: { conflicts: RateConflict[] }) {
  if (!conflicts.length) return null;
  return (
    <div className="state state-error" role="alert" data-testid="rate-conflicts">
      <p>Microsoft&apos;s billing rates disagree within a month; those rates were not used:</p>
      <ul>
        {conflicts.map((c) => (
          <li key={`${c.pair}${c.period}`}>
            {c.pair} in {c.period}:{' '}
            {c.observed.map((o) => `${o.rate} (${o.rows} line items, dated ${o.rateDates.join(', ')})`).join(' vs ')}
          </li>
        ))}
      </ul>
    </div>
  );
}

const RATE_COLUMNS: DataColumn<AppliedRateDto>[] = [
  { id: 'month', header: 'Month', rowHeader: true, value: (r) => r.period, cell: (r) => r.period },
  { id: 'from', header: 'From', value: (r) => r.from, cell: (r) => r.from },
  { id: 'to', header: 'To', value: (r) => r.to, cell: (r) => r.to },
  { id: 'factor', header: 'Factor', numeric: true, value: (r) => r.factor, cell: (r) => r.factor },
  { id: 'how', header: 'How', value: (r) => r.how, cell: (r) => r.how },
  { id: 'source', header: 'Source', value: (r) => sourceLabel(r.source), cell: (r) => sourceLabel(r.source) },
  { id: 'locked', header: 'Locked', value: (r) => (r.locked ? 'yes' : 'no'), cell: (r) => (r.locked ? 'yes (invoiced month)' : 'no') },
];

/** Every rate a converted figure used: one click away (a disclosure), with source, month and lock. */
export function RatesUsed({ ratesUsed, conflicts = [] }: { ratesUsed: AppliedRateDto[]; conflicts?: RateConflict[] }) {
  return (
    <>
      <RateConflicts conflicts={conflicts} />
      <details className="rates-used">
        <summary>Rates used ({ratesUsed.length})</summary>
        {ratesUsed.length === 0 ? (
          <p className="kpi-note">No conversion was needed: every amount is already in this currency.</p>
        ) : (
          <DataTable
            testId="rates-used"
            label="Exchange rates used"
            rows={ratesUsed}
            rowKey={(r) => `${r.from}${r.to}${r.period}`}
            rowProps={(r) => ({ 'data-source': r.source })}
            columns={RATE_COLUMNS}
            columnMenu={false}
          />
        )}
      </details>
    </>
  );
}

const SOURCE_LABELS: Record<string, string> = {
  manual: 'manual entry',
  microsoft: "Microsoft's billing rate",
  'ecb-csv': 'ECB reference rate',
};
export const sourceLabel = (s: string) =>
  s
    .split('+')
    .map((p) => SOURCE_LABELS[p] ?? p)
    .join(' + ');

/** Items grouped by currency, currencies in alphabetical order: one chart each. */
export function byCurrency<T extends { currency: string }>(items: readonly T[]): [string, T[]][] {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(i.currency, [...(m.get(i.currency) ?? []), i]);
  return [...m].sort(([a], [b]) => a.localeCompare(b));
}
