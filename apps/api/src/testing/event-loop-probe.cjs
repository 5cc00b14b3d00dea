// Preloaded (`node -r`) into an api process under test. Measures how long its event loop is blocked
// and answers the parent over IPC ('reset' starts a new window, 'read' returns it), in milliseconds:
// - maxMs, p99Ms: perf_hooks.monitorEventLoopDelay (1 ms resolution), wall clock;
// - ownMaxMs: the longest block of this process's own work — the gap between two ticks of a 2 ms
//   timer minus the time the main thread spent runnable but waiting for a CPU (Linux schedstat).
//   On a machine with more runnable threads than cores a 10 ms task can take 100 ms of wall clock;
//   ownMaxMs is what the code holds the loop for, whatever the neighbours do. Off Linux it is null.
// - codeMaxMs: ownMaxMs less the garbage-collection pauses inside the block. A scavenge is the
//   code's doing too, but its length under CPU contention is the neighbours' (its helper threads
//   wait for a CPU while the main thread, not runnable, waits for them): 14–17 ms on a quiet
//   machine, 54–147 ms beside other test runs.
// - longestBlockCpuMs: the CPU time the main thread used within the longest own-work block (over
//   10 ms); well under ownMaxMs means it slept there (disk, a lock) rather than computed.
// - longestGcMs, longestGcKind, runQueueWaitMs: the longest garbage-collection pause and its kind
//   (minor: a scavenge of the young generation), the total CPU wait.
// Plain CommonJS so that it runs in front of the built api without a compiler.
const fs = require('node:fs');
const { isMainThread } = require('node:worker_threads');
// `-r` is inherited by the api's worker threads (SQLite readers, WAL checkpointer): the loop measured is the main thread's.
if (isMainThread) startProbe();

function startProbe() {
  const { monitorEventLoopDelay, performance, PerformanceObserver } = require('node:perf_hooks');

  const TICK_MS = 2;
  /** Epoch µs minus monotonic µs (process.hrtime), to place probe times on a CPU profile's clock. */
  const EPOCH_MINUS_MONOTONIC_US = (performance.timeOrigin + performance.now()) * 1000 - Number(process.hrtime.bigint() / 1000n);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();

  let longestGcMs = 0;
  let longestGcKind = '';
  const GC_KINDS = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
  /** GC pauses of the window as [start, end] on performance.now()'s clock (delivered after the fact). */
  let gcPauses = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauses.push([entry.startTime, entry.startTime + entry.duration]);
      if (entry.duration <= longestGcMs) continue;
      longestGcMs = entry.duration;
      longestGcKind = GC_KINDS[entry.detail?.kind] ?? String(entry.detail?.kind);
    }
  }).observe({ entryTypes: ['gc'] });

  /** This (main) thread's [nanoseconds on a CPU, nanoseconds runnable but waiting for one]; undefined off Linux. */
  function schedstat() {
    try {
      const [run, wait] = fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
      return [Number(run), Number(wait)];
    } catch {
      return undefined;
    }
  }
  const runQueueWaitNs = () => schedstat()?.[1];
  /** MERIDIAN_LOOP_BLOCKS_LOG=FILE: every block over 10 ms is appended to FILE as JSON lines, to line up with a CPU profile. */
  const BLOCKS_LOG = process.env.MERIDIAN_LOOP_BLOCKS_LOG;
  const logBlock = (entry) => BLOCKS_LOG && fs.appendFileSync(BLOCKS_LOG, JSON.stringify(entry) + '\n');
  /** Microseconds on the monotonic clock, as a V8 CPU profile's timestamps. */
  const toUs = (t) => Math.round((performance.timeOrigin + t) * 1000 - EPOCH_MINUS_MONOTONIC_US);

  let ownMaxMs = 0;
  /** Blocks over 10 ms of own work, kept to subtract the GC pauses inside them once those are reported. */
  let longBlocks = [];
  let lastTick = performance.now();
  let lastStat = schedstat();
  setInterval(() => {
    const now = performance.now();
    const stat = schedstat();
    if (stat !== undefined && lastStat !== undefined) {
      const own = now - lastTick - (stat[1] - lastStat[1]) / 1e6 - TICK_MS;
      if (own > ownMaxMs) ownMaxMs = own;
      if (own > 10 && longBlocks.length < 10_000) {
        // cpu < own: the thread slept inside the block (disk, a lock), it did not compute.
        const cpu = (stat[0] - lastStat[0]) / 1e6;
        longBlocks.push({ from: lastTick, to: now, own, cpu });
        logBlock({ fromUs: toUs(lastTick), toUs: toUs(now), own: +own.toFixed(1), cpu: +cpu.toFixed(1) });
      }
    }
    lastTick = now;
    lastStat = stat;
  }, TICK_MS).unref();

  /** The longest own-work block less the GC pauses that fell inside it (never above ownMaxMs): what the code itself held the loop for. */
  function codeMaxMs() {
    // Blocks of 10 ms or less are not kept: one of them may be the longest once GC is taken out.
    let max = Math.min(ownMaxMs, 10);
    for (const b of longBlocks) {
      let gc = 0;
      for (const [start, end] of gcPauses) gc += Math.max(0, Math.min(end, b.to) - Math.max(start, b.from));
      max = Math.max(max, b.own - gc);
    }
    return max;
  }

  let waitAtReset = runQueueWaitNs();
  process.on('message', (message) => {
    // The window's ends, so that tools/profile-blocks.mjs can leave out the blocks of start-up.
    logBlock({ [message]: toUs(performance.now()) });
    if (message === 'reset') {
      delay.reset();
      longestGcMs = 0;
      longestGcKind = '';
      gcPauses = [];
      longBlocks = [];
      ownMaxMs = 0;
      waitAtReset = runQueueWaitNs();
      process.send({ reset: true });
    } else if (message === 'read') {
      const wait = runQueueWaitNs();
      process.send({
        maxMs: delay.max / 1e6,
        p99Ms: delay.percentile(99) / 1e6,
        samples: delay.count,
        ownMaxMs: wait === undefined ? null : ownMaxMs,
        codeMaxMs: wait === undefined ? null : codeMaxMs(),
        longestBlockCpuMs: longBlocks.reduce((longest, b) => (b.own > (longest?.own ?? 0) ? b : longest), undefined)?.cpu ?? null,
        longestGcMs,
        longestGcKind,
        runQueueWaitMs: wait === undefined || waitAtReset === undefined ? null : (wait - waitAtReset) / 1e6,
      });
    }
  });
  // The IPC channel alone must not keep the api alive once it is told to stop.
  process.channel?.unref();
}
