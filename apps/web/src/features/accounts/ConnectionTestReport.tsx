import type { ConnectionTestResult } from '@meridian/contracts';

function Check({ name, check, testId }: { name: string; check: { ok: boolean; error: string | null } | null | undefined; testId: string }) {
  if (!check) {
    return (
      <li data-testid={testId}>
        {name}: not used
      </li>
    );
  }
  return (
    <li data-testid={testId} className={check.ok ? 'result-ok' : 'result-bad'}>
      {name}: {check.ok ? 'ok' : `failed${check.error ? ` (${check.error})` : ''}`}
    </li>
  );
}

/** "Test connection": the overall answer, then each credential check on its own (which permission is missing). */
export function ConnectionTestReport({ test }: { test: ConnectionTestResult }) {
  return (
    <div role="status" data-testid="test-result" className="test-result">
      <p className={test.ok ? 'result-ok' : 'result-bad'}>
        {test.ok
          ? `Connection works: signed in and read ${test.customersOnFirstPage ?? 0} customers in ${test.elapsedMs} ms.`
          : `Connection failed after ${test.elapsedMs} ms: ${test.error}`}
      </p>
      <ul className="checks">
        <Check name="Partner Center" check={test.partnerCenter} testId="test-partner-center" />
        <Check name="Microsoft Graph billing export" check={test.graph} testId="test-graph" />
      </ul>
    </div>
  );
}
