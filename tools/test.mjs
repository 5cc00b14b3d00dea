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
const nx = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/nx/dist/bin/nx.js'), 'run-many', '-t', ...targets, '--outputStyle=stream', '--parallel=2'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } },
);

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
