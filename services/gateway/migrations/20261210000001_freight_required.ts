import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Set by shipment.freight_required: the order waits, uncharged, for freight delivery.
  await knex.schema.alterTable('orders', (table) => {
    table.boolean('freight_required').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (table) => {
    table.dropColumn('freight_required');
  });
}
