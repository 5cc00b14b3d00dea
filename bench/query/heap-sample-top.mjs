// Where the objects in a sampling heap profile were allocated (bench:query --heap-sample FILE):
//   node bench/query/heap-sample-top.mjs FILE [--top 15]
// By allocating function (self) and by the product's innermost frames on the stack.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' } } });
if (!positionals[0]) throw new Error('usage: node bench/query/heap-sample-top.mjs FILE [--top N]');
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const label = (f) => `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
const ours = (f) => /\/(apps|libs)\//.test(f.url) && !f.url.includes('node_modules');
const bySelf = new Map();
const byStack = new Map();
let total = 0;
(function walk(node, stack) {
  const here = [...stack, node.callFrame];
  if (node.selfSize) {
    total += node.selfSize;
    bySelf.set(label(node.callFrame), (bySelf.get(label(node.callFrame)) ?? 0) + node.selfSize);
    const key =
      here
        .filter((f) => f.url)
        .slice(-4)
        .map(label)
        .join(' < ') +
      ' | ' +
      here.filter(ours).slice(-2).map(label).join(' < ');
    byStack.set(key, (byStack.get(key) ?? 0) + node.selfSize);
  }
  for (const c of node.children) walk(c, here);
})(profile.head, []);
const mb = (b) => (b / 1e6).toFixed(1).padStart(7);
const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
console.log(`${mb(total)} MB sampled`);
console.log('\n== by allocating function');
for (const [k, v] of top(bySelf)) console.log(`${mb(v)} MB  ${k}`);
console.log('\n== by stack (innermost 4 frames | innermost 2 of ours)');
for (const [k, v] of top(byStack)) console.log(`${mb(v)} MB  ${k}`);
