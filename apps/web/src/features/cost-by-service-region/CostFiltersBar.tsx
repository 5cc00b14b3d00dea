import type { Account } from '@meridian/contracts';
import { presetRange, type Preset } from '../../ui/dates';
import type { CostFilters } from './use-cost-filters';

const PRESETS: { id: Preset; label: string }[] = [
  { id: 'this-month', label: 'This month' },
  { id: 'last-month', label: 'Last month' },
  { id: 'last-3-months', label: 'Last 3 months' },
];

export function CostFiltersBar({
  filters,
  accounts,
  onChange,
}: {
  filters: CostFilters;
  accounts: Account[];
  onChange: (patch: Partial<CostFilters>) => void;
}) {
  const visible = accounts.filter((a) => filters.includeSandbox || !a.sandbox);
  const selected = new Set(filters.accountIds.length ? filters.accountIds : visible.map((a) => a.id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    // All selected is the default (and stays valid when accounts are added): keep the URL short.
    onChange({ accountIds: next.size === visible.length ? [] : visible.map((a) => a.id).filter((x) => next.has(x)) });
  };

  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <fieldset>
        <legend>Period</legend>
        <div className="presets" role="group" aria-label="Date presets">
          {PRESETS.map((p) => (
            <button key={p.id} type="button" onClick={() => onChange(presetRange(p.id))}>
              {p.label}
            </button>
          ))}
        </div>
        <label>
          From <input type="date" value={filters.from} max={filters.to} onChange={(e) => e.target.value && onChange({ from: e.target.value })} />
        </label>
        <label>
          To <input type="date" value={filters.to} min={filters.from} onChange={(e) => e.target.value && onChange({ to: e.target.value })} />
        </label>
      </fieldset>
      <fieldset>
        <legend>Accounts</legend>
        {visible.map((a) => (
          <label key={a.id} className="check">
            <input type="checkbox" checked={selected.has(a.id)} onChange={() => toggle(a.id)} /> {a.name}
          </label>
        ))}
        <label className="check">
          <input type="checkbox" checked={filters.includeSandbox} onChange={(e) => onChange({ includeSandbox: e.target.checked, accountIds: [] })} />{' '}
          Include Integration Sandbox
        </label>
      </fieldset>
    </form>
  );
}
