#!/usr/bin/env node
// What the api's main thread ran during its longest event-loop blocks: lines up the blocks the
// event-loop probe logged (MERIDIAN_LOOP_BLOCKS_LOG) with a V8 CPU profile of the same process
// (MERIDIAN_LOOP_CPU_PROF), both on the monotonic clock in microseconds.
//
//   node tools/profile-blocks.mjs PROFILE.cpuprofile BLOCKS.jsonl [--top 5] [--min-ms 30]
//
// For each block: its own work and CPU time, then the functions with the most samples in it
// (self time) and the deepest common call paths, so a block is named by the code that held it.
import * as fs from 'node:fs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const [profileFile, blocksFile] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!profileFile || !blocksFile) {
  console.error('usage: node tools/profile-blocks.mjs PROFILE.cpuprofile BLOCKS.jsonl [--top N] [--min-ms MS]');
  process.exit(2);
}
const top = option('--top', 5);
const minMs = option('--min-ms', 30);

const profile = JSON.parse(fs.readFileSync(profileFile, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const frame = (n) => {
  const f = n.callFrame;
  const file = f.url ? f.url.replace(/^.*\/(node_modules|dist|src)\//, '$1/') : '';
  return `${f.functionName || '(anonymous)'} ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
};
const stackOf = (id) => {
  const frames = [];
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) frames.push(frame(nodes.get(cur)));
  return frames.reverse().filter((f) => !f.startsWith('(root)'));
};

// Sample times: startTime plus the running sum of timeDeltas.
const times = [];
let t = profile.startTime;
for (const d of profile.timeDeltas) times.push((t += d));

const entries = fs
  .readFileSync(blocksFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
// Only blocks inside a measured window (the probe's 'reset' … 'read'), not those of start-up.
const windows = [];
for (const e of entries) {
  if (e.reset !== undefined) windows.push([e.reset, Infinity]);
  if (e.read !== undefined && windows.length) windows[windows.length - 1][1] = e.read;
}
const measured = (b) => windows.length === 0 || windows.some(([from, to]) => b.fromUs >= from && b.toUs <= to);
const blocks = entries
  .filter((b) => b.own !== undefined && b.own >= minMs && measured(b) && b.fromUs >= profile.startTime && b.toUs <= profile.endTime)
  .sort((a, b) => b.own - a.own)
  .slice(0, top);
if (blocks.length === 0)
  console.log(`no block of ${minMs} ms or more inside the profile (${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s)`);

for (const b of blocks) {
  const self = new Map();
  const paths = new Map();
  let samples = 0;
  for (let i = 0; i < times.length; i++) {
    if (times[i] < b.fromUs || times[i] > b.toUs) continue;
    const id = profile.samples[i];
    const name = frame(nodes.get(id));
    if (name.startsWith('(idle)')) continue;
    samples++;
    self.set(name, (self.get(name) ?? 0) + 1);
    // The call path cut to its 8 innermost frames below the event loop's own.
    const key = stackOf(id).slice(-8).join('\n      ← ');
    paths.set(key, (paths.get(key) ?? 0) + 1);
  }
  console.log(`\nblock ${b.own} ms of own work, ${b.cpu} ms on a CPU, ${samples} busy samples`);
  for (const [name, n] of [...self].sort((x, y) => y[1] - x[1]).slice(0, 8)) console.log(`  ${String(n).padStart(4)}  ${name}`);
  console.log('  call paths:');
  for (const [p, n] of [...paths].sort((x, y) => y[1] - x[1]).slice(0, 3))
    console.log(`  ${String(n).padStart(4)}  ${p.split('\n      ← ').reverse().join('\n      ← ')}`);
}
