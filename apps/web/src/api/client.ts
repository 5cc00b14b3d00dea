import type {
  Account,
  AccountConnection,
  AccountList,
  ApiError,
  BackfillRequest,
  BillingRatesResponse,
  BreakdownResponse,
  ConnectionTestResult,
  CostDimension,
  CostSummaryResponse,
  CreateUserRequest,
  CustomerList,
  DatePreset,
  ForecastResponse,
  FxImportResult,
  FxRateDto,
  GrantInput,
  MeResponse,
  MonthOverMonthResponse,
  OrgSettings,
  OrgSettingsWrite,
  SubscriptionList,
  SyncJobsResponse,
  SyncRun,
  TimeSeriesResponse,
  TopResponse,
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

/** The endpoint is not on this server (yet): pages show "not available" instead of an error. */
export const isNotFound = (err: unknown) => err instanceof ApiRequestError && err.status === 404;

/** The session's CSRF token (from sign-in or /auth/me): echoed on every write. */
let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, credentials: 'same-origin' });
  const parsed = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiRequestError(res.status, parsed as Partial<ApiError>);
  return parsed as T;
}

/** Drill-down filters: the values of a dimension to keep (`service=Storage,…`). */
export type DimensionFilters = Partial<Record<CostDimension, string[]>>;

export interface CostScope {
  /** Reporting currency: the API also converts the amounts into it (with the rates it used). */
  currency?: string;
  accountIds?: string[];
  includeSandbox?: boolean;
  /** Legacy Azure cost estimated from utilization × rate card (left out unless asked). */
  includeEstimated?: boolean;
  filters?: DimensionFilters;
  tagKey?: string;
}

export interface CostQuery extends CostScope {
  from: string;
  to: string;
}

/** The query parameters of a cost scope (accounts, sandbox, estimates, tag key, currency, filters), added to `p`. */
export function scopeParams(q: CostScope, p = new URLSearchParams()): URLSearchParams {
  if (q.accountIds?.length) p.set('accountIds', q.accountIds.join(','));
  if (q.includeSandbox) p.set('includeSandbox', 'true');
  if (q.includeEstimated) p.set('includeEstimated', 'true');
  if (q.tagKey) p.set('tagKey', q.tagKey);
  if (q.currency) p.set('currency', q.currency);
  for (const [dim, values] of Object.entries(q.filters ?? {})) if (values?.length) p.set(dim, values.join(','));
  return p;
}

function costParams(q: CostQuery): URLSearchParams {
  return scopeParams(q, new URLSearchParams({ from: q.from, to: q.to }));
}

const get = <T>(path: string, p?: URLSearchParams, signal?: AbortSignal) => request<T>('GET', p && [...p].length ? `${path}?${p}` : path, undefined, signal);
const seg = encodeURIComponent;

export const api = {
  me: (signal?: AbortSignal) => get<MeResponse>('/api/auth/me', undefined, signal),
  login: (email: string, password: string) => request<MeResponse>('POST', '/api/auth/login', { email, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),

  accounts: (signal?: AbortSignal) => get<AccountList>('/api/accounts', undefined, signal),
  syncRuns: (id: string, signal?: AbortSignal) => get<{ items: SyncRun[] }>(`/api/accounts/${seg(id)}/sync-runs`, undefined, signal),
  syncNow: (id: string) => request<SyncJobsResponse>('POST', `/api/accounts/${seg(id)}/sync`),
  backfill: (id: string, body: BackfillRequest) => request<SyncJobsResponse>('POST', `/api/accounts/${seg(id)}/backfill`, body),
  createAccount: (body: Partial<AccountConnection>) => request<Account>('POST', '/api/accounts', body),
  testConnection: (body: Partial<AccountConnection>) => request<ConnectionTestResult>('POST', '/api/accounts/test-connection', body),

  breakdown: (q: CostQuery & { groupBy: string[] }, signal?: AbortSignal) => {
    const p = costParams(q);
    p.set('groupBy', q.groupBy.join(','));
    return get<BreakdownResponse>('/api/costs/breakdown', p, signal);
  },
  summary: (q: CostQuery, signal?: AbortSignal) => get<CostSummaryResponse>('/api/costs/summary', costParams(q), signal),
  timeseries: (q: CostQuery & { granularity: 'day' | 'month'; groupBy?: CostDimension }, signal?: AbortSignal) => {
    const p = costParams(q);
    p.set('granularity', q.granularity);
    if (q.groupBy) p.set('groupBy', q.groupBy);
    return get<TimeSeriesResponse>('/api/costs/timeseries', p, signal);
  },
  top: (q: CostQuery & { dimension: CostDimension; limit?: number }, signal?: AbortSignal) => {
    const p = costParams(q);
    p.set('dimension', q.dimension);
    if (q.limit) p.set('limit', String(q.limit));
    return get<TopResponse>('/api/costs/top', p, signal);
  },
  monthOverMonth: (q: CostScope & { month?: string; groupBy?: CostDimension }, signal?: AbortSignal) => {
    const p = scopeParams(q);
    if (q.month) p.set('month', q.month);
    if (q.groupBy) p.set('groupBy', q.groupBy);
    return get<MonthOverMonthResponse>('/api/costs/month-over-month', p, signal);
  },
  forecast: (q: CostScope, signal?: AbortSignal) => get<ForecastResponse>('/api/costs/forecast', scopeParams(q), signal),

  customers: (q: { accountIds?: string[]; includeSandbox?: boolean; month?: string; search?: string }, signal?: AbortSignal) => {
    const p = scopeParams({ accountIds: q.accountIds, includeSandbox: q.includeSandbox });
    if (q.month) p.set('month', q.month);
    if (q.search) p.set('search', q.search);
    return get<CustomerList>('/api/customers', p, signal);
  },
  subscriptions: (accountId: string, customerId: string, month?: string, signal?: AbortSignal) =>
    get<SubscriptionList>(`/api/accounts/${seg(accountId)}/customers/${seg(customerId)}/subscriptions`, month ? new URLSearchParams({ month }) : undefined, signal),

  users: (signal?: AbortSignal) => get<{ items: User[] }>('/api/users', undefined, signal),
  createUser: (input: CreateUserRequest) => request<User>('POST', '/api/users', input),
  replaceGrants: (userId: string, grants: GrantInput[]) => request<User>('PUT', `/api/users/${seg(userId)}/grants`, { grants }),

  fxRates: (signal?: AbortSignal) => get<{ items: FxRateDto[] }>('/api/fx-rates', undefined, signal),
  putFxRates: (rates: { base: string; quote: string; period: string; rate: string }[]) =>
    request<{ written: number; unchanged: number }>('PUT', '/api/fx-rates', { rates }),
  importEcb: async (csv: string) => {
    const res = await fetch('/api/fx-rates/import', {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', Accept: 'application/json', ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}) },
      body: csv,
      credentials: 'same-origin',
    });
    const parsed = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiRequestError(res.status, parsed as Partial<ApiError>);
    return parsed as FxImportResult;
  },

  settings: (signal?: AbortSignal) => get<OrgSettings>('/api/settings', undefined, signal),
  putSettings: (body: OrgSettingsWrite) => request<OrgSettings>('PUT', '/api/settings', body),
  billingRates: (from: string, to: string, signal?: AbortSignal) => get<BillingRatesResponse>('/api/fx-rates/billing', new URLSearchParams({ from, to }), signal),

  /** For endpoints whose contract has not landed yet: JSON as is (pages only check availability). */
  raw: <T = unknown>(path: string, signal?: AbortSignal) => get<T>(path, undefined, signal),
};

export type { DatePreset };
