import * as path from 'node:path';

export type StoreConfig =
  | { type: 'sqlite'; /** file path, or ':memory:' */ database: string }
  | { type: 'postgres'; url: string; /** schema to use (created if missing); default public */ schema?: string };

/** The database file of an SQLite store; undefined for PostgreSQL and for an in-memory SQLite store. */
export function sqliteFileOf(config: StoreConfig): string | undefined {
  return config.type === 'sqlite' && config.database !== ':memory:' ? config.database : undefined;
}

/**
 * Embedded mode uses SQLite under MERIDIAN_DATA_DIR (default ./data); DATABASE_URL switches to
 * PostgreSQL (scaled mode).
 */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  if (env.DATABASE_URL) {
    return { type: 'postgres', url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA || undefined };
  }
  return { type: 'sqlite', database: path.join(dataDirFromEnv(env), 'meridian.sqlite') };
}

export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.MERIDIAN_DATA_DIR || './data');
}
