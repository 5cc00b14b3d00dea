// What the api's main thread ran during its longest event-loop blocks in a query benchmark run:
//   npm run bench:query -- … --cpu-prof DIR
//   node bench/query/profile-blocks.mjs DIR [--top 5]
// DIR holds the api's V8 CPU profiles (the main thread's has thread id 0) and loop-blocks.json (the
// longest blocks' ends, monotonic µs: the profile's own clock, written by bench/query/loop-monitor.mjs).
// For each block: the samples inside it by function (self time) and by the product's code path.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '5' } } });
const dir = positionals[0];
if (!dir) throw new Error('usage: node bench/query/profile-blocks.mjs DIR [--top N]');
const main = readdirSync(dir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
if (!main) throw new Error(`no main-thread CPU profile in ${dir}`);
const profile = JSON.parse(readFileSync(path.join(dir, main), 'utf8'));
const blocks = JSON.parse(readFileSync(path.join(dir, 'loop-blocks.json'), 'utf8'));

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const ours = (n) => /\/(apps|libs)\//.test(n.callFrame.url) && !n.callFrame.url.includes('node_modules');
let clock = profile.startTime;
const times = profile.timeDeltas.map((d) => (clock += d));

function attribute(fromUs, toUs) {
  const self = new Map();
  const paths = new Map();
  const stacks = new Map();
  for (let i = 0; i < profile.samples.length - 1; i++) {
    if (times[i] < fromUs || times[i] >= toUs) continue;
    const ms = (times[i + 1] - times[i]) / 1000;
    const n = nodes.get(profile.samples[i]);
    self.set(label(n), (self.get(label(n)) ?? 0) + ms);
    const chain = [];
    for (let id = n.id; id !== undefined; id = parentOf.get(id)) if (ours(nodes.get(id))) chain.push(label(nodes.get(id)));
    const key = chain.slice(0, 3).reverse().join(' > ') || label(n);
    paths.set(key, (paths.get(key) ?? 0) + ms);
    const stack = `${label(n)} < ${chain.slice(0, 8).join(' < ')}`;
    stacks.set(stack, (stacks.get(stack) ?? 0) + ms);
  }
  return { self, paths, stacks };
}

const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
for (const [phase, list] of Object.entries(blocks.slowStatements ?? {})) {
  console.log(`\n== ${phase}: the main thread's slowest SQLite statements`);
  for (const st of list ?? []) console.log(`  ${String(st.ms).padStart(7)} ms  ${st.sql}`);
}
const gc = blocks.gc ?? {};
delete blocks.slowStatements;
delete blocks.gc;
for (const [phase, list] of Object.entries(blocks)) {
  for (const b of (list ?? []).slice(0, Number(values.top))) {
    const fromUs = b.endUs - b.ms * 1000 - 5000;
    const { self, paths, stacks } = attribute(fromUs, b.endUs);
    const split = b.ranMs === undefined ? '' : ` (the main thread ran ${b.ranMs} ms, waited for a CPU ${b.waitedMs} ms)`;
    console.log(`\n== ${phase}: block of ${b.ms} ms${split}, ${((b.endUs - profile.startTime) / 1e6).toFixed(2)} s into the profile`);
    const pauses = (gc[phase] ?? []).filter((p) => p.endUs > fromUs && p.endUs <= b.endUs + 1000);
    if (pauses.length) console.log(`  GC pauses ≥ 5 ms in it: ${pauses.map((p) => `${p.kind} ${p.ms} ms`).join(', ')}`);
    for (const [k, v] of top(self, 8)) console.log(`  self ${v.toFixed(1).padStart(6)} ms  ${k}`);
    for (const [k, v] of top(paths, 6)) console.log(`  code ${v.toFixed(1).padStart(6)} ms  ${k}`);
    const [stack, ms] = top(stacks, 1)[0] ?? [];
    if (stack) console.log(`  longest stack ${ms.toFixed(1)} ms: ${stack}`);
  }
}
