import { Worker } from 'node:worker_threads';

/**
 * Checkpoints an SQLite database's WAL from a worker thread on its own connection, so that the
 * checkpoint's copy into the database file and its fsync do not run inside a COMMIT on the main
 * thread (better-sqlite3 is synchronous: a commit that checkpoints blocks the event loop until the
 * disk answers). PASSIVE checkpoints never wait for, or block, the writer; the main connection
 * keeps a large automatic checkpoint as a backstop should this thread fall behind or stop.
 */
export class WalCheckpointer {
  private constructor(
    private readonly worker: Worker,
    /** Settles when the thread has ended: after stop(), or earlier if it failed (e.g. could not open the file). */
    private readonly exited: Promise<void>,
  ) {}

  static start(databaseFile: string, intervalMs = 200): WalCheckpointer {
    const worker = new Worker(CHECKPOINT_LOOP, { eval: true, workerData: { databaseFile, intervalMs } });
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // A thread that fails ends without taking the process down; the automatic checkpoint remains.
    worker.on('error', () => undefined);
    worker.unref();
    return new WalCheckpointer(worker, exited);
  }

  /** Stops the loop and closes the thread's connection (before the main connection closes). */
  async stop(): Promise<void> {
    // Unreferenced, the thread would let the process end before it closed its connection.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}

const CHECKPOINT_LOOP = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
const db = new Database(workerData.databaseFile, { fileMustExist: true, timeout: 0 });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or locked: the next tick tries again
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;
