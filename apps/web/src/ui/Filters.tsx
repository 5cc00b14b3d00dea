import type { Account } from '@meridian/contracts';
import { PRESETS, presetRange } from './dates';
import type { DatePreset } from '@meridian/contracts';

/** Date range with presets (MTD, last month, last 3/6/12 months) and a custom from/to. */
export function PeriodFields({
  preset,
  from,
  to,
  onChange,
}: {
  preset: DatePreset | 'custom';
  from: string;
  to: string;
  onChange: (v: { preset: DatePreset | 'custom'; from: string; to: string }) => void;
}) {
  const active = preset !== 'custom' ? preset : PRESETS.find((p) => { const r = presetRange(p.id); return r.from === from && r.to === to; })?.id;
  return (
    <fieldset>
      <legend>Period</legend>
      <div className="presets" role="group" aria-label="Date presets">
        {PRESETS.map((p) => (
          <button key={p.id} type="button" aria-pressed={active === p.id} onClick={() => onChange({ preset: p.id, ...presetRange(p.id) })}>
            {p.label}
          </button>
        ))}
      </div>
      <label>
        From <input type="date" value={from} max={to} onChange={(e) => e.target.value && onChange({ preset: 'custom', from: e.target.value, to })} />
      </label>
      <label>
        To <input type="date" value={to} min={from} onChange={(e) => e.target.value && onChange({ preset: 'custom', from, to: e.target.value })} />
      </label>
    </fieldset>
  );
}

/** Account checkboxes (all = none selected, so new accounts join saved views) and the sandbox switch. */
export function AccountFields({
  accounts,
  accountIds,
  includeSandbox,
  onChange,
}: {
  accounts: Account[];
  accountIds: string[];
  includeSandbox: boolean;
  onChange: (v: { accountIds: string[]; includeSandbox: boolean }) => void;
}) {
  const visible = accounts.filter((a) => includeSandbox || !a.sandbox);
  const selected = new Set(accountIds.length ? accountIds : visible.map((a) => a.id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange({ includeSandbox, accountIds: next.size === visible.length ? [] : visible.map((a) => a.id).filter((x) => next.has(x)) });
  };
  return (
    <fieldset>
      <legend>Accounts</legend>
      {visible.map((a) => (
        <label key={a.id} className="check">
          <input type="checkbox" checked={selected.has(a.id)} onChange={() => toggle(a.id)} /> {a.name}
        </label>
      ))}
      <label className="check">
        <input type="checkbox" checked={includeSandbox} onChange={(e) => onChange({ includeSandbox: e.target.checked, accountIds: [] })} /> Include Integration
        Sandbox
      </label>
    </fieldset>
  );
}
