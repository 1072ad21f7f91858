// Checks that kafkajs 2.2.4 works against the Kafka release pinned in infra/kafka/kafka.sh:
// plain produce and consume, a consumer group rebalance, and a broker restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Partitioners,
  logLevel,
  type Consumer,
  type IHeaders,
  type Kafka,
  type Producer,
} from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestKafka,
  createTopic,
  deleteTopics,
  findFreePorts,
  kafkaBrokers,
  startBroker,
  stopBroker,
  uniqueName,
  uniqueTopic,
  waitFor,
} from '../src/index.js';

/** Consumer settings that make joins and rebalances take well under a second. */
const FAST_CONSUMER = {
  heartbeatInterval: 300,
  sessionTimeout: 10_000,
  rebalanceTimeout: 10_000,
  maxWaitTimeInMs: 300,
} as const;

interface ReceivedMessage {
  partition: number;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Producers and consumers opened by the running test, disconnected after it. */
const openClients: Array<Producer | Consumer> = [];

afterEach(async () => {
  await Promise.all(openClients.splice(0).map((client) => client.disconnect()));
});

async function connectProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  openClients.push(producer);
  await producer.connect();
  return producer;
}

/** A running consumer, the messages it received and its latest partition assignment. */
interface RunningConsumer {
  consumer: Consumer;
  received: ReceivedMessage[];
  /** Partitions of the topic assigned in the latest group join, in ascending order. */
  assigned: () => number[];
}

/** Starts a consumer of `topic` in `groupId` that records every message it receives. */
async function startConsumer(
  kafka: Kafka,
  groupId: string,
  topic: string,
): Promise<RunningConsumer> {
  const consumer = kafka.consumer({ groupId, ...FAST_CONSUMER });
  openClients.push(consumer);
  const received: ReceivedMessage[] = [];
  let assigned: number[] = [];
  // Registered before run(), which resolves only after the first join has been announced.
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    assigned = [...(event.payload.memberAssignment[topic] ?? [])].sort();
  });

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      received.push({
        partition,
        key: message.key?.toString() ?? '',
        value: message.value?.toString() ?? '',
        headers: decodeHeaders(message.headers),
      });
    },
  });
  return { consumer, received, assigned: () => assigned };
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) decoded[name] = String(value);
  return decoded;
}

describe('kafkajs against the shared broker', () => {
  const kafka = createTestKafka('test-support-broker-test');
  const topics: string[] = [];

  beforeAll(async () => {
    const admin = kafka.admin();
    try {
      await admin.connect();
    } catch (error) {
      throw new Error(
        `No Kafka broker at ${kafkaBrokers().join(',')}: start it with ` +
          '`bash infra/kafka/kafka.sh start` at the repository root',
        { cause: error },
      );
    } finally {
      await admin.disconnect();
    }
  });

  afterAll(async () => {
    await deleteTopics(topics);
  });

  it('delivers produced messages with keys and headers', async () => {
    const topic = await uniqueTopic('produce-consume', 3);
    topics.push(topic);
    const { received } = await startConsumer(kafka, uniqueName('produce-consume'), topic);
    const producer = await connectProducer(kafka);

    const messages = Array.from({ length: 30 }, (_, index) => ({
      key: `order-${index % 5}`,
      value: `event-${index}`,
      headers: { 'event-type': 'order.created' },
    }));
    await producer.send({ topic, messages });

    await waitFor(() => received.length >= messages.length, {
      timeoutMs: 30_000,
      description: `${messages.length} messages on ${topic}`,
    });
    expect(received).toHaveLength(messages.length);
    expect(received.map((message) => message.value).sort()).toEqual(
      messages.map((message) => message.value).sort(),
    );
    expect(received.every((message) => message.headers['event-type'] === 'order.created')).toBe(
      true,
    );
    for (let keyIndex = 0; keyIndex < 5; keyIndex++) {
      const key = `order-${keyIndex}`;
      const sent = messages.filter((message) => message.key === key).map((m) => m.value);
      const got = received.filter((message) => message.key === key);
      // One key always maps to one partition, and a partition keeps the order it was written in.
      expect(got.map((message) => message.value)).toEqual(sent);
      expect(new Set(got.map((message) => message.partition)).size).toBe(1);
    }
  });

  it('splits partitions when a second group member joins', async () => {
    const partitionCount = 4;
    const topic = await createTopic(uniqueName('rebalance'), partitionCount);
    topics.push(topic);
    const groupId = uniqueName('rebalance');
    const allPartitions = [0, 1, 2, 3];

    const first = await startConsumer(kafka, groupId, topic);
    await waitFor(() => first.assigned().length === partitionCount, {
      timeoutMs: 30_000,
      description: 'first member assigned all 4 partitions',
    });
    expect(first.assigned()).toEqual(allPartitions);

    const second = await startConsumer(kafka, groupId, topic);
    await waitFor(
      () =>
        first.assigned().length > 0 &&
        second.assigned().length > 0 &&
        first.assigned().length + second.assigned().length === partitionCount,
      { timeoutMs: 30_000, description: 'partitions split between the two members' },
    );
    expect([...first.assigned(), ...second.assigned()].sort()).toEqual(allPartitions);
    expect(first.assigned()).toHaveLength(2);
    expect(second.assigned()).toHaveLength(2);

    const producer = await connectProducer(kafka);
    await producer.send({
      topic,
      messages: allPartitions.map((partition) => ({ partition, value: `to-${partition}` })),
    });
    await waitFor(() => first.received.length + second.received.length >= partitionCount, {
      timeoutMs: 30_000,
      description: 'one message per partition received by the group',
    });
    // Each member receives exactly the messages of the partitions it was assigned.
    expect(first.received.map((message) => message.partition).sort()).toEqual(first.assigned());
    expect(second.received.map((message) => message.partition).sort()).toEqual(second.assigned());
  });
});

describe('kafkajs across a broker restart', () => {
  let runDir = '';
  let brokers: string[] = [];
  let port = 0;
  let controllerPort = 0;

  beforeAll(async () => {
    [port = 0, controllerPort = 0] = await findFreePorts(2);
    runDir = await mkdtemp(join(tmpdir(), 'orderflow-kafka-restart-'));
    brokers = await startBroker({ port, controllerPort, runDir });
  });

  afterAll(async () => {
    if (!runDir) return;
    await stopBroker(runDir);
    await rm(runDir, { recursive: true, force: true });
  });

  it('delivers messages produced before and after a restart', async () => {
    // Connection errors are expected while the broker is down, so these clients log nothing.
    // A restart on a busy machine can outlast the default 5 retries of at most 2 s (about 10 s),
    // so this client retries 10 times, up to 5 s apart.
    const kafka = createTestKafka('test-support-restart-test', {
      brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 10, maxRetryTimeMs: 5_000 },
    });
    const topic = await uniqueTopic('restart', 1, { brokers });
    const { consumer, received } = await startConsumer(kafka, uniqueName('restart'), topic);
    // A timeout then names the consumer's crashes, which kafkajs otherwise handles silently.
    const crashes: string[] = [];
    consumer.on(consumer.events.CRASH, (event) => {
      crashes.push(`${event.payload.error.message} (restart: ${String(event.payload.restart)})`);
    });
    const producer = await connectProducer(kafka);

    const before = ['before-0', 'before-1', 'before-2', 'before-3', 'before-4'];
    await producer.send({ topic, messages: before.map((value) => ({ value })) });
    await waitFor(() => received.length >= before.length, {
      timeoutMs: 30_000,
      description: 'messages produced before the restart',
    });

    await stopBroker(runDir);
    await startBroker({ port, controllerPort, runDir });

    const after = ['after-0', 'after-1', 'after-2', 'after-3', 'after-4'];
    await producer.send({ topic, messages: after.map((value) => ({ value })) });

    const expected = [...before, ...after];
    const distinctValues = () => [...new Set(received.map((message) => message.value))];
    await waitFor(
      () => {
        if (distinctValues().length >= expected.length) return true;
        const crashList = crashes.join('; ') || 'none';
        throw new Error(
          `received ${distinctValues().length} of ${expected.length}; consumer crashes: ${crashList}`,
        );
      },
      { timeoutMs: 90_000, description: 'all messages after the restart' },
    );
    // Delivery is at least once, so a message whose offset was not committed before the
    // stop may arrive twice. Each one must arrive, in the order of the single partition.
    expect(distinctValues()).toEqual(expected);
  }, 180_000);
});
