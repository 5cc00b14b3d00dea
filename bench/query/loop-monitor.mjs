// Preloaded into the api server by the query benchmark (`node --import bench/query/loop-monitor.mjs
// apps/api/dist/main.js`), so the product's code stays as it ships: records how late the event loop
// runs its timers (perf_hooks.monitorEventLoopDelay, 10 ms resolution) and answers the benchmark
// over the IPC channel it was spawned with. `reset` starts the measured window (after start-up and
// warm-up); `report` returns the longest event-loop block in the window, and when the longest ones
// ended (monotonic µs, the clock of V8's CPU profiles: bench/query/profile-blocks.mjs shows what the
// api ran during each).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PerformanceObserver, constants, monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 10;
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
delay.enable();

const KEPT = 20;
/** The KEPT entries with the largest `ms` seen since the last clear (trimmed as it goes). */
class Longest {
  items = [];
  add(item) {
    this.items.push(item);
    if (this.items.length > KEPT * 2) this.items = this.list();
  }
  list() {
    return this.items.sort((a, b) => b.ms - a.ms).slice(0, KEPT);
  }
  clear() {
    this.items = [];
  }
}

// The longest blocks with their end: a 5 ms timer's lateness (what monitorEventLoopDelay measures,
// kept with a timestamp).
// With each, how much of it the main thread ran and how long it waited for a CPU (Linux's
// /proc/thread-self/schedstat: ns on a CPU, ns runnable in a run queue): on 2 cores shared with the
// load generator, the PostgreSQL server and the simulator, a late timer is not always the api's work.
const TICK_MS = 5;
const blocks = new Longest();
const schedstat = () => {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
    return { run: Number(run) / 1e6, wait: Number(wait) / 1e6 };
  } catch {
    return undefined; // not Linux: blocks without the split
  }
};
const round = (ms) => Math.round(ms * 10) / 10;
let last = process.hrtime.bigint();
let lastSched = schedstat();
setInterval(() => {
  const now = process.hrtime.bigint();
  const sched = schedstat();
  const lateMs = Number(now - last) / 1e6 - TICK_MS;
  const split = sched && lastSched ? { ranMs: round(sched.run - lastSched.run), waitedMs: round(sched.wait - lastSched.wait) } : {};
  last = now;
  lastSched = sched;
  if (lateMs < 20) return;
  blocks.add({ endUs: Number(now / 1000n), ms: round(lateMs), ...split });
}, TICK_MS).unref();

// Garbage collection in the window, by kind: a GC pause is part of whichever block it falls in, and
// the longest pauses with their end (same clock as the blocks) tell a GC block from a busy turn.
const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
const gcPauses = new Longest();
let gcTotals = {};
const origin = Number(process.hrtime.bigint() / 1000n) - Math.round(performance.now() * 1000);
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[entry.detail?.kind] ?? String(entry.detail?.kind);
    const total = (gcTotals[kind] ??= { count: 0, ms: 0 });
    total.count++;
    total.ms += entry.duration;
    if (entry.duration >= 5) {
      gcPauses.add({ kind, ms: round(entry.duration), endUs: origin + Math.round((entry.startTime + entry.duration) * 1000) });
    }
  }
}).observe({ entryTypes: ['gc'] });

// The main thread's SQLite statements that ran long (better-sqlite3 runs them synchronously, so each
// is a block by itself): the same module the api loads, its Statement methods timed.
const SLOW_STATEMENT_MS = 20;
const slowStatements = new Longest();
try {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const probe = new Database(':memory:');
  const Statement = Object.getPrototypeOf(probe.prepare('SELECT 1'));
  probe.close();
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = Statement[method];
    Statement[method] = function timed(...args) {
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (ms >= SLOW_STATEMENT_MS) {
          slowStatements.add({ ms: Math.round(ms * 10) / 10, sql: String(this.source).replace(/\s+/g, ' ').slice(0, 240) });
        }
      }
    };
  }
} catch {
  // no better-sqlite3 (PostgreSQL only): nothing to time
}

// On request (`reset` with heapSample), V8's sampling heap profiler over the window, counting the
// objects that outlived a scavenge (collected by a major GC or still alive): what fills the old
// generation under load; with heapSampleYoung every allocation. Written as a .heapprofile on `report`.
let heapSession;
async function startHeapSampling(young) {
  const { Session } = await import('node:inspector/promises');
  heapSession = new Session();
  heapSession.connect();
  await heapSession.post('HeapProfiler.enable');
  await heapSession.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: young });
}
async function stopHeapSampling(file) {
  const { profile } = await heapSession.post('HeapProfiler.stopSampling');
  heapSession.disconnect();
  heapSession = undefined;
  writeFileSync(file, JSON.stringify(profile));
}

// The window's CPU: the main thread's (schedstat) and the whole process's (all its threads).
let windowStart = { sched: schedstat(), cpu: process.cpuUsage() };

if (process.send) {
  process.on('message', async (message) => {
    if (message?.loopMonitor === 'reset' && message.heapSample) await startHeapSampling(Boolean(message.heapSampleYoung));
    if (message?.loopMonitor === 'report' && message.heapSample && heapSession) await stopHeapSampling(message.heapSample);
    if (message?.loopMonitor === 'reset') {
      windowStart = { sched: schedstat(), cpu: process.cpuUsage() };
      delay.reset();
      blocks.clear();
      slowStatements.clear();
      gcPauses.clear();
      gcTotals = {};
    }
    if (message?.loopMonitor === 'report') {
      // The histogram records the time between two samples, the resolution included: a 120 ms
      // block reads as ~133 ms. The block is that less the resolution.
      const blockMs = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
      const sched = schedstat();
      process.send({
        loopMonitor: { blockMaxMs: blockMs(delay.max), blockP99Ms: blockMs(delay.percentile(99)), samples: delay.count, longest: blocks.list(), statements: slowStatements.list(),
          gc: { totals: gcTotals, longest: gcPauses.list() },
          cpu: {
            mainThreadMs: sched && windowStart.sched ? sched.run - windowStart.sched.run : undefined,
            mainThreadWaitMs: sched && windowStart.sched ? sched.wait - windowStart.sched.wait : undefined,
            processMs: ((cpu) => (cpu.user + cpu.system) / 1000)(process.cpuUsage(windowStart.cpu)),
          },
        },
      });
    }
  });
  // The channel must not keep the server alive once it has closed (SIGTERM).
  process.channel?.unref();
}
