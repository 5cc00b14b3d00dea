import type { ReportFrequency, ReportSubscription, ReportSubscriptionList, SavedView, SavedViewInput, SavedViewList } from '@meridian/contracts';
import { request } from './client';

export const viewsApi = {
  list: (path: string, signal?: AbortSignal) => request<SavedViewList>('GET', `/api/saved-views?path=${encodeURIComponent(path)}`, undefined, signal),
  create: (input: SavedViewInput) => request<SavedView>('POST', '/api/saved-views', input),
  update: (id: string, patch: { name?: string; shared?: boolean; query?: string }) => request<SavedView>('PATCH', `/api/saved-views/${encodeURIComponent(id)}`, patch),
  remove: (id: string) => request<Record<string, never>>('DELETE', `/api/saved-views/${encodeURIComponent(id)}`),
};

export const reportSubscriptionsApi = {
  mine: (signal?: AbortSignal) => request<ReportSubscriptionList>('GET', '/api/report-subscriptions', undefined, signal),
  subscribe: (viewId: string, frequency: ReportFrequency) => request<ReportSubscription>('POST', `/api/saved-views/${encodeURIComponent(viewId)}/subscriptions`, { frequency }),
  remove: (id: string) => request<Record<string, never>>('DELETE', `/api/report-subscriptions/${encodeURIComponent(id)}`),
};
