import { type Server, type Socket, connect, createServer } from 'node:net';
import { serializeEvent } from '@orderflow/contracts';
import { topicEndOffsets, waitFor } from '@orderflow/test-support';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventConsumer,
  createPlatformProducer,
  isDatabaseUnavailable,
  type ConsumerOutcome,
  type EventHandlers,
} from '../src/index.js';
import {
  countEffects,
  createPrefixedTopics,
  openTestDatabase,
  orderCreated,
  removeTopics,
  silentLogger,
  testKafka,
} from './harness.js';

/**
 * A TCP proxy in front of PostgreSQL that a test can take down and bring back on the same port,
 * which looks to the service like a database outage.
 */
class DatabaseProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Rejects new connections and closes the open ones. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

const GROUPS = ['outage-test', 'outage-test-limit'];
/** Attempts at a message whose failures are not outages; the outages below last far longer. */
const MAX_ATTEMPTS = 2;

describe('event consumer during a database outage', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let proxy: DatabaseProxy;
  let proxiedDb: Knex;
  // Each group reads its own topics, so the second test does not receive the first one's order.
  const prefixes = new Map<string, string>();
  const kafka = testKafka('outage-test');
  const producer = createPlatformProducer(kafka);

  beforeAll(async () => {
    database = await openTestDatabase('consumer_outage');
    const url = new URL(database.url);
    proxy = new DatabaseProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    url.port = String(proxy.port);
    const quiet = () => undefined;
    proxiedDb = knex({
      client: 'pg',
      connection: url.toString(),
      pool: { min: 0, max: 3 },
      // knex prints each refused connection during the outage.
      log: { warn: quiet, error: quiet, deprecate: quiet, debug: quiet },
    });
    for (const group of GROUPS) {
      prefixes.set(group, await createPrefixedTopics(topicsOf(group)));
    }
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await proxiedDb.destroy();
    await proxy.stop();
    await database.drop();
    for (const [group, prefix] of prefixes) await removeTopics(prefix, topicsOf(group));
  });

  const recordEffect: EventHandlers = {
    'order.created': async (event, ctx) => {
      await ctx.trx('effects').insert({ event_id: event.id, order_id: event.data.orderId });
    },
  };

  function effectCount(orderId: string): Promise<number> {
    return countEffects(database.db, orderId);
  }

  function topicsOf(group: string): string[] {
    return ['order.created', `dead-letter.${group}`];
  }

  async function send(group: string, orderId: string): Promise<void> {
    await producer.send({
      topic: `${prefixes.get(group)}order.created`,
      messages: [{ key: orderId, value: serializeEvent(orderCreated(orderId)) }],
    });
  }

  async function deadLetters(group: string): Promise<number> {
    const offsets = await topicEndOffsets(`${prefixes.get(group)}dead-letter.${group}`);
    return [...offsets.values()].reduce((total, offset) => total + Number(offset), 0);
  }

  function newConsumer(group: string, outcomes: ConsumerOutcome[], maxUnavailableMs?: number) {
    return new EventConsumer({
      group,
      source: 'outage-test',
      kafka,
      db: proxiedDb,
      logger: silentLogger,
      topicPrefix: prefixes.get(group),
      handlers: recordEffect,
      retry: {
        maxAttempts: MAX_ATTEMPTS,
        initialDelayMs: 20,
        maxDelayMs: 100,
        ...(maxUnavailableMs === undefined ? {} : { maxUnavailableMs }),
      },
      metrics: { handled: (_type, outcome) => void outcomes.push(outcome) },
    });
  }

  it('retries until the database returns', async () => {
    const outcomes: ConsumerOutcome[] = [];
    const consumer = newConsumer('outage-test', outcomes);
    await consumer.start();
    try {
      await proxy.stop();
      await send('outage-test', 'OUTAGE-1');
      await waitFor(
        async () => outcomes.filter((outcome) => outcome === 'retried').length > 3 * MAX_ATTEMPTS,
        { timeoutMs: 30_000, description: 'retries during the outage' },
      );
      await proxy.start();
      await waitFor(async () => (await effectCount('OUTAGE-1')) === 1, {
        timeoutMs: 30_000,
        description: 'OUTAGE-1 handled after the outage',
      });
    } finally {
      await consumer.stop();
    }

    expect(outcomes.at(-1)).toBe('handled');
    expect(outcomes).not.toContain('dead_lettered');
    expect(await deadLetters('outage-test')).toBe(0);
  });

  it('dead-letters after maxUnavailableMs', async () => {
    const outcomes: ConsumerOutcome[] = [];
    const consumer = newConsumer('outage-test-limit', outcomes, 500);
    await consumer.start();
    try {
      await proxy.stop();
      await send('outage-test-limit', 'OUTAGE-2');
      await waitFor(async () => outcomes.includes('dead_lettered'), {
        timeoutMs: 30_000,
        description: 'OUTAGE-2 dead-lettered',
      });
    } finally {
      await proxy.start();
      await consumer.stop();
    }

    expect(outcomes.filter((outcome) => outcome === 'retried').length).toBeGreaterThan(
      MAX_ATTEMPTS,
    );
    expect(await deadLetters('outage-test-limit')).toBe(1);
    expect(await effectCount('OUTAGE-2')).toBe(0);
  });
});

describe('isDatabaseUnavailable', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['refused connection', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), true],
    ['server shutting down', Object.assign(new Error('terminating'), { code: '57P01' }), true],
    ['too many connections', Object.assign(new Error('too many'), { code: '53300' }), true],
    ['connection exception', Object.assign(new Error('lost'), { code: '08006' }), true],
    ['lost connection', new Error('Connection terminated unexpectedly'), true],
    ['pool timeout', Object.assign(new Error('pool'), { name: 'KnexTimeoutError' }), true],
    [
      'wrapped refusal',
      new Error('query failed', { cause: Object.assign(new Error(), { code: 'ECONNRESET' }) }),
      true,
    ],
    [
      'refusal on every address',
      new AggregateError([Object.assign(new Error(), { code: 'ECONNREFUSED' })]),
      true,
    ],
    ['unique violation', Object.assign(new Error('duplicate key'), { code: '23505' }), false],
    ['too many bind parameters', Object.assign(new Error('bind'), { code: '08P01' }), false],
    ['temp_file_limit exceeded', Object.assign(new Error('limit'), { code: '53400' }), false],
    ['deadlock', Object.assign(new Error('deadlock'), { code: '40P01' }), false],
    ['plain error', new Error('handler failed'), false],
    ['not an error', 'text', false],
  ];

  it.each(cases)('classifies %s', (_name, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});
