import type {
  AccountList,
  ApiError,
  BreakdownResponse,
  CostSummaryResponse,
  CreateUserRequest,
  GrantInput,
  MeResponse,
  User,
} from '@meridian/contracts';

/** An API answer that was not 2xx, with the server's message and field-level issues. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ApiError>,
  ) {
    super(body.message ?? `HTTP ${status}`);
  }
}

/** The session's CSRF token (from sign-in or /auth/me): echoed on every write. */
let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, credentials: 'same-origin' });
  const parsed = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiRequestError(res.status, parsed as Partial<ApiError>);
  return parsed as T;
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
  me: (signal?: AbortSignal) => request<MeResponse>('GET', '/api/auth/me', undefined, signal),
  login: (email: string, password: string) => request<MeResponse>('POST', '/api/auth/login', { email, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  accounts: (signal?: AbortSignal) => request<AccountList>('GET', '/api/accounts', undefined, signal),
  breakdown: (q: CostQuery & { groupBy: string[] }, signal?: AbortSignal) => {
    const p = costParams(q);
    p.set('groupBy', q.groupBy.join(','));
    return request<BreakdownResponse>('GET', `/api/costs/breakdown?${p}`, undefined, signal);
  },
  summary: (q: CostQuery, signal?: AbortSignal) => request<CostSummaryResponse>('GET', `/api/costs/summary?${costParams(q)}`, undefined, signal),
  users: (signal?: AbortSignal) => request<{ items: User[] }>('GET', '/api/users', undefined, signal),
  createUser: (input: CreateUserRequest) => request<User>('POST', '/api/users', input),
  replaceGrants: (userId: string, grants: GrantInput[]) => request<User>('PUT', `/api/users/${encodeURIComponent(userId)}/grants`, { grants }),
};
