import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

/**
 * Pre-aggregates for every breakdown (docs/decisions/0017-pre-aggregates-for-every-dimension.md):
 * monthly tables beside the daily rollup — the dashboard dimensions by month, the same plus resource
 * group and meter, and one row per tag key and value — all with integer limbs, all maintained by
 * adding deltas as the sync writes. The daily rollup gets a unique key so deltas can be added to it
 * too, and now also holds 'pending' rows (queries leave them out; month close moves them to billed).
 * The new tables start empty: the store fills them from the raw rows when it opens
 * (CostRollupRepository.rebuildIfMissing).
 */
export class MonthlyAggregates1765065600000 implements MigrationInterface {
  name = 'MonthlyAggregates1765065600000';

  async up(qr: QueryRunner): Promise<void> {
    const str = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: false });
    const text = (name: string): TableColumnOptions => ({ name, type: 'text', isNullable: false });
    const int = (name: string): TableColumnOptions => ({ name, type: 'bigint', isNullable: false, default: 0 });
    const light = [
      str('billing_account_id', 64),
      str('billing_period_start', 10),
      str('x_cloud', 16),
      str('x_customer_id', 64),
      str('sub_account_id', 64),
      str('service_name', 200),
      str('region_id', 64),
      str('x_charge_type', 32),
      str('invoice_id', 64),
      str('x_source', 16),
      str('billing_currency', 3),
    ];
    const amounts = ['billed_l0', 'billed_l1', 'billed_l2', 'list_l0', 'list_l1', 'list_l2', 'row_count'].map(int);
    const names = (cols: TableColumnOptions[]) => cols.map((c) => c.name);
    const tables: { name: string; keys: TableColumnOptions[]; extraIndexes: string[][] }[] = [
      { name: 'cost_monthly_rollup', keys: [str('charge_month', 7), ...light], extraIndexes: [] },
      { name: 'cost_monthly_detail', keys: [str('charge_month', 7), ...light, str('x_resource_group', 200), str('x_meter_id', 64)], extraIndexes: [] },
      // Tag keys and values as Azure allows them (512 / 256 characters): text, not a short varchar.
      { name: 'cost_monthly_tag', keys: [str('charge_month', 7), ...light, str('x_resource_group', 200), text('tag_key'), text('tag_value')], extraIndexes: [['tag_key', 'charge_month']] },
    ];
    for (const t of tables) {
      await qr.createTable(
        new Table({
          name: t.name,
          columns: [...t.keys, ...amounts],
          indices: [
            new TableIndex({ name: `ux_${t.name}_key`, columnNames: names(t.keys), isUnique: true }),
            new TableIndex({ name: `ix_${t.name}_month_account`, columnNames: ['charge_month', 'billing_account_id'] }),
            new TableIndex({ name: `ix_${t.name}_account_period`, columnNames: ['billing_account_id', 'billing_period_start', 'x_source'] }),
            ...t.extraIndexes.map((cols) => new TableIndex({ name: `ix_${t.name}_${cols.join('_')}`, columnNames: cols })),
          ],
        }),
      );
    }
    // The daily rollup was built with GROUP BY over its whole key: its rows are already unique.
    await qr.createIndex(
      'cost_daily_rollup',
      new TableIndex({ name: 'ux_cost_daily_rollup_key', columnNames: ['charge_period_start', ...names(light)], isUnique: true }),
    );
    // Rebuilt with 'pending' rows included on the next open (rebuildIfMissing sees the empty monthly tables).
    await qr.query('DELETE FROM cost_daily_rollup');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('cost_daily_rollup', 'ux_cost_daily_rollup_key');
    for (const t of ['cost_monthly_tag', 'cost_monthly_detail', 'cost_monthly_rollup']) await qr.dropTable(t);
    await qr.query('DELETE FROM cost_daily_rollup');
  }
}
