// Appends each Jest run's counts to test-results/summary.jsonl, so `npm test` can close with one
// line for the whole monorepo (see tools/test.mjs). A suite that fails to load counts as a failure.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.displayName = globalConfig.rootDir ? path.basename(globalConfig.rootDir) : 'jest';
  }

  onRunComplete(_contexts, results) {
    const dir = path.join(__dirname, '..', 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    const brokenSuites = results.testResults.filter((s) => s.testExecError || (s.failureMessage && s.numFailingTests === 0)).length;
    const line = {
      project: this.displayName,
      passed: results.numPassedTests,
      failed: results.numFailedTests + brokenSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.appendFileSync(path.join(dir, 'summary.jsonl'), JSON.stringify(line) + '\n');
  }
}

module.exports = SummaryReporter;
