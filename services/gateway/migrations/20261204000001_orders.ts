import { createMessagingTables, dropMessagingTables } from '@orderflow/messaging';
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await createMessagingTables(knex);
  // Read model of each order, projected from every saga event.
  await knex.schema.createTable('orders', (table) => {
    table.text('order_id').primary();
    table.text('intake').notNullable().defaultTo('kafka');
    table.text('customer_id');
    table.text('currency');
    table.bigInteger('subtotal_minor');
    table.text('request_hash');
    table.text('rejection_reason');
    table.boolean('address_rejected').notNullable().defaultTo(false);
    table.text('fraud_decision');
    table.text('payment_state');
    table.bigInteger('amount_minor');
    table.text('customer_message');
    table.boolean('label_created').notNullable().defaultTo(false);
    table.text('tracking_code');
    table.boolean('crm_synced').notNullable().defaultTo(false);
    table.specificType('notified_templates', 'text[]').notNullable().defaultTo('{}');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('order_timeline', (table) => {
    table.bigIncrements('id');
    table.text('order_id').notNullable().index();
    table.text('event_id').notNullable().unique();
    table.text('event_type').notNullable();
    table.timestamp('occurred_at', { useTz: true }).notNullable();
    table.text('summary').notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('order_timeline');
  await knex.schema.dropTableIfExists('orders');
  await dropMessagingTables(knex);
}
