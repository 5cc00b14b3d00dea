import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * x_list_cost: the usage at list price (quantity × unitPrice × pcToBC rate), in the billing
 * currency. Customer-scoped users see this, never the partner's cost (billed_cost, after Partner
 * Earned Credit). Rows synced before this migration have none: they show no amount to such users.
 */
export class ListCost1764201600000 implements MigrationInterface {
  name = 'ListCost1764201600000';

  async up(qr: QueryRunner): Promise<void> {
    const postgres = qr.connection.options.type === 'postgres';
    await qr.addColumn('cost_line_item', new TableColumn({ name: 'x_list_cost', type: postgres ? 'numeric' : 'text', isNullable: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('cost_line_item', 'x_list_cost');
  }
}
