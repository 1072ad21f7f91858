import { keepOnlyPendingOutboxRows, restoreOutboxSentState } from '@orderflow/messaging';
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await keepOnlyPendingOutboxRows(knex);
}

export async function down(knex: Knex): Promise<void> {
  await restoreOutboxSentState(knex);
}
