import { createScratchDatabase } from '@orderflow/test-support';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MESSAGING_TABLES,
  createMessagingTables,
  keepOnlyPendingOutboxRows,
  restoreOutboxSentState,
} from '../src/index.js';

describe('outbox table migrations', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let db: Knex;

  beforeAll(async () => {
    scratch = await createScratchDatabase('outbox_migration');
    db = knex({ client: 'pg', connection: scratch.url, pool: { min: 0, max: 2 } });
    await createMessagingTables(db);
  });

  afterAll(async () => {
    await db.destroy();
    await scratch.drop();
  });

  function outboxRow(eventId: string, status: 'pending' | 'sent') {
    return {
      event_id: eventId,
      topic: 'order.created',
      message_key: `ORDER-${eventId.slice(-1)}`,
      payload: '{}',
      status,
    };
  }

  async function hasPendingIndex(): Promise<boolean> {
    const result = await db.raw<{ rows: unknown[] }>(
      `SELECT 1 FROM pg_indexes WHERE tablename = ? AND indexname = 'outbox_events_pending_idx'`,
      [MESSAGING_TABLES.outbox],
    );
    return result.rows.length > 0;
  }

  it('keeps the pending rows, deletes the sent ones and drops the pending index', async () => {
    await db(MESSAGING_TABLES.outbox).insert([
      outboxRow('00000000-0000-4000-8000-000000000001', 'sent'),
      outboxRow('00000000-0000-4000-8000-000000000002', 'pending'),
    ]);

    await keepOnlyPendingOutboxRows(db);
    await keepOnlyPendingOutboxRows(db);

    const rows = await db(MESSAGING_TABLES.outbox).select('event_id');
    expect(rows.map((row) => row.event_id)).toEqual(['00000000-0000-4000-8000-000000000002']);
    expect(await hasPendingIndex()).toBe(false);
  });

  it('keeps the status column for older relays', async () => {
    await db(MESSAGING_TABLES.outbox).update({ status: 'sent', sent_at: db.fn.now() });
    await expect(db(MESSAGING_TABLES.outbox).update({ status: 'lost' })).rejects.toThrow(
      /outbox_events_status_check/,
    );
    await db(MESSAGING_TABLES.outbox).update({ status: 'pending', sent_at: null });
  });

  it('restores the pending index', async () => {
    await restoreOutboxSentState(db);
    await restoreOutboxSentState(db);

    expect(await hasPendingIndex()).toBe(true);
    const rows = await db(MESSAGING_TABLES.outbox).select('status');
    expect(rows.map((row) => row.status)).toEqual(['pending']);
  });
});
