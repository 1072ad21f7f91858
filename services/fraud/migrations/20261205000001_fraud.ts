import { createMessagingTables, dropMessagingTables } from '@orderflow/messaging';
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await createMessagingTables(knex);
  await knex.schema.createTable('risk_assessments', (table) => {
    table.text('order_id').primary();
    table.text('customer_id').notNullable();
    table.text('decision').notNullable();
    table.decimal('score', 5, 4).notNullable();
    table.decimal('provider_score', 5, 4);
    table.decimal('local_score', 5, 4).notNullable();
    table.jsonb('reasons').notNullable();
    table.timestamp('assessed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE risk_assessments ADD CONSTRAINT risk_assessments_decision_check CHECK (decision IN ('approve', 'review', 'block'))`,
  );

  await knex.schema.createTable('review_queue', (table) => {
    table.bigIncrements('id');
    table.text('order_id').notNullable().unique().references('risk_assessments.order_id');
    table.text('status').notNullable().defaultTo('open');
    table.timestamp('queued_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('resolved_at', { useTz: true });
  });
  await knex.raw(
    `CREATE INDEX review_queue_open_idx ON review_queue (queued_at) WHERE status = 'open'`,
  );

  // One row per subject and fixed window. IP addresses are stored as SHA-256 hashes, because the
  // rule only needs to tell two addresses apart.
  await knex.schema.createTable('velocity_counters', (table) => {
    table.text('dimension').notNullable();
    table.text('subject_key').notNullable();
    table.timestamp('window_start', { useTz: true }).notNullable();
    table.integer('window_seconds').notNullable();
    table.integer('order_count').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['dimension', 'subject_key', 'window_start']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('velocity_counters');
  await knex.schema.dropTableIfExists('review_queue');
  await knex.schema.dropTableIfExists('risk_assessments');
  await dropMessagingTables(knex);
}
