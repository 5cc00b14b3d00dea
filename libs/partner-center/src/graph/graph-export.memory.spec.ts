/**
 * Memory stays bounded whatever the blob size: a 300k-line (≈ 510 MB uncompressed) gzip blob streamed
 * from a local server is read with the heap growing by far less than the data (the generator reads
 * no more than about one batch ahead of its consumer).
 */
import type { ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { FakeGraph, usageLines } from '../../test/fake-graph';
import { PartnerCenterClient } from '../index';

const LINES_PER_MEMBER = 10_000;
const MEMBERS = Number(process.env['GRAPH_MEMORY_SPEC_MEMBERS'] ?? 30);

/**
 * A full collection before each heap sample, so the samples measure what is retained, not garbage
 * V8 has not collected yet (jest runs without --expose-gc: expose it for this context).
 */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('Graph export memory bound', () => {
  let graph: FakeGraph;
  beforeAll(async () => {
    graph = await new FakeGraph().start();
  });
  afterAll(() => graph.stop());

  it(`reads ${LINES_PER_MEMBER * MEMBERS} lines with a bounded heap`, async () => {
    // A gzip file may be several members back to back (RFC 1952 §2.2); gunzip reads them as one
    // stream. Sending one compressed member many times makes a huge blob at no CPU cost to the server.
    const memberText = usageLines(0, LINES_PER_MEMBER);
    const member = gzipSync(Buffer.from(memberText));
    const uncompressedBytes = Buffer.byteLength(memberText) * MEMBERS;
    graph.blobs.set('huge.json.gz', (res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(member.length * MEMBERS) });
      let sent = 0;
      const pump = (): void => {
        while (sent < MEMBERS) {
          sent += 1;
          if (!res.write(member)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const client = new PartnerCenterClient({
      baseUrl: 'http://127.0.0.1:9',
      tokenUrl: 'http://127.0.0.1:9/t/oauth2/token',
      resource: 'r',
      appId: 'app',
      secret: 'secret-value',
      graph: { baseUrl: graph.baseUrl, tokenUrl: graph.tokenUrl },
    });
    const gc = collectGarbage();
    const started = Date.now();
    let lines = 0;
    let batches = 0;
    let baseline = 0;
    let peak = 0;
    for await (const batch of client.graphUsageExport({ kind: 'billed', invoiceId: 'G1' })) {
      lines += batch.items.length + batch.invalid.length;
      batches += 1;
      if (batches % 10 !== 5) continue;
      gc();
      const heap = process.memoryUsage().heapUsed;
      if (batches === 5) baseline = heap;
      else peak = Math.max(peak, heap);
    }
    const growthMb = (peak - baseline) / 1024 / 1024;
    console.log(`graph memory spec: ${lines} lines, ${Math.round(uncompressedBytes / 1e6)} MB uncompressed, ${Math.round((member.length * MEMBERS) / 1e6)} MB compressed, heap growth ${growthMb.toFixed(1)} MB, ${Date.now() - started} ms`);
    expect(lines).toBe(LINES_PER_MEMBER * MEMBERS);
    expect(uncompressedBytes).toBeGreaterThan(300e6);
    expect(growthMb).toBeLessThan(100);
  }, 60_000);
});
