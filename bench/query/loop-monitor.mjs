// Preloaded into the api server by the query benchmark (`node --import bench/query/loop-monitor.mjs
// apps/api/dist/main.js`), so the product's code stays as it ships: records how late the event loop
// runs its timers (perf_hooks.monitorEventLoopDelay, 10 ms resolution) and answers the benchmark
// over the IPC channel it was spawned with. `reset` starts the measured window (after start-up and
// warm-up); `report` returns the longest event-loop block in the window.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 10;
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
delay.enable();
if (process.send) {
  process.on('message', (message) => {
    if (message?.loopMonitor === 'reset') delay.reset();
    if (message?.loopMonitor === 'report') {
      // The histogram records the time between two samples, the resolution included: a 120 ms
      // block reads as ~133 ms. The block is that less the resolution.
      const blockMs = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
      process.send({ loopMonitor: { blockMaxMs: blockMs(delay.max), blockP99Ms: blockMs(delay.percentile(99)), samples: delay.count } });
    }
  });
  // The channel must not keep the server alive once it has closed (SIGTERM).
  process.channel?.unref();
}
