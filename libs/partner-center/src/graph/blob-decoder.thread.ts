/**
 * Entry of the blob decoder thread (blob-decoder.ts): reads one blob (GET with the SAS, gunzip,
 * JSON lines), decodes its lines into validated items and posts them to the main thread in order,
 * a few messages ahead at most (credits), then `end` — or `error` after what was decoded before it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Redactor } from '../redact';
import { BlobReadError, readBlobLines } from './blob-lines';
import type { DecoderMessage, DecoderRequest } from './blob-decoder';
import { ExportLineDecoder, type DecodedLines } from './line-decoder';

const port = parentPort;
if (!port) throw new Error('blob-decoder.thread: not started as a worker thread');
const request = workerData as DecoderRequest;

let credits = request.credits;
let wake: (() => void) | undefined;
port.on('message', (m: { credit: number }) => {
  credits += m.credit;
  wake?.();
});

const post = (m: DecoderMessage) => port.postMessage(m);

async function run(): Promise<void> {
  const counters = { bytes: 0 };
  const decoder = new ExportLineDecoder(request.dataset, request.blobName, request.skip);
  let pending: DecodedLines | null = null;
  const flush = async () => {
    if (!pending) return;
    // Backpressure: wait until the main thread has taken enough of what was sent.
    while (credits <= 0) await new Promise<void>((resolve) => (wake = resolve));
    credits -= 1;
    post({ type: 'lines', lines: pending, bytes: counters.bytes });
    pending = null;
  };
  try {
    // The thread's redactor knows no secret: the main thread redacts every message it passes on.
    for await (const lines of readBlobLines(request.url, request.label, { fetch, timeoutMs: request.timeoutMs, redactor: new Redactor() }, counters)) {
      const decoded = decoder.decode(lines);
      if (!decoded) continue;
      if (!pending) pending = decoded;
      else {
        pending.kinds.push(...decoded.kinds);
        for (const v of decoded.values) pending.values.push(v);
      }
      if (pending.kinds.length >= request.linesPerMessage) await flush();
    }
    await flush();
    post({ type: 'end', bytes: counters.bytes });
  } catch (err) {
    // Lines decoded before the failure go first: the checkpoint after them stays exact.
    await flush();
    if (err instanceof BlobReadError) post({ type: 'blob-error', message: err.message, status: err.status, storageCode: err.storageCode, bytes: counters.bytes });
    else post({ type: 'failure', message: err instanceof Error ? err.message : String(err) });
  }
}

void run().finally(() => port.close());
