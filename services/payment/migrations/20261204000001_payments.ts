import { createMessagingTables, dropMessagingTables } from '@orderflow/messaging';
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await createMessagingTables(knex);
  await knex.schema.createTable('payments', (table) => {
    table.text('order_id').primary();
    table.text('state').notNullable();
    table.boolean('order_received').notNullable().defaultTo(false);
    table.text('currency');
    table.bigInteger('subtotal_minor');
    table.bigInteger('tax_minor');
    table.bigInteger('amount_minor');
    table.text('payment_method_id');
    table.text('fraud_decision');
    table.boolean('address_verified');
    table.text('payment_intent_id');
    table.text('failure_code');
    table.text('decline_code');
    table.text('customer_message');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('payment_attempts', (table) => {
    table.bigIncrements('id');
    table.text('order_id').notNullable().index();
    table.text('operation').notNullable();
    table.text('idempotency_key').notNullable();
    table.bigInteger('amount_minor').notNullable();
    table.text('outcome').notNullable();
    table.text('payment_intent_id');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('payment_state_changes', (table) => {
    table.bigIncrements('id');
    table.text('order_id').notNullable().index();
    table.text('from_state').notNullable();
    table.text('to_state').notNullable();
    table.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('payment_state_changes');
  await knex.schema.dropTableIfExists('payment_attempts');
  await knex.schema.dropTableIfExists('payments');
  await dropMessagingTables(knex);
}
