#!/usr/bin/env node
// `npm test`: lint, type-check, unit + integration tests and the browser e2e of every project
// through Nx, then one closing line with the counts of all of them: "tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const summary = path.join(root, 'test-results', 'summary.jsonl');
rmSync(summary, { force: true });

const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['lint', 'typecheck', 'test', 'e2e'];
const runMany = (names, parallel) =>
  spawnSync(process.execPath, [path.join(root, 'node_modules/nx/dist/bin/nx.js'), 'run-many', '-t', ...names, '--outputStyle=stream', `--parallel=${parallel}`], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
// Two projects at a time, except the specs that bound the api's event-loop blocks (target
// test-timing): they run afterwards, alone. Beside another project's integration tests on two
// cores their api was slowed by more than its own work (docs/performance.md, third session of
// 2026-12-03), and a bound on a block measures the code only when nothing else competes.
const first = runMany(targets, 2);
const timing = targets.includes('test') ? runMany(['test-timing'], 1) : { status: 0 };
const nx = { status: first.status === 0 ? timing.status : (first.status ?? 1) };

const totals = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(summary)) {
  for (const line of readFileSync(summary, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    totals.passed += r.passed;
    totals.failed += r.failed;
    totals.skipped += r.skipped;
    console.log(`  ${r.project}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
  }
}
const status = nx.status ?? 1;
// A failing lint or type-check has no test count of its own: it still fails the run.
if (status !== 0 && totals.failed === 0) totals.failed = 1;
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(status);
