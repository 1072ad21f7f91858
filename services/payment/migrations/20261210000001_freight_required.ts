import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Set by shipment.freight_required: the order is too large for parcels and is never charged.
  await knex.schema.alterTable('payments', (table) => {
    table.boolean('freight_required').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (table) => {
    table.dropColumn('freight_required');
  });
}
