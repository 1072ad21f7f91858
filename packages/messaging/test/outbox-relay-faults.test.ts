import { waitFor } from '@orderflow/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MESSAGING_TABLES,
  OutboxRelay,
  addToOutbox,
  type OutboxRelayOptions,
} from '../src/index.js';
import {
  createPrefixedTopics,
  openTestDatabase,
  order,
  removeTopics,
  silentLogger,
  testKafka,
} from './harness.js';

const TOPICS = ['order.created'];

describe('outbox relay faults', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let prefix: string;

  beforeAll(async () => {
    database = await openTestDatabase('outbox_faults');
    prefix = await createPrefixedTopics(TOPICS, 1);
  });

  afterAll(async () => {
    await database.drop();
    await removeTopics(prefix, TOPICS);
  });

  async function enqueue(orderIds: string[]): Promise<void> {
    await database.db.transaction(async (trx) => {
      for (const orderId of orderIds) {
        await addToOutbox(trx, {
          type: 'order.created',
          source: 'test',
          subject: orderId,
          data: order(orderId),
        });
      }
    });
  }

  function newRelay(overrides: Partial<OutboxRelayOptions>): OutboxRelay {
    return new OutboxRelay({
      service: 'faults-test',
      db: database.db,
      databaseUrl: database.url,
      kafka: testKafka(),
      logger: silentLogger,
      topicPrefix: prefix,
      idleWaitMs: 50,
      ...overrides,
    });
  }

  async function pendingRows(): Promise<number> {
    const [row] = await database
      .db(MESSAGING_TABLES.outbox)
      .count<{ count: string }[]>('* as count');
    return Number(row!.count);
  }

  // drain() starts deleting a sent batch and awaits that promise only after the next batch was
  // sent. A DELETE that failed in between must not be an unhandled rejection, which ends a
  // Node 20 process that has no unhandledRejection listener.
  it('survives a failed delete mid-drain', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    await database.db.raw(`CREATE FUNCTION reject_outbox_delete() RETURNS trigger
      LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outbox delete rejected by the test'; END $$`);
    await database.db.raw(`CREATE TRIGGER reject_outbox_delete BEFORE DELETE ON outbox_events
      FOR EACH STATEMENT EXECUTE FUNCTION reject_outbox_delete()`);
    await enqueue(Array.from({ length: 200 }, (_, index) => `DELETE-${index}`));

    const relay = newRelay({ batchSize: 20 });
    await relay.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    } finally {
      await relay.stop();
      process.off('unhandledRejection', onUnhandled);
      await database.db.raw('DROP TRIGGER reject_outbox_delete ON outbox_events');
      await database.db.raw('DROP FUNCTION reject_outbox_delete()');
      await database.db(MESSAGING_TABLES.outbox).delete();
    }

    expect(unhandled).toEqual([]);
  });

  // A relay leads while its LISTEN connection holds the advisory lock. When that connection
  // dies, PostgreSQL releases the lock and another relay may take it, so the relay that lost the
  // connection must stop publishing until it holds the lock again.
  it('publishes once after leader loss', async () => {
    const published = { first: 0, second: 0 };
    const first = newRelay({ onPublished: (ids) => void (published.first += ids.length) });
    const second = newRelay({ onPublished: (ids) => void (published.second += ids.length) });
    await first.start();
    await waitFor(async () => (await listenerPids()).length === 1, {
      description: 'first relay takes the leader lock',
    });
    await second.start();

    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const [firstListener] = await listenerPids();
      await admin.query('SELECT pg_terminate_backend($1)', [firstListener]);
      await waitFor(async () => (await listenerPids()).some((pid) => pid !== firstListener), {
        timeoutMs: 10_000,
        description: 'a relay takes the leader lock again',
      });
      published.first = 0;
      published.second = 0;
      await enqueue(Array.from({ length: 3_000 }, (_, index) => `LEADER-${index}`));
      await waitFor(async () => (await pendingRows()) === 0, {
        timeoutMs: 30_000,
        description: 'outbox drained',
      });
    } finally {
      await admin.end();
      await first.stop();
      await second.stop();
    }

    // One leader publishes each event once; two leaders publish many events twice.
    expect(published.first + published.second).toBe(3_000);
  });

  /** Backend ids of the relays' LISTEN connections to the scratch database. */
  async function listenerPids(): Promise<number[]> {
    const result = await database.db.raw<{ rows: Array<{ pid: number }> }>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
    );
    return result.rows.map((row) => row.pid);
  }
});
