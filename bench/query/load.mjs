// The query benchmark's load generator, in its own process so that it does not take the api
// server's event loop (the server runs in another process): autocannon on 127.0.0.1, the given
// requests in rotation on every connection. Prints one JSON line: the exact p50/p95 of every
// response's latency (autocannon's summary has p90 and p97.5, not p95), req/s and errors.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { url, paths, headers, connections, duration } = JSON.parse(process.argv[2]);

const latencies = [];
const instance = autocannon(
  { url, requests: paths.map((path) => ({ method: 'GET', path })), headers, connections, duration, timeout: 10 },
  (err, result) => {
    if (err) throw err;
    latencies.sort((a, b) => a - b);
    const at = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : -1); // -1: no response at all
    console.log(
      JSON.stringify({
        requests: result.requests.total,
        rps: result.requests.total / duration,
        p50Ms: at(0.5),
        p95Ms: at(0.95),
        maxMs: latencies.at(-1) ?? -1,
        non2xx: result.non2xx,
        // Socket errors, timeouts included (autocannon counts a timeout as an error too).
        errors: result.errors,
        timeouts: result.timeouts,
      }),
    );
  },
);
instance.on('response', (_client, _status, _bytes, responseTimeMs) => latencies.push(responseTimeMs));
