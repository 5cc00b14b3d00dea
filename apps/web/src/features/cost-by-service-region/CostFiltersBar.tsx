import type { Account } from '@meridian/contracts';
import { AccountFields, PeriodFields } from '../../ui/Filters';
import type { CostFilters } from './use-cost-filters';

export function CostFiltersBar({
  filters,
  accounts,
  onChange,
}: {
  filters: CostFilters;
  accounts: Account[];
  onChange: (patch: Partial<CostFilters>) => void;
}) {
  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <PeriodFields preset="custom" from={filters.from} to={filters.to} onChange={({ from, to }) => onChange({ from, to })} />
      <AccountFields accounts={accounts} accountIds={filters.accountIds} includeSandbox={filters.includeSandbox} onChange={onChange} />
    </form>
  );
}
