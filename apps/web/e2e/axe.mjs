// axe-core in the page: the serious and critical accessibility violations of what is on screen.
// Evaluated through the DevTools protocol, so the app's Content-Security-Policy stays as strict as in
// production (an injected <script> tag would be, rightly, refused).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.nodes.length}×) ${v.nodes[0]?.target?.join(' ')}`);
}
