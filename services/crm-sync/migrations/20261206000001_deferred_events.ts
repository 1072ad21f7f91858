import { MESSAGING_TABLES, createDeferredEventsTable } from '@orderflow/messaging';
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await createDeferredEventsTable(knex);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(MESSAGING_TABLES.deferred);
}
