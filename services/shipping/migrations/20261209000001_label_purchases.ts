import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The carrier object that an order's labels are bought from, stored and committed before the
  // purchase, so that a retried capture buys or reads this object instead of creating another.
  // The table has no foreign key to shipments. The row is inserted on its own connection while
  // the capture's transaction holds the shipments row FOR UPDATE, and the key check would wait
  // for that lock.
  await knex.schema.createTable('label_purchases', (table) => {
    table.text('order_id').primary();
    table.text('object_type').notNullable();
    table.text('object_id').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('label_purchases');
}
