// Preloaded (`node -r`) into an api process under test. Measures how long its event loop is blocked
// and answers the parent over IPC ('reset' starts a new window, 'read' returns it), in milliseconds:
// - maxMs, p99Ms: perf_hooks.monitorEventLoopDelay (1 ms resolution), wall clock;
// - ownMaxMs: the longest block of this process's own work — the gap between two ticks of a 2 ms
//   timer minus the time the main thread spent runnable but waiting for a CPU (Linux schedstat).
//   On a machine with more runnable threads than cores a 10 ms task can take 100 ms of wall clock;
//   ownMaxMs is what the code holds the loop for, whatever the neighbours do. Off Linux it is null.
// - longestGcMs, runQueueWaitMs: the longest garbage-collection pause, the total CPU wait.
// Plain CommonJS so that it runs in front of the built api without a compiler.
const fs = require('node:fs');
const { monitorEventLoopDelay, PerformanceObserver } = require('node:perf_hooks');

const TICK_MS = 2;
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();

let longestGcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longestGcMs = Math.max(longestGcMs, entry.duration);
}).observe({ entryTypes: ['gc'] });

/** Nanoseconds this (main) thread spent runnable but waiting for a CPU; undefined off Linux. */
function runQueueWaitNs() {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]);
  } catch {
    return undefined;
  }
}

let ownMaxMs = 0;
let lastTick = process.hrtime.bigint();
let lastWait = runQueueWaitNs();
setInterval(() => {
  const now = process.hrtime.bigint();
  const wait = runQueueWaitNs();
  if (wait !== undefined && lastWait !== undefined) {
    const own = Number(now - lastTick) / 1e6 - (wait - lastWait) / 1e6 - TICK_MS;
    if (own > ownMaxMs) ownMaxMs = own;
  }
  lastTick = now;
  lastWait = wait;
}, TICK_MS).unref();

let waitAtReset = runQueueWaitNs();
process.on('message', (message) => {
  if (message === 'reset') {
    delay.reset();
    longestGcMs = 0;
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
      longestGcMs,
      runQueueWaitMs: wait === undefined || waitAtReset === undefined ? null : (wait - waitAtReset) / 1e6,
    });
  }
});
// The IPC channel alone must not keep the api alive once it is told to stop.
process.channel?.unref();
