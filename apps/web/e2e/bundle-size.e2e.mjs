// The dashboard's initial JavaScript (entry script + modulepreloads of the built index.html)
// must stay within 250 KB gzip (DESIGN §10); lazily loaded chunks (charts) do not count.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from './stack.mjs';

export const name = 'bundle size';
export const LIMIT_BYTES = 250 * 1024;

export function initialJsGzipBytes(dist = path.join(repoRoot, 'apps/web/dist')) {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)].map((m) => m[1]);
  assert.ok(files.length > 0, 'no script in dist/index.html');
  return files.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(dist, f.replace(/^\//, '')))).length, 0);
}

export async function run({ check }) {
  await check('initial JS of the built app is at most 250 KB gzip', async () => {
    const bytes = initialJsGzipBytes();
    console.log(`    initial JS: ${(bytes / 1024).toFixed(1)} KB gzip`);
    assert.ok(bytes <= LIMIT_BYTES, `${(bytes / 1024).toFixed(1)} KB > 250 KB`);
  });
}
