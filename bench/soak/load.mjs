// The soak's load generator, in its own process (the api's event loop is what is measured):
// autocannon with N connections on the dashboard's requests in rotation for the whole run, and one
// JSON line per minute on stdout: requests, p95 and max latency, non-2xx and socket errors of that minute.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { url, paths, headers, connections, minutes } = JSON.parse(process.argv[2]);

let latencies = [];
let non2xx = 0;
let errors = 0;
const instance = autocannon(
  { url, requests: paths.map((path) => ({ method: 'GET', path })), headers, connections, duration: minutes * 60, timeout: 30 },
  () => undefined,
);
instance.on('response', (_client, status, _bytes, ms) => {
  latencies.push(ms);
  if (status < 200 || status >= 300) non2xx += 1;
});
instance.on('reqError', () => (errors += 1));
let minute = 0;
const timer = setInterval(() => {
  minute += 1;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : -1);
  console.log(JSON.stringify({ minute, requests: sorted.length, p95Ms: at(0.95), maxMs: sorted.at(-1) ?? -1, non2xx, errors }));
  latencies = [];
  non2xx = 0;
  errors = 0;
  if (minute >= minutes) clearInterval(timer);
}, 60_000);
instance.on('done', () => setTimeout(() => process.exit(0), 1000));
