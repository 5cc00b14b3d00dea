export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A structured log event. Never contains the app secret, tokens or request headers. */
export interface LogEvent {
  level: LogLevel;
  msg: string;
  [field: string]: unknown;
}

export type LogFn = (event: LogEvent) => void;
