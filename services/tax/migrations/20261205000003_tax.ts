import { createMessagingTables, dropMessagingTables } from '@orderflow/messaging';
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await createMessagingTables(knex);
  await knex.schema.createTable('tax_calculations', (table) => {
    table.text('order_id').primary();
    table.text('currency').notNullable();
    table.bigInteger('subtotal_minor').notNullable();
    table.bigInteger('tax_minor').notNullable();
    table.bigInteger('total_minor').notNullable();
    table.text('source').notNullable();
    table.text('fallback_reason');
    table.text('transaction_code');
    table.jsonb('jurisdictions').notNullable();
    table.timestamp('calculated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE tax_calculations ADD CONSTRAINT tax_calculations_source_check CHECK (source IN ('provider', 'fallback_rates'))`,
  );

  // Evidence of each calculation for tax audits: what was sent to the provider and what came
  // back, without the customer's name, street or customer id. Rows are kept for 7 years after
  // `recorded_at`, until `retain_until`.
  await knex.schema.createTable('tax_audit_records', (table) => {
    table.bigIncrements('id');
    table.text('order_id').notNullable().index();
    table.text('source').notNullable();
    table.jsonb('request').notNullable();
    table.jsonb('response').notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.date('retain_until').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('tax_audit_records');
  await knex.schema.dropTableIfExists('tax_calculations');
  await dropMessagingTables(knex);
}
