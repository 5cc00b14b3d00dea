import * as path from 'node:path';
import type { DestinationStream } from 'pino';
import { OidcConfig, oidcConfigFromEnv } from './auth/oidc/oidc.config';

export const API_CONFIG = Symbol('API_CONFIG');

/** Every setting of the api process, read from the environment once (README lists them). */
export interface ApiConfig {
  port: number;
  host: string;
  /** Run scheduler + sync processor inside the api process (embedded mode). */
  embeddedWorker: boolean;
  /** Built web app to serve at "/", if present. */
  webDist: string;
  /** Demo mode: connect the accounts of this simulator on start. */
  demoSimUrl?: string;
  demoSyncIntervalMinutes: number;
  /** First start only: the owner account to create (password generated and printed once if unset). */
  ownerEmail?: string;
  ownerPassword?: string;
  /** OpenID Connect sign-in, when MERIDIAN_OIDC_ISSUER is set. */
  oidc?: OidcConfig;
  /** MERIDIAN_METRICS_TOKEN: /metrics needs it as a bearer token; unset, /metrics answers loopback only. */
  metricsToken?: string;
  /** /api/health/ready fails when the newest worker heartbeat is older than this. */
  readyHeartbeatSeconds: number;
  /** MERIDIAN_LOOP_TURN_BUDGET_MS: request work one event-loop turn may start before requests wait for the next (0: no bound; decision 0035). */
  loopTurnBudgetMs: number;
  /** Where the JSON log lines go (tests capture them); default stdout. */
  logDestination?: DestinationStream;
}

export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return {
    port: Number(env.PORT || 3000),
    // Loopback unless told otherwise: exposing it is a choice (containers set HOST=0.0.0.0, behind TLS).
    host: env.HOST || '127.0.0.1',
    embeddedWorker: env.MERIDIAN_EMBEDDED_WORKER ? env.MERIDIAN_EMBEDDED_WORKER === 'true' : !env.REDIS_URL,
    webDist: path.resolve(env.MERIDIAN_WEB_DIST || path.join(__dirname, '..', '..', 'web', 'dist')),
    demoSimUrl: env.MERIDIAN_DEMO_SIM_URL?.replace(/\/+$/, '') || undefined,
    demoSyncIntervalMinutes: Number(env.MERIDIAN_DEMO_SYNC_MINUTES || 15),
    ownerEmail: env.MERIDIAN_OWNER_EMAIL || undefined,
    ownerPassword: env.MERIDIAN_OWNER_PASSWORD || undefined,
    oidc: oidcConfigFromEnv(env),
    metricsToken: env.MERIDIAN_METRICS_TOKEN || undefined,
    readyHeartbeatSeconds: Number(env.MERIDIAN_READY_HEARTBEAT_SECONDS) > 0 ? Number(env.MERIDIAN_READY_HEARTBEAT_SECONDS) : 60,
    loopTurnBudgetMs: millisecondsFromEnv(env, 'MERIDIAN_LOOP_TURN_BUDGET_MS', 10),
  };
}

/** A duration setting: unset or empty is the default; anything but a number ≥ 0 stops the start with its name. */
function millisecondsFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of milliseconds ≥ 0 (0 turns it off), not ${JSON.stringify(raw)}`);
  return value;
}
