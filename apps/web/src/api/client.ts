import type { AccountList, ApiError, BreakdownResponse, CostSummaryResponse } from '@meridian/contracts';

/** An API answer that was not 2xx, with the server's message and field-level issues. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ApiError>,
  ) {
    super(body.message ?? `HTTP ${status}`);
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { Accept: 'application/json' }, signal });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiRequestError(res.status, body as Partial<ApiError>);
  return body as T;
}

export interface CostQuery {
  from: string;
  to: string;
  accountIds?: string[];
  includeSandbox?: boolean;
}

function costParams(q: CostQuery): URLSearchParams {
  const p = new URLSearchParams({ from: q.from, to: q.to });
  if (q.accountIds?.length) p.set('accountIds', q.accountIds.join(','));
  if (q.includeSandbox) p.set('includeSandbox', 'true');
  return p;
}

export const api = {
  accounts: (signal?: AbortSignal) => getJson<AccountList>('/api/accounts', signal),
  breakdown: (q: CostQuery & { groupBy: string[] }, signal?: AbortSignal) => {
    const p = costParams(q);
    p.set('groupBy', q.groupBy.join(','));
    return getJson<BreakdownResponse>(`/api/costs/breakdown?${p}`, signal);
  },
  summary: (q: CostQuery, signal?: AbortSignal) => getJson<CostSummaryResponse>(`/api/costs/summary?${costParams(q)}`, signal),
};
