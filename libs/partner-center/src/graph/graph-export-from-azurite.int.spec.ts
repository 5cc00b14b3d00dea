/**
 * The Graph export read against real Azure Blob Storage semantics: Azurite (the Azure Storage
 * emulator) holds the gzip JSON-lines blobs, uploaded with @azure/storage-blob, behind a real
 * container SAS; a tiny fake Graph serves the operation and manifest pointing at it. Covers what a
 * home-made blob fake could get wrong: URL/SAS composition, storage's 403 on an expired SAS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BlobServiceClient, ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import { FakeGraph, usageLines } from '../../test/fake-graph';
import { PartnerCenterClient, type GraphBatch, type LogEvent } from '../index';

/** Azurite's well-known development account (documented, not a secret). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const CONTAINER = 'billedusagefastpath';
const FOLDER = 'v1/PartnerTenantId=t/BillingMonth=202611/InvoiceId=G000123456/Fragment=full/PartitionType=default';
const BLOBS: Array<[string, number, number]> = [
  ['part-00000-5e1c.c000.json.gz', 0, 3000],
  ['part-00001-5e1c.c000.json.gz', 3000, 2000],
];
const TOTAL = 5000;

interface Azurite {
  process: ChildProcess;
  port: number;
  workdir: string;
}

async function startAzurite(): Promise<Azurite> {
  const workdir = mkdtempSync(join(tmpdir(), 'meridian-azurite-'));
  const main = require.resolve('azurite/dist/src/blob/main.js');
  // Port 0: the OS picks a free port, Azurite prints it. In-memory: nothing left on disk.
  const child = spawn(process.execPath, [main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--silent', '--skipApiVersionCheck', '--loose', '--inMemoryPersistence', '--extentMemoryLimit', '256', '--disableTelemetry'], {
    cwd: workdir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Azurite did not start within 20 s: ${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /successfully listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with ${code}: ${out}`));
    });
  });
  return { process: child, port, workdir };
}

async function stopAzurite(azurite: Azurite | undefined): Promise<void> {
  if (!azurite) return;
  const { process: child } = azurite;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(azurite.workdir, { recursive: true, force: true });
}

describe('Graph export from Azurite (real blob storage, real SAS)', () => {
  let azurite: Azurite | undefined;
  let graph: FakeGraph;
  let credential: StorageSharedKeyCredential;
  let rootDirectory: string;

  beforeAll(async () => {
    azurite = await startAzurite();
    const accountUrl = `http://127.0.0.1:${azurite.port}/${ACCOUNT}`;
    credential = new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY);
    const container = new BlobServiceClient(accountUrl, credential).getContainerClient(CONTAINER);
    await container.create();
    for (const [name, from, count] of BLOBS) {
      // A UTF-8 BOM and CRLF endings as real exports may have.
      const body = gzipSync(Buffer.from(`\uFEFF${usageLines(from, count).replace(/\n/g, '\r\n')}`, 'utf8'));
      await container.getBlockBlobClient(`${FOLDER}/${name}`).uploadData(body, { blobHTTPHeaders: { blobContentType: 'application/gzip' } });
    }
    rootDirectory = `${accountUrl}/${CONTAINER}/${FOLDER}`;
  }, 60_000);

  afterAll(async () => {
    await stopAzurite(azurite);
  });

  beforeEach(async () => {
    graph = await new FakeGraph().start();
  });
  afterEach(() => graph.stop());

  /** A container-scoped read+list SAS (Azurite has no hierarchical namespace for directory SAS). */
  function sas(expiresOn: Date): string {
    return generateBlobSASQueryParameters({ containerName: CONTAINER, permissions: ContainerSASPermissions.parse('rl'), startsOn: new Date(Date.now() - 5 * 60_000), expiresOn }, credential).toString();
  }

  function client(logs: LogEvent[]): PartnerCenterClient {
    return new PartnerCenterClient({
      baseUrl: 'http://127.0.0.1:9',
      tokenUrl: 'http://127.0.0.1:9/t/oauth2/token',
      resource: 'r',
      appId: 'app',
      secret: 'secret-value',
      retryBaseMs: 10,
      log: (e) => logs.push(e),
      graph: { baseUrl: graph.baseUrl, tokenUrl: graph.tokenUrl, batchSize: 1000 },
    });
  }

  function expectEveryLineOnce(batches: GraphBatch<{ meterId: string; unitPrice: string }>[]): void {
    const keys = batches.flatMap((b) => b.items.map((i) => i.meterId));
    expect(batches.flatMap((b) => b.invalid)).toEqual([]);
    expect(keys).toHaveLength(TOTAL);
    expect(new Set(keys).size).toBe(TOTAL);
    expect(batches.every((b) => b.items.every((i) => i.unitPrice === '0.115'))).toBe(true);
  }

  it('reads every line of every blob exactly once', async () => {
    graph.storage = { rootDirectory, blobNames: BLOBS.map(([n]) => n), sas: () => sas(new Date(Date.now() + 60 * 60_000)) };
    const batches: GraphBatch<{ meterId: string; unitPrice: string }>[] = [];
    for await (const b of client([]).graphUsageExport({ kind: 'billed', invoiceId: 'G000123456' })) batches.push(b);
    expectEveryLineOnce(batches);
    expect(batches.at(-1)!.checkpoint).toMatchObject({ blobIndex: 1, lineInBlob: 2000, eTag: 'etag-1' }) // the last batch filled on the last line;
  });

  it('an SAS that expires mid-export (Azurite 403) → fresh SAS from the operation, no lost or repeated line', async () => {
    // The first SAS lives 1.5 s; the consumer pauses 2 s after its first batch, so the next blob
    // GET is refused by storage. Every later read of the operation mints an hour-long SAS.
    graph.storage = { rootDirectory, blobNames: BLOBS.map(([n]) => n), sas: (n) => sas(new Date(Date.now() + (n === 1 ? 1_500 : 60 * 60_000))) };
    const logs: LogEvent[] = [];
    const batches: GraphBatch<{ meterId: string; unitPrice: string }>[] = [];
    for await (const b of client(logs).graphUsageExport({ kind: 'billed', invoiceId: 'G000123456' })) {
      batches.push(b);
      if (batches.length === 1) await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    expectEveryLineOnce(batches);
    expect(batches.some((b) => b.restarted)).toBe(false);
    const refused = logs.find((l) => l.msg.includes('fresh SAS'));
    expect(refused).toMatchObject({ status: 403 });
    expect(['AuthenticationFailed', 'AuthorizationFailure']).toContain(refused!['storageCode']);
    // The signature of neither SAS reaches the logs.
    expect(JSON.stringify(logs)).not.toMatch(/sig=(?!\[redacted\])/);
    expect(graph.operationCount).toBe(1);
  });
});
