import type { Knex } from 'knex';

/** Table names used by the outbox relay and the inbox. */
export const MESSAGING_TABLES = {
  outbox: 'outbox_events',
  inbox: 'inbox_events',
  deferred: 'deferred_events',
} as const;

/** Partial index of pending outbox rows, read by relays that mark rows sent instead of deleting them. */
const PENDING_INDEX = `outbox_events_pending_idx ON ${MESSAGING_TABLES.outbox} (id) WHERE status = 'pending'`;

/**
 * Creates the outbox and inbox tables. Each service calls this from its first knex migration,
 * so the tables live in the service's own database beside its business tables.
 */
export async function createMessagingTables(knex: Knex): Promise<void> {
  await knex.schema.createTable(MESSAGING_TABLES.outbox, (table) => {
    // The bigserial id fixes publication order: the relay always sends the lowest pending ids first.
    table.bigIncrements('id').primary();
    table.uuid('event_id').notNullable().unique();
    table.text('topic').notNullable();
    table.text('message_key').notNullable();
    // Text, not jsonb: the relay sends the serialized envelope as it is and never queries into it.
    table.text('payload').notNullable();
    table.jsonb('headers').notNullable().defaultTo('{}');
    table.text('status').notNullable().defaultTo('pending');
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('last_error');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('sent_at', { useTz: true });
  });
  await knex.raw(`CREATE INDEX ${PENDING_INDEX}`);
  await knex.raw(
    `ALTER TABLE ${MESSAGING_TABLES.outbox} ADD CONSTRAINT outbox_events_status_check CHECK (status IN ('pending', 'sent'))`,
  );

  await knex.schema.createTable(MESSAGING_TABLES.inbox, (table) => {
    table.text('consumer_group').notNullable();
    table.text('event_id').notNullable();
    table.text('event_type').notNullable();
    table.text('topic').notNullable();
    table.integer('partition').notNullable();
    table.text('offset').notNullable();
    table.timestamp('handled_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['consumer_group', 'event_id']);
  });
}

/**
 * Creates the table of events parked until the event they depend on was handled (see
 * HandlerContext.defer). Services add it in their second migration, after
 * createMessagingTables, so databases created before it existed get it too.
 */
export async function createDeferredEventsTable(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable(MESSAGING_TABLES.deferred)) return;
  await knex.schema.createTable(MESSAGING_TABLES.deferred, (table) => {
    table.bigIncrements('id').primary();
    table.text('consumer_group').notNullable();
    table.text('subject').notNullable();
    table.text('event_id').notNullable();
    table.text('topic').notNullable();
    table.integer('partition').notNullable();
    table.text('offset').notNullable();
    table.jsonb('payload').notNullable();
    table.text('reason').notNullable();
    table.timestamp('deferred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['consumer_group', 'subject']);
  });
}

/**
 * Prepares the outbox for a relay that deletes each row once Kafka has acknowledged its event,
 * so that the table contains pending events only: rows already sent are deleted, and the partial
 * index of pending rows goes, because the relay now reads in primary key order. Services add it
 * in a migration after the one that calls createDeferredEventsTable.
 *
 * The status and sent_at columns stay, so that relays of the previous release still work while a
 * rolling deploy replaces them. Rows that such a relay marks sent in that time are published once
 * more by the new relay, and consumers drop them by event id.
 *
 * NOTE: a later migration can drop status and sent_at once no relay of the previous release runs.
 */
export async function keepOnlyPendingOutboxRows(knex: Knex): Promise<void> {
  await knex(MESSAGING_TABLES.outbox).where({ status: 'sent' }).delete();
  await knex.raw('DROP INDEX IF EXISTS outbox_events_pending_idx');
}

/** Reverses keepOnlyPendingOutboxRows: every remaining row is pending. For a migration's `down`. */
export async function restoreOutboxSentState(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX IF NOT EXISTS ${PENDING_INDEX}`);
}

/** Drops the tables made by createMessagingTables; for a migration's `down`. */
export async function dropMessagingTables(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(MESSAGING_TABLES.deferred);
  await knex.schema.dropTableIfExists(MESSAGING_TABLES.inbox);
  await knex.schema.dropTableIfExists(MESSAGING_TABLES.outbox);
}
