// Browser e2e of the web app against the real embedded stack. Closes with "N passed, N failed"
// and adds its counts to test-results/summary.jsonl for `npm test`'s closing line.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchChromium } from './browser.mjs';
import { E2E_NOW } from './clock.mjs';
import * as bundleSize from './bundle-size.e2e.mjs';
import * as costByServiceRegion from './cost-by-service-region.e2e.mjs';
import * as currencyCharts from './currency-charts.e2e.mjs';
import * as pages from './pages.e2e.mjs';
import { repoRoot, startStack } from './stack.mjs';
import * as tables from './tables.e2e.mjs';

// MERIDIAN_E2E_ONLY=<part of a suite's name> runs only the matching suites (e.g. while working on one).
const only = process.env.MERIDIAN_E2E_ONLY?.toLowerCase();
const suites = [bundleSize, costByServiceRegion, pages, currencyCharts, tables].filter((s) => !only || s.name.toLowerCase().includes(only));
let passed = 0;
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`  ✓ ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`  ✕ ${name}\n    ${String(err?.stack ?? err).split('\n').join('\n    ')}`);
  }
}

// Simulator and api read the pinned moment from the environment the stack inherits.
process.env.SIM_NOW = E2E_NOW.toISOString();
process.env.MERIDIAN_NOW = E2E_NOW.toISOString();
const started = Date.now();
const stack = await startStack();
console.log(`stack synced in ${((Date.now() - started) / 1000).toFixed(1)} s at ${stack.baseUrl}, clocks pinned to ${E2E_NOW.toISOString()}`);
let browser;
try {
  browser = await launchChromium({ fixedTime: E2E_NOW });
  for (const suite of suites) {
    console.log(suite.name);
    try {
      await suite.run({ browser, baseUrl: stack.baseUrl, accounts: stack.accounts, cookie: stack.cookie, check });
    } catch (err) {
      failed += 1;
      console.log(`  ✕ ${suite.name} could not run: ${err?.stack ?? err}`);
    }
  }
} catch (err) {
  failed += 1;
  console.log(`  ✕ browser could not start: ${err?.message ?? err}`);
} finally {
  await browser?.close();
  await stack.stop();
}
mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
appendFileSync(path.join(repoRoot, 'test-results/summary.jsonl'), JSON.stringify({ project: 'web-e2e', passed, failed, skipped: 0 }) + '\n');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
