import type { Admin } from 'kafkajs';
import { createTestKafka } from './kafka-client.js';
import { uniqueName } from './unique-name.js';
import { waitFor } from './wait-for.js';

/** Partition count of topics made by {@link createTopic} and {@link uniqueTopic}. */
export const DEFAULT_TEST_PARTITIONS = 3;

/** Maximum wait for a new topic's metadata, in ms. */
const TOPIC_METADATA_TIMEOUT_MS = 15_000;
/** Maximum wait for `readTopicsToEnd` to read its topics, in ms. */
const TOPIC_READ_TIMEOUT_MS = 60_000;

/** Options of the topic helpers. */
export interface TopicOptions {
  /** Broker addresses ("host:port"). Defaults to `KAFKA_BROKERS` or 127.0.0.1:19092. */
  brokers?: string[];
  /** Topic settings for a new topic, such as `{ 'max.message.bytes': '20000' }`. */
  config?: Record<string, string>;
}

/**
 * Creates topic `name` with replication factor 1 unless it exists, then waits until the
 * broker returns metadata for all its partitions, each with a leader. Returns `name`.
 * An existing topic is kept, and the wait fails if its partition count differs.
 */
export async function createTopic(
  name: string,
  partitions = DEFAULT_TEST_PARTITIONS,
  options: TopicOptions = {},
): Promise<string> {
  await withAdmin(options, async (admin) => {
    // kafkajs 2.2.4 waits for leaders by retrying only LEADER_NOT_AVAILABLE, so a broker that
    // has not yet added the new topic to its metadata (UNKNOWN_TOPIC_OR_PARTITION, seen on a
    // loaded machine) fails the call. The check below retries any error instead.
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic: name,
          numPartitions: partitions,
          replicationFactor: 1,
          configEntries: Object.entries(options.config ?? {}).map(([key, value]) => ({
            name: key,
            value,
          })),
        },
      ],
    });
    await waitFor(() => hasAllLeaders(admin, name, partitions), {
      timeoutMs: TOPIC_METADATA_TIMEOUT_MS,
      description: `metadata of topic ${name} with ${partitions} partitions`,
    });
  });
  return name;
}

/**
 * Creates a topic named `prefix` plus a random suffix (see {@link createTopic}) and returns
 * its name, so each test gets a topic that no earlier run has written to.
 *
 * @example
 * const topic = await uniqueTopic('order-created', 4);
 */
export async function uniqueTopic(
  prefix: string,
  partitions = DEFAULT_TEST_PARTITIONS,
  options: TopicOptions = {},
): Promise<string> {
  return createTopic(uniqueName(prefix), partitions, options);
}

/** Deletes the named topics, skipping any that do not exist. */
export async function deleteTopics(names: string[], options: TopicOptions = {}): Promise<void> {
  await withAdmin(options, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const topics = names.filter((name) => existing.has(name));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  });
}

/** Returns the offset after the last message of each partition of `topic`, by partition number. */
export async function topicEndOffsets(
  topic: string,
  options: TopicOptions = {},
): Promise<Map<number, bigint>> {
  return withAdmin(options, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map(({ partition, offset }) => [partition, BigInt(offset)]));
  });
}

/**
 * Reads every message on the named topics, from the start to their end offsets at the time of
 * the call, with a consumer group of its own. Returns the message values in no set order.
 */
export async function readTopicsToEnd(
  names: string[],
  options: TopicOptions = {},
): Promise<Buffer[]> {
  const remaining = new Map<string, bigint>();
  for (const topic of names) {
    for (const [partition, end] of await topicEndOffsets(topic, options)) {
      if (end > 0n) remaining.set(`${topic}:${partition}`, end);
    }
  }
  const values: Buffer[] = [];
  if (remaining.size === 0) return values;
  const kafka = createTestKafka('orderflow-test-support', { brokers: options.brokers });
  const consumer = kafka.consumer({ groupId: uniqueName('read-to-end') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: names, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const key = `${topic}:${partition}`;
        const end = remaining.get(key);
        if (end === undefined || BigInt(message.offset) >= end) return;
        if (message.value) values.push(message.value);
        if (BigInt(message.offset) + 1n >= end) remaining.delete(key);
      },
    });
    await waitFor(() => remaining.size === 0, {
      timeoutMs: TOPIC_READ_TIMEOUT_MS,
      description: `every message of ${names.join(', ')}`,
    });
    return values;
  } finally {
    await consumer.disconnect();
  }
}

async function hasAllLeaders(admin: Admin, topic: string, partitions: number): Promise<boolean> {
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const found = metadata.topics[0]?.partitions ?? [];
  return found.length === partitions && found.every((partition) => partition.leader >= 0);
}

async function withAdmin<T>(options: TopicOptions, work: (admin: Admin) => Promise<T>): Promise<T> {
  const kafka = createTestKafka('orderflow-test-support', { brokers: options.brokers });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}
