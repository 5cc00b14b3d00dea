import type {
  AlertEvent,
  AlertEventsQuery,
  AlertRule,
  AlertRuleInput,
  ChannelInput,
  DeliveryAttemptDto,
  DigestResult,
  EvaluationResult,
  NotificationChannelDto,
} from '@meridian/contracts';
import { useQuery } from '@tanstack/react-query';
import { request } from './client';

export type AlertEventDetail = AlertEvent & { deliveries: DeliveryAttemptDto[] };
export type ChannelTestResult = { delivered: boolean; attempts: DeliveryAttemptDto[] };
/** A change to a channel: the fields to replace (a webhook secret left out is kept). */
export type ChannelPatch = Partial<{ name: string; to: string[]; url: string; format: string; secret: string; weeklyDigest: boolean }>;

const seg = encodeURIComponent;

function eventParams(q: Partial<AlertEventsQuery>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  return [...p].length ? `?${p}` : '';
}

/** Budgets, alert rules, channels and alert events (DESIGN §8). */
export const alertsApi = {
  rules: (signal?: AbortSignal) => request<{ items: AlertRule[] }>('GET', '/api/alert-rules', undefined, signal),
  createRule: (input: AlertRuleInput) => request<AlertRule>('POST', '/api/alert-rules', input),
  updateRule: (id: string, input: Partial<AlertRuleInput>) => request<AlertRule>('PATCH', `/api/alert-rules/${seg(id)}`, input),
  deleteRule: (id: string) => request<void>('DELETE', `/api/alert-rules/${seg(id)}`),

  channels: (signal?: AbortSignal) => request<{ items: NotificationChannelDto[] }>('GET', '/api/notification-channels', undefined, signal),
  createChannel: (input: ChannelInput) => request<NotificationChannelDto>('POST', '/api/notification-channels', input),
  updateChannel: (id: string, patch: ChannelPatch) => request<NotificationChannelDto>('PATCH', `/api/notification-channels/${seg(id)}`, patch),
  deleteChannel: (id: string) => request<void>('DELETE', `/api/notification-channels/${seg(id)}`),
  testChannel: (id: string) => request<ChannelTestResult>('POST', `/api/notification-channels/${seg(id)}/test`),
  sendDigest: () => request<DigestResult>('POST', '/api/alerts/digest'),

  events: (q: Partial<AlertEventsQuery>, signal?: AbortSignal) => request<{ items: AlertEvent[]; total: number }>('GET', `/api/alerts${eventParams(q)}`, undefined, signal),
  event: (id: string, signal?: AbortSignal) => request<AlertEventDetail>('GET', `/api/alerts/${seg(id)}`, undefined, signal),
  acknowledge: (id: string) => request<AlertEvent>('POST', `/api/alerts/${seg(id)}/acknowledge`),
  evaluate: () => request<EvaluationResult>('POST', '/api/alerts/evaluate'),
};

export function useAlertRules() {
  return useQuery({ queryKey: ['alert-rules'], queryFn: ({ signal }) => alertsApi.rules(signal) });
}

export function useChannels(enabled = true) {
  return useQuery({ queryKey: ['notification-channels'], queryFn: ({ signal }) => alertsApi.channels(signal), enabled });
}

export function useAlertEvents(q: Partial<AlertEventsQuery>, opts: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: ['alerts', q], queryFn: ({ signal }) => alertsApi.events(q, signal), enabled: opts.enabled ?? true, refetchInterval: 30_000 });
}

export function useAlertEvent(id: string | null) {
  return useQuery({ queryKey: ['alert', id], queryFn: ({ signal }) => alertsApi.event(id!, signal), enabled: id !== null });
}
