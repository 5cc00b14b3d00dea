import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line made inside a unit of work carries (ids only: never names or secrets). */
export interface LogContext {
  /** The api request being served (X-Request-Id). */
  reqId?: string;
  accountId?: string;
  stream?: string;
  syncRunId?: string;
  jobId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `fields` added to the log context of everything it does (async work included). */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

/** Adds fields to the current unit of work's context (e.g. the sync run id once the run exists). */
export function addLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

/** The current context (empty outside any unit of work); pino's mixin adds it to each line. */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

/** Runs `fn` outside any unit of work (work it starts is not attributed to the current one). */
export function withoutLogContext<T>(fn: () => T): T {
  return storage.exit(fn);
}
