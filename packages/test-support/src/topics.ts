import type { Admin } from 'kafkajs';
import { createTestKafka } from './kafka-client.js';
import { uniqueName } from './unique-name.js';
import { waitFor } from './wait-for.js';

/** Partition count of topics made by {@link createTopic} and {@link uniqueTopic}. */
export const DEFAULT_TEST_PARTITIONS = 3;

/** Maximum wait for a new topic's metadata, in ms. */
const TOPIC_METADATA_TIMEOUT_MS = 15_000;

/** Options of the topic helpers. */
export interface TopicOptions {
  /** Broker addresses ("host:port"). Defaults to `KAFKA_BROKERS` or 127.0.0.1:19092. */
  brokers?: string[];
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
      topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1 }],
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
