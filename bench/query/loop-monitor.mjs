// Preloaded into the api server by the query benchmark (`node --import bench/query/loop-monitor.mjs
// apps/api/dist/main.js`), so the product's code stays as it ships: records how late the event loop
// runs its timers (perf_hooks.monitorEventLoopDelay, 10 ms resolution) and answers the benchmark
// over the IPC channel it was spawned with. `reset` starts the measured window (after start-up and
// warm-up); `report` returns the longest event-loop block in the window, and when the longest ones
// ended (monotonic µs, the clock of V8's CPU profiles: bench/query/profile-blocks.mjs shows what the
// api ran during each).
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';

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
const TICK_MS = 5;
const blocks = new Longest();
let last = process.hrtime.bigint();
setInterval(() => {
  const now = process.hrtime.bigint();
  const lateMs = Number(now - last) / 1e6 - TICK_MS;
  last = now;
  if (lateMs < 20) return;
  blocks.add({ endUs: Number(now / 1000n), ms: Math.round(lateMs * 10) / 10 });
}, TICK_MS).unref();

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

if (process.send) {
  process.on('message', (message) => {
    if (message?.loopMonitor === 'reset') {
      delay.reset();
      blocks.clear();
      slowStatements.clear();
    }
    if (message?.loopMonitor === 'report') {
      // The histogram records the time between two samples, the resolution included: a 120 ms
      // block reads as ~133 ms. The block is that less the resolution.
      const blockMs = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
      process.send({
        loopMonitor: { blockMaxMs: blockMs(delay.max), blockP99Ms: blockMs(delay.percentile(99)), samples: delay.count, longest: blocks.list(), statements: slowStatements.list() },
      });
    }
  });
  // The channel must not keep the server alive once it has closed (SIGTERM).
  process.channel?.unref();
}
