import { createMessagingTables, dropMessagingTables } from '@orderflow/messaging';
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await createMessagingTables(knex);
  await knex.schema.createTable('order_contacts', (table) => {
    table.text('order_id').primary();
    table.text('customer_id').notNullable().index();
    table.text('email').notNullable();
    table.text('phone');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('preferences', (table) => {
    table.text('customer_id').primary();
    table.boolean('email_enabled').notNullable();
    table.boolean('sms_enabled').notNullable();
    // `default` rows follow the orders seen; `customer` rows are the customer's own choice.
    table.text('source').notNullable().defaultTo('default');
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE preferences ADD CONSTRAINT preferences_source_check
       CHECK (source IN ('default', 'customer'))`,
  );
  await knex.schema.createTable('suppressions', (table) => {
    table.text('channel').notNullable();
    // Email addresses in lower case, phone numbers in E.164 form.
    table.text('address').notNullable();
    table.text('reason').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['channel', 'address']);
  });
  await knex.schema.createTable('communication_log', (table) => {
    table.bigIncrements('id');
    table.text('order_id').notNullable();
    table.text('template').notNullable();
    table.text('channel').notNullable();
    // `pending` marks a claimed row inside the sending transaction and never outlives it.
    table.text('status').notNullable();
    table.text('recipient_hint').notNullable();
    table.text('provider_message_id');
    table.text('failure_reason');
    table.text('event_id').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['order_id', 'template', 'channel']);
  });
  await knex.raw(
    `ALTER TABLE communication_log ADD CONSTRAINT communication_log_status_check
       CHECK (status IN ('pending', 'sent', 'failed', 'suppressed'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('communication_log');
  await knex.schema.dropTableIfExists('suppressions');
  await knex.schema.dropTableIfExists('preferences');
  await knex.schema.dropTableIfExists('order_contacts');
  await dropMessagingTables(knex);
}
