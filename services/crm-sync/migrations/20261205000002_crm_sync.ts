import { createMessagingTables, dropMessagingTables } from '@orderflow/messaging';
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await createMessagingTables(knex);
  await knex.schema.createTable('customer_snapshots', (table) => {
    table.text('order_id').primary();
    table.text('customer_id').notNullable().index();
    table.text('email').notNullable();
    table.text('phone');
    table.text('segment');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('sync_state', (table) => {
    table.text('order_id').primary();
    table.text('customer_id').notNullable();
    table.text('provider').notNullable();
    table.text('contact_id').notNullable();
    table.text('deal_id').notNullable();
    table.boolean('contact_created').notNullable();
    table.boolean('deal_created').notNullable();
    table.timestamp('synced_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('conflict_log', (table) => {
    table.bigIncrements('id');
    table.text('order_id').notNullable().index();
    table.text('provider').notNullable();
    table.text('object_type').notNullable();
    table.text('object_id').notNullable();
    // [{ property, existingValue, incomingValue }] as the CRM had them before the update.
    table.jsonb('differences').notNullable();
    table.text('resolution').notNullable();
    table.timestamp('detected_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('conflict_log');
  await knex.schema.dropTableIfExists('sync_state');
  await knex.schema.dropTableIfExists('customer_snapshots');
  await dropMessagingTables(knex);
}
