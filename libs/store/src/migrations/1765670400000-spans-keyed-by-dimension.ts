import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each span table and the dimension its primary key now orders a span's groups by (decision 0032). */
const KEYED: readonly { table: string; dimension: string }[] = [
  { table: 'cost_span_resource_group', dimension: 'x_resource_group' },
  { table: 'cost_span_meter', dimension: 'x_meter_id' },
];

/**
 * The span tables' primary key becomes (span, dimension, agg_key): a span's groups lie in the order
 * of the resource group (meter) they sum, so a range of that dimension within a span is a range of
 * the key. A year's breakdown is then read in parts, one per read thread, each a key range (decision
 * 0032), and SQLite's GROUP BY sorts input that is already in order. Rows are kept as they are.
 */
export class SpansKeyedByDimension1765670400000 implements MigrationInterface {
  name = 'SpansKeyedByDimension1765670400000';

  async up(qr: QueryRunner): Promise<void> {
    for (const { table, dimension } of KEYED) await rekey(qr, table, ['span', dimension, 'agg_key']);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const { table } of KEYED) await rekey(qr, table, ['span', 'agg_key']);
  }
}

async function rekey(qr: QueryRunner, table: string, key: readonly string[]): Promise<void> {
  if (qr.connection.options.type === 'postgres') {
    const [pk] = await qr.query(`SELECT conname FROM pg_constraint WHERE conrelid = to_regclass($1) AND contype = 'p'`, [table]);
    await qr.query(`ALTER TABLE ${table} DROP CONSTRAINT "${pk.conname}", ADD PRIMARY KEY (${key.join(', ')})`);
    return;
  }
  // SQLite cannot change a primary key: the table is copied into one declared with the new key.
  const [{ sql }] = await qr.query(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [table]);
  const declared = String(sql).replace(/PRIMARY KEY \([^)]*\)/, `PRIMARY KEY (${key.join(', ')})`);
  if (declared === sql) throw new Error(`${table}: no primary key in its declaration`);
  const indexes: { sql: string }[] = await qr.query(
    `SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`,
    [table],
  );
  await qr.query(`ALTER TABLE ${table} RENAME TO ${table}_old`);
  await qr.query(declared);
  await qr.query(`INSERT INTO ${table} SELECT * FROM ${table}_old`);
  await qr.query(`DROP TABLE ${table}_old`);
  for (const index of indexes) await qr.query(index.sql);
}
