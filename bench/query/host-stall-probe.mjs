// Host stalls of this VM, seen from one CPU: started by the query benchmark as
//   chrt --fifo 50 taskset --cpu-list N node bench/query/host-stall-probe.mjs N
// it prints {"cpu":N,"ready":true} once, then sleeps 1 ms at a time and prints every wake-up that
// came more than STALL_MS late, as one line of JSON: {"cpu":N,"startUs":…,"endUs":…} (monotonic µs,
// the clock of loop-monitor.mjs's blocks).
// At real-time priority no thread of the guest can keep it from its CPU, so such a lateness is the
// hypervisor not running that virtual CPU (or the guest kernel in a section it cannot leave). On
// the 2-vCPU VMs these benchmarks ran on, a thread that only spins saw both CPUs stop together for
// 50–85 ms about once a minute (docs/performance.md, fourth session of 2026-12-04), with the machine
// otherwise idle: a block of the api's event loop that contains such a stop is not the api's work.
// Its cost: ~1,000 wake-ups a second per CPU, each a few µs.
import { writeSync } from 'node:fs';

const STALL_MS = 5;
const SLEEP_MS = 1;
const cpu = Number(process.argv[2] ?? -1);
const cell = new Int32Array(new SharedArrayBuffer(4));
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

process.on('SIGTERM', () => process.exit(0));
writeSync(1, `${JSON.stringify({ cpu, ready: true })}\n`);
let last = nowUs();
// Atomics.wait sleeps this thread without the event loop; the loop itself gets a turn every 100
// wake-ups so SIGTERM is handled.
const slice = () => {
  for (let i = 0; i < 100; i++) {
    Atomics.wait(cell, 0, 0, SLEEP_MS);
    const now = nowUs();
    if (now - last > (SLEEP_MS + STALL_MS) * 1000) writeSync(1, `${JSON.stringify({ cpu, startUs: last, endUs: now })}\n`);
    last = now;
  }
  // The turn of the event loop between slices is not a stall.
  setImmediate(() => {
    last = nowUs();
    slice();
  });
};
slice();
