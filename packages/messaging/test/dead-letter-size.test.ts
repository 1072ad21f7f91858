import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serializeEvent } from '@orderflow/contracts';
import { createTopic, deleteTopics, topicEndOffsets, waitFor } from '@orderflow/test-support';
import { ConfigResourceTypes } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventConsumer,
  createPlatformProducer,
  type EventConsumerOptions,
  type EventHandlers,
} from '../src/index.js';
import { openTestDatabase, orderCreated, silentLogger, testKafka } from './harness.js';

const CREATE_TOPICS = fileURLToPath(
  new URL('../../../infra/kafka/create-topics.mjs', import.meta.url),
);
const BROKER = process.env.KAFKA_BROKERS?.split(',')[0] ?? '127.0.0.1:19092';
/** Kafka's default limit of a topic, in bytes. */
const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
const DEAD_LETTER_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

async function topicSetting(
  topics: string[],
  setting = 'max.message.bytes',
): Promise<Map<string, string | undefined>> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const result = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: [setting],
      })),
    });
    return new Map(
      result.resources.map((resource) => [
        resource.resourceName,
        resource.configEntries.find((entry) => entry.configName === setting)?.configValue,
      ]),
    );
  } finally {
    await admin.disconnect();
  }
}

describe('dead-letter topic size', () => {
  it('create-topics gives dead-letter topics 2 MB', async () => {
    const suffix = randomUUID().slice(0, 8);
    const deadLetter = `dead-letter.size-test-${suffix}`;
    const plain = `size-test-${suffix}.order.created`;
    try {
      await promisify(execFile)('node', [CREATE_TOPICS, BROKER, '1', deadLetter, plain]);
      const limits = await topicSetting([deadLetter, plain]);

      expect(limits.get(deadLetter)).toBe(String(DEAD_LETTER_MAX_MESSAGE_BYTES));
      expect(limits.get(plain)).toBe(String(DEFAULT_MAX_MESSAGE_BYTES));
    } finally {
      await deleteTopics([deadLetter, plain]);
    }
  });

  it('create-topics raises an existing dead-letter topic to 2 MB', async () => {
    const deadLetter = `dead-letter.size-test-${randomUUID().slice(0, 8)}`;
    await createTopic(deadLetter, 1, { config: { 'retention.ms': '86400000' } });
    try {
      await promisify(execFile)('node', [CREATE_TOPICS, BROKER, '1', deadLetter]);

      const limits = await topicSetting([deadLetter]);
      expect(limits.get(deadLetter)).toBe(String(DEAD_LETTER_MAX_MESSAGE_BYTES));
      const retention = await topicSetting([deadLetter], 'retention.ms');
      expect(retention.get(deadLetter)).toBe('86400000');
    } finally {
      await deleteTopics([deadLetter]);
    }
  });

  describe('with a message near the limit of its topic', () => {
    let database: Awaited<ReturnType<typeof openTestDatabase>>;
    const topics: string[] = [];

    beforeAll(async () => {
      database = await openTestDatabase('dead_letter_size');
    });

    afterAll(async () => {
      await database.drop();
      await deleteTopics(topics);
    });

    /**
     * Creates a source topic with Kafka's default limit and a dead-letter topic with
     * `deadLetterConfig`, then sends a message that is not a valid event and whose dead letter
     * exceeds the default limit, followed by a valid `order.created` for SIZE-2.
     */
    async function sendNearLimit(group: string, deadLetterConfig: Record<string, string>) {
      const prefix = `t${randomUUID().slice(0, 8)}.`;
      const source = await createTopic(`${prefix}order.created`, 1);
      const deadLetter = await createTopic(`${prefix}dead-letter.${group}`, 1, {
        config: deadLetterConfig,
      });
      topics.push(source, deadLetter);
      const producer = createPlatformProducer(testKafka('size-test'));
      await producer.connect();
      const oversized = `{"padding":"${'x'.repeat(DEFAULT_MAX_MESSAGE_BYTES - 300)}"}`;
      try {
        await producer.send({ topic: source, messages: [{ key: 'SIZE-1', value: oversized }] });
        await producer.send({
          topic: source,
          messages: [{ key: 'SIZE-1', value: serializeEvent(orderCreated('SIZE-2')) }],
        });
      } finally {
        await producer.disconnect();
      }
      return { prefix, deadLetter };
    }

    function newConsumer(group: string, prefix: string, options: Partial<EventConsumerOptions>) {
      return new EventConsumer({
        group,
        source: 'size-test',
        kafka: testKafka('size-test'),
        db: database.db,
        logger: silentLogger,
        topicPrefix: prefix,
        handlers: {},
        ...options,
      });
    }

    it('dead-letters it and moves on', async () => {
      const group = 'size-test';
      const { prefix, deadLetter } = await sendNearLimit(group, {
        'max.message.bytes': String(DEAD_LETTER_MAX_MESSAGE_BYTES),
      });
      const handled: string[] = [];
      const handlers: EventHandlers = {
        'order.created': async (event) => void handled.push(event.data.orderId),
      };
      const consumer = newConsumer(group, prefix, { handlers });
      await consumer.start();
      try {
        await waitFor(async () => handled.includes('SIZE-2'), {
          timeoutMs: 30_000,
          description: 'the event after the oversized message handled',
        });
      } finally {
        await consumer.stop();
      }

      const ends = await topicEndOffsets(deadLetter);
      expect(ends.get(0)).toBe(1n);
    });

    it('reports a consumer that stopped for good', async () => {
      const group = 'size-test-crash';
      const { prefix } = await sendNearLimit(group, {});
      const crashes: unknown[] = [];
      const consumer = newConsumer(group, prefix, {
        handlers: { 'order.created': async () => undefined },
        onCrash: (error) => void crashes.push(error),
      });
      await consumer.start();
      try {
        await waitFor(async () => crashes.length > 0, {
          timeoutMs: 60_000,
          description: 'the consumer reports its crash',
        });
      } finally {
        await consumer.stop();
      }

      expect(String(crashes[0])).toContain('larger than the max message size');
    });
  });
});
