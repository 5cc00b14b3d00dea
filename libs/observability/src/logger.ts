import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { currentLogContext } from './log-context';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevelName = (typeof LEVELS)[number];

export interface LogSettings {
  level: LogLevelName;
  /** Human-readable lines (pino-pretty) instead of JSON lines. */
  pretty: boolean;
}

/**
 * LOG_LEVEL (default info); pretty output only when asked: LOG_PRETTY=1, or stdout is a terminal
 * (and LOG_PRETTY is not 0). Anything piped or collected gets JSON lines.
 */
export function logSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, isTty: boolean = process.stdout.isTTY === true): LogSettings {
  const raw = (env.LOG_LEVEL ?? '').trim().toLowerCase();
  if (raw !== '' && !(LEVELS as readonly string[]).includes(raw)) {
    throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  }
  const prettyFlag = (env.LOG_PRETTY ?? '').trim().toLowerCase();
  const pretty = prettyFlag === '1' || prettyFlag === 'true' || (isTty && prettyFlag !== '0' && prettyFlag !== 'false');
  return { level: (raw || 'info') as LogLevelName, pretty };
}

/**
 * Keys whose values never reach a log line, wherever they appear one or two levels deep: the log
 * calls already leave secrets out, this is the second belt.
 */
const REDACTED_KEYS = ['authorization', 'cookie', 'password', 'secret', 'token', 'accessToken', 'access_token', 'client_secret', 'csrfToken'];
export const REDACT_PATHS = [
  ...REDACTED_KEYS,
  ...REDACTED_KEYS.map((k) => `*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/** pino-pretty is a dev dependency: production images (npm prune --omit=dev) fall back to JSON lines. */
function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/**
 * The root logger of a process: JSON lines with ISO time, level as a word, the process's name, and
 * the current unit of work's ids (request, account, stream, sync run) mixed into every line.
 */
export function createLogger(options: { name: string; settings: LogSettings; destination?: DestinationStream }): Logger {
  const config: LoggerOptions = {
    name: options.name,
    level: options.settings.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // A copy: pino merges each line's fields into the object the mixin returns.
    mixin: () => ({ ...currentLogContext() }),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  if (options.destination) return pino(config, options.destination);
  if (options.settings.pretty && prettyAvailable()) {
    return pino({ ...config, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return pino(config);
}
