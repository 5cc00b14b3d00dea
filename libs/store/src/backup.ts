import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { SecretBox } from './secret-box';

/**
 * Backup and restore of the embedded (SQLite) store. The PostgreSQL store is backed up with
 * pg_dump/pg_restore (README, "Backup and restore"). Neither copy holds the key that seals the
 * Partner Center secrets: a backup alone cannot reveal them, and the key is kept apart
 * (docs/decisions/0023-backup-upgrade-retention.md).
 */

export interface BackupResult {
  bytes: number;
  pages: number;
  ms: number;
}

/**
 * Copies a live SQLite store with SQLite's online backup API. The copy is one snapshot: after the
 * first pages the rest is transferred in a single step, under one read transaction, so a sync
 * committing meanwhile is either wholly in the copy or not at all (in WAL mode the read does not
 * block the writer, and a step-wise copy would restart on every commit of another connection).
 * Written beside the target and renamed, so a failed backup never leaves a half file at `out`.
 */
export async function backupSqlite(databaseFile: string, out: string): Promise<BackupResult> {
  if (!fs.existsSync(databaseFile)) throw new Error(`no SQLite store at ${databaseFile}`);
  const target = path.resolve(out);
  if (fs.existsSync(target)) throw new Error(`${target} exists: choose a new file`);
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  const started = Date.now();
  const db = new Database(databaseFile, { fileMustExist: true, timeout: 10_000 });
  try {
    const progress = await db.backup(partial, { progress: () => 0x7fffffff });
    const check = new Database(partial, { fileMustExist: true });
    try {
      const verdict = check.pragma('quick_check', { simple: true });
      if (verdict !== 'ok') throw new Error(`the backup failed its integrity check: ${String(verdict)}`);
      // A self-contained file: no WAL beside it.
      check.pragma('journal_mode = DELETE');
    } finally {
      check.close();
    }
    fs.renameSync(partial, target);
    return { bytes: fs.statSync(target).size, pages: progress.totalPages, ms: Date.now() - started };
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
}

/** What a backup file holds, read before anything is restored from it. */
export interface BackupContents {
  /** Names of the schema migrations applied when the backup was taken (the newest last). */
  migrations: string[];
  /** Sealed secrets (accounts, webhook channels): one of them, to test a key against. */
  sealedSample: string | null;
  sealedCount: number;
}

export function inspectSqliteBackup(file: string): BackupContents {
  if (!fs.existsSync(file)) throw new Error(`no file ${file}`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new Error(`${file} is not an SQLite database: ${(err as Error).message}`);
  }
  try {
    const tables = new Set(
      (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name),
    );
    if (!tables.has('migrations') || !tables.has('account'))
      throw new Error(`${file} is not a Meridian backup (no migrations or account table)`);
    const migrations = (db.prepare('SELECT name FROM migrations ORDER BY timestamp').all() as { name: string }[]).map((r) => r.name);
    const sealed = [
      ...(db.prepare('SELECT secret_enc AS s FROM account').all() as { s: string }[]),
      ...(tables.has('notification_channel')
        ? (db.prepare('SELECT secret_enc AS s FROM notification_channel WHERE secret_enc IS NOT NULL').all() as { s: string }[])
        : []),
    ].map((r) => r.s);
    return { migrations, sealedSample: sealed[0] ?? null, sealedCount: sealed.length };
  } finally {
    db.close();
  }
}

/** True when the key opens a sealed secret of the backup (or there is none to open). */
export function keyOpensBackup(contents: BackupContents, key: SecretBox): boolean {
  if (!contents.sealedSample) return true;
  try {
    key.open(contents.sealedSample);
    return true;
  } catch {
    return false;
  }
}

/**
 * Restores a backup file as the store of an empty data directory (no database there yet): the
 * caller has checked the key. Copied beside the target and renamed, so an interrupted restore
 * leaves no store behind.
 */
export function restoreSqlite(from: string, databaseFile: string): { bytes: number } {
  for (const f of [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`]) {
    if (fs.existsSync(f)) throw new Error(`${f} exists: restore goes into an empty data directory`);
  }
  fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
  const partial = `${databaseFile}.restoring`;
  fs.copyFileSync(from, partial);
  fs.renameSync(partial, databaseFile);
  return { bytes: fs.statSync(databaseFile).size };
}
