// The query benchmark's load generator, in its own process so that it does not take the api
// server's event loop (the server runs in another process): keep-alive HTTP/1.1 connections on
// 127.0.0.1, one request in flight on each, the given requests in rotation. Prints one JSON line:
// the exact p50/p95 of every response's latency, req/s and errors.
//
// Why not autocannon (used until the first session of 2026-12-04): it received a 162 KB gzip
// answer from a bare node:http server at ~500 req/s where this loop receives ~28,000 req/s, so
// for the year-long breakdowns (1.8 MB of JSON, ~0.2 MB gzipped) the "ceiling" it measured was its
// own (docs/performance.md). This loop reads the status line and headers, then counts the body's
// bytes (content-length or chunked) without decoding or copying them.
//   node bench/query/load.mjs '{"url":…,"paths":[…],"headers":{…},"connections":50,"duration":30}'
import { connect } from 'node:net';

const { url, paths, headers = {}, connections, duration } = JSON.parse(process.argv[2]);
const target = new URL(url);
if (target.hostname !== '127.0.0.1') throw new Error(`load.mjs targets 127.0.0.1 only, not ${target.hostname}`);
const TIMEOUT_MS = 10_000;
const extra = Object.entries(headers)
  .map(([k, v]) => `${k}: ${v}\r\n`)
  .join('');
const requests = paths.map((p) => Buffer.from(`GET ${p} HTTP/1.1\r\nhost: ${target.host}\r\n${extra}\r\n`));
const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

const latencies = [];
let non2xx = 0;
// Socket errors, timeouts included (as autocannon counted them), and connections lost mid-answer.
let errors = 0;
let timeouts = 0;
let stopping = false;

/** One connection: sends a request, reads its whole answer, sends the next; reconnects if closed. */
function connection(first) {
  let next = first % requests.length;
  let sentAt = 0;
  let inFlight = false;
  let timer;
  let pending = Buffer.alloc(0);
  // head → body (content-length) or chunk-size → chunk-data → chunk-end … → trailer
  let state = 'head';
  let remaining = 0;
  let status = 0;
  const socket = connect(Number(target.port), target.hostname);
  socket.setNoDelay(true);

  const send = () => {
    if (stopping) return void socket.destroy();
    inFlight = true;
    sentAt = performance.now();
    socket.write(requests[next]);
    next = (next + 1) % requests.length;
    timer = setTimeout(() => {
      timeouts++;
      errors++;
      inFlight = false; // counted: the close that follows is not another error
      socket.destroy();
    }, TIMEOUT_MS);
  };
  const answered = () => {
    clearTimeout(timer);
    inFlight = false;
    latencies.push(performance.now() - sentAt);
    if (status < 200 || status > 299) non2xx++;
    state = 'head';
    send();
  };
  /** Skips up to `remaining` body bytes of what arrived: true once the part is whole. */
  const skip = () => {
    const n = Math.min(remaining, pending.length);
    remaining -= n;
    pending = pending.subarray(n);
    return remaining === 0;
  };

  socket.on('connect', send);
  socket.on('error', () => errors++);
  socket.on('close', () => {
    clearTimeout(timer);
    if (stopping) return;
    if (inFlight) errors++;
    setTimeout(() => connection(next), 10);
  });
  socket.on('data', (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (state === 'head') {
        const end = pending.indexOf(HEAD_END);
        if (end < 0) return;
        const head = pending.toString('latin1', 0, end);
        pending = pending.subarray(end + HEAD_END.length);
        status = Number(head.slice(9, 12));
        if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) state = 'chunk-size';
        else {
          // Every answer of the api carries a length or is chunked; one delimited by the
          // connection's close would be cut here and counted as an error when the socket closes.
          remaining = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
          state = 'body';
        }
      } else if (state === 'body') {
        if (!skip()) return;
        answered();
      } else if (state === 'chunk-size' || state === 'trailer') {
        const end = pending.indexOf(CRLF);
        if (end < 0) return;
        const line = pending.toString('latin1', 0, end);
        pending = pending.subarray(end + CRLF.length);
        if (state === 'trailer') {
          if (line === '') answered();
          continue;
        }
        remaining = parseInt(line, 16);
        state = remaining === 0 ? 'trailer' : 'chunk-data';
      } else if (state === 'chunk-data') {
        if (!skip()) return;
        remaining = CRLF.length;
        state = 'chunk-end';
      } else {
        if (!skip()) return;
        state = 'chunk-size';
      }
    }
  });
}

for (let i = 0; i < connections; i++) connection(i);
setTimeout(() => {
  stopping = true;
  latencies.sort((a, b) => a - b);
  const at = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : -1); // -1: no response at all
  console.log(
    JSON.stringify({
      requests: latencies.length,
      rps: latencies.length / duration,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      maxMs: latencies.at(-1) ?? -1,
      non2xx,
      errors,
      timeouts,
    }),
  );
  // Connections still waiting for an answer are not waited for: the run's time is up.
  process.exit(0);
}, duration * 1000);
