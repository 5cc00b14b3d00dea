import { INTERRUPTED_ERROR_PREFIX } from '../queue/sync-queue';
import { isStaleScheduledJob } from './stream-schedule';

const AS_OF = '2026-12-03T10:00:00.000Z';
const ran = (lastStartedAt: string | null, lastStatus: string | null = 'succeeded', lastError: string | null = null) => ({ lastStartedAt, lastStatus, lastSuccessAt: null, lastError });

describe('a scheduled job overtaken by a later run of its stream is stale', () => {
  it.each([
    ['a run started after the schedule read the states', { stateAsOf: AS_OF }, ran('2026-12-03T10:00:00.500Z'), true],
    ['the same, still running', { stateAsOf: AS_OF }, ran('2026-12-03T10:00:02.000Z', 'running'), true],
    ['the run the schedule saw (started before its read)', { stateAsOf: AS_OF }, ran('2026-12-03T09:00:00.000Z', 'failed', 'timeout'), false],
    ['the stream never ran', { stateAsOf: AS_OF }, ran(null, null), false],
    ['no state at all', { stateAsOf: AS_OF }, undefined, false],
    ['a later run interrupted by a shutdown: its job resumes it', { stateAsOf: AS_OF }, ran('2026-12-03T10:00:01.000Z', 'failed', `${INTERRUPTED_ERROR_PREFIX} worker stopped`), false],
    ['not from the scheduler (manual, chained)', {}, ran('2026-12-03T10:00:01.000Z'), false],
  ])('%s', (_, job, last, stale) => {
    expect(isStaleScheduledJob(job, last)).toBe(stale);
  });
});
