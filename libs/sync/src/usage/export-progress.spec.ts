import type { GraphExportProgress } from '@meridian/partner-center';
import type { SyncProgress } from '@meridian/store';
import { forEachConcurrently } from './concurrently';
import { ExportProgressReporter } from './export-progress';

const exporting = (elapsedMs: number, operationStatus: 'notStarted' | 'running' = 'running'): GraphExportProgress => ({ phase: 'exporting', operationStatus, polls: 1, elapsedMs });
const downloading = (blobsDone: number, blobCount: number, bytes: number): GraphExportProgress => ({ phase: 'downloading', blobsDone, blobCount, lines: 0, bytes });

describe('ExportProgressReporter', () => {
  let progress: SyncProgress;
  let persisted: SyncProgress[];
  let now: number;
  let reporter: ExportProgressReporter;

  beforeEach(() => {
    progress = { pages: 0, rows: 0, quarantined: 0 };
    persisted = [];
    now = 0;
    reporter = new ExportProgressReporter(progress, async () => void persisted.push({ ...progress }), 1000, () => now);
  });

  it('one export: its phase, its blobs and bytes; the phase clears when it ends', async () => {
    const e = reporter.begin();
    e.report(exporting(12_000, 'notStarted'));
    expect(progress.phase).toBe('waiting for Microsoft to prepare the export (notStarted, 12 s)');
    await reporter.settled();
    e.report(downloading(1, 3, 500));
    expect(progress).toMatchObject({ phase: 'downloading export blob 2 of 3', blobsDone: 1, blobsTotal: 3, bytesDone: 500 });
    await reporter.settled();
    e.report(downloading(3, 3, 900)); // same phase within the interval: not persisted
    e.end();
    expect(progress).toMatchObject({ phase: null, blobsDone: 3, blobsTotal: 3, bytesDone: 900 });
    await reporter.settled();
    expect(persisted.map((p) => p.phase)).toEqual([
      'waiting for Microsoft to prepare the export (notStarted, 12 s)',
      'downloading export blob 2 of 3',
      null,
    ]);
  });

  it.each([
    {
      name: 'all four still exporting',
      reports: [exporting(30_000), exporting(10_000, 'notStarted'), exporting(20_000), exporting(5_000)],
      phase: 'waiting for Microsoft to prepare 4 of 4 exports (notStarted, 30 s)',
      blobs: undefined,
    },
    {
      name: 'one still exporting, three downloading: still waiting for Microsoft',
      reports: [downloading(1, 2, 100), exporting(45_000), downloading(0, 1, 0), downloading(2, 4, 300)],
      phase: 'waiting for Microsoft to prepare 1 of 4 exports (running, 45 s)',
      blobs: { blobsDone: 3, blobsTotal: 7, bytesDone: 400 },
    },
    {
      name: 'all downloading: blobs and bytes summed',
      reports: [downloading(1, 2, 100), downloading(0, 1, 50), downloading(2, 4, 300), downloading(1, 1, 25)],
      phase: 'downloading 4 exports (4 of 8 blobs done)',
      blobs: { blobsDone: 4, blobsTotal: 8, bytesDone: 475 },
    },
  ])('four exports at once, $name', ({ reports, phase, blobs }) => {
    const handles = reports.map(() => reporter.begin());
    reports.forEach((r, i) => handles[i]!.report(r));
    expect(progress.phase).toBe(phase);
    if (blobs) expect(progress).toMatchObject(blobs);
    else expect(progress.blobsTotal).toBeUndefined();
  });

  it('an export that ends keeps its blobs and bytes in the run; later reports of it are ignored', () => {
    const a = reporter.begin();
    const b = reporter.begin();
    a.report(downloading(2, 2, 1000));
    b.report(downloading(0, 3, 10));
    a.end();
    a.report(downloading(0, 9, 99_999));
    expect(progress).toMatchObject({ phase: 'downloading export blob 1 of 3', blobsDone: 2, blobsTotal: 5, bytesDone: 1010 });
    b.report(downloading(3, 3, 700));
    b.end();
    expect(progress).toMatchObject({ phase: null, blobsDone: 5, blobsTotal: 5, bytesDone: 1700 });
  });

  it('exports one after another (previous, then current period): bytes and blobs add up', () => {
    const previous = reporter.begin();
    previous.report(downloading(4, 4, 4000));
    previous.end();
    const current = reporter.begin();
    current.report(exporting(1000));
    expect(progress).toMatchObject({ blobsDone: 4, blobsTotal: 4, bytesDone: 4000 });
    current.report(downloading(1, 2, 300));
    expect(progress).toMatchObject({ phase: 'downloading export blob 2 of 2', blobsDone: 5, blobsTotal: 6, bytesDone: 4300 });
  });

  it('persists at once on a phase change, otherwise at most every interval', async () => {
    const a = reporter.begin();
    const step = async (p: GraphExportProgress) => {
      a.report(p);
      await reporter.settled();
    };
    await step(exporting(0));
    await step(exporting(500));
    now = 999;
    await step(exporting(999));
    now = 1000;
    await step(exporting(1000));
    await step(downloading(0, 1, 10));
    expect(persisted.map((p) => p.phase)).toEqual([
      'waiting for Microsoft to prepare the export (running, 0 s)',
      'waiting for Microsoft to prepare the export (running, 1 s)',
      'downloading export blob 1 of 1',
    ]);
  });

  it('reconciliation: 7 exports, 4 at a time, interleaved reports → totals of every export, no overwrite', async () => {
    const blobCounts = [1, 2, 3, 1, 2, 3, 4];
    const phasesSeen = new Set<string | null | undefined>();
    await forEachConcurrently(blobCounts, 4, async (blobCount) => {
      const handle = reporter.begin();
      for (let polls = 0; polls < 3; polls++) {
        handle.report(exporting(polls * 1000));
        phasesSeen.add(progress.phase);
        await new Promise((r) => setTimeout(r, 1));
      }
      for (let done = 0; done <= blobCount; done++) {
        handle.report(downloading(done, blobCount, done * 100));
        phasesSeen.add(progress.phase);
        await new Promise((r) => setTimeout(r, 1));
      }
      handle.end();
    });
    expect(progress).toMatchObject({ phase: null, blobsDone: 16, blobsTotal: 16, bytesDone: 1600 });
    expect([...phasesSeen].some((p) => /^waiting for Microsoft to prepare \d of 4 exports/.test(p ?? ''))).toBe(true);
  });

  it('a failing persist never reaches the export', async () => {
    const failing = new ExportProgressReporter(progress, async () => Promise.reject(new Error('store down')), 1000, () => now);
    const e = failing.begin();
    expect(() => e.report(exporting(0))).not.toThrow();
    await expect(failing.settled()).resolves.toBeUndefined();
  });
});
