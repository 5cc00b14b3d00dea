import { Writable } from 'node:stream';
import { createLogger, logSettingsFromEnv } from './logger';
import { addLogContext, withLogContext, withoutLogContext } from './log-context';

describe('logSettingsFromEnv', () => {
  it.each([
    [{}, false, { level: 'info', pretty: false }],
    [{}, true, { level: 'info', pretty: true }],
    [{ LOG_PRETTY: '0' }, true, { level: 'info', pretty: false }],
    [{ LOG_PRETTY: '1' }, false, { level: 'info', pretty: true }],
    [{ LOG_LEVEL: 'debug' }, false, { level: 'debug', pretty: false }],
    [{ LOG_LEVEL: ' WARN ' }, false, { level: 'warn', pretty: false }],
    [{ LOG_LEVEL: 'silent' }, false, { level: 'silent', pretty: false }],
  ])('%j (terminal: %s) → %j', (env, tty, expected) => {
    expect(logSettingsFromEnv(env as NodeJS.ProcessEnv, tty)).toEqual(expected);
  });

  it('refuses an unknown LOG_LEVEL, naming the allowed ones', () => {
    expect(() => logSettingsFromEnv({ LOG_LEVEL: 'verbose' }, false)).toThrow(/LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent/);
  });
});

describe('createLogger', () => {
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    return { lines, destination };
  };

  it('writes JSON lines with the level as a word, ISO time, the process name and the unit of work ids', async () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'worker', settings: { level: 'info', pretty: false }, destination });
    log.info('outside');
    await withLogContext({ accountId: 'eu', stream: 'unbilled-usage' }, async () => {
      await new Promise((r) => setImmediate(r));
      addLogContext({ syncRunId: 'run-1' });
      log.info({ requestId: 'pc-1' }, 'inside');
      log.info('inside again');
      withoutLogContext(() => log.info('detached'));
    });
    log.debug('below the level');
    expect(lines.map(({ time, pid: _p, hostname: _h, ...rest }) => ({ ...rest, isoTime: /^\d{4}-\d\d-\d\dT/.test(String(time)) }))).toEqual([
      { level: 'info', name: 'worker', msg: 'outside', isoTime: true },
      { level: 'info', name: 'worker', msg: 'inside', accountId: 'eu', stream: 'unbilled-usage', syncRunId: 'run-1', requestId: 'pc-1', isoTime: true },
      // One line's fields never stick to the context (pino merges them into the mixin's object).
      { level: 'info', name: 'worker', msg: 'inside again', accountId: 'eu', stream: 'unbilled-usage', syncRunId: 'run-1', isoTime: true },
      { level: 'info', name: 'worker', msg: 'detached', isoTime: true },
    ]);
  });

  it('redacts secret-named fields and credential headers wherever a caller put them', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'api', settings: { level: 'info', pretty: false }, destination });
    log.info({ secret: 'pc-secret-1', account: { secret: 'pc-secret-2', password: 'pw' }, req: { headers: { authorization: 'Bearer abc', cookie: 'mrd_session=x' } } }, 'careless');
    const text = JSON.stringify(lines);
    for (const leaked of ['pc-secret-1', 'pc-secret-2', '"pw"', 'Bearer abc', 'mrd_session=x']) expect(text).not.toContain(leaked);
    expect(lines[0]).toMatchObject({ secret: '[redacted]', account: { secret: '[redacted]', password: '[redacted]' } });
  });
});
