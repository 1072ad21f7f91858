import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CLOUDEVENTS_CONTENT_TYPE, ContractViolationError } from '@orderflow/contracts';
import { buildDeadLetter, createPlatformProducer } from '@orderflow/messaging';
import {
  createTestKafka,
  createTopic,
  deleteTopics,
  kafkaBrokers,
  uniqueName,
  waitFor,
} from '@orderflow/test-support';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeadLettersCommand } from '../src/dead-letters-command.js';
import { headerText } from '../src/dead-letter-record.js';

const prefix = `${uniqueName('dead-letters-test')}.`;
const originalTopic = `${prefix}order.created`;
const deadLetterTopic = `${prefix}dead-letter.payment`;
/** A dead-letter topic of a group outside the platform's list, found only on the broker. */
const otherGroupTopic = `${prefix}dead-letter.audit`;

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function envelopeValue(id: string, orderId: string): string {
  return JSON.stringify({
    specversion: '1.0',
    id,
    type: 'order.created',
    source: '/checkout',
    time: '2025-01-02T03:04:05.000Z',
    subject: orderId,
    schemaversion: 1,
    data: { orderId },
  });
}

/** The failed messages, as the payment consumer received them from `originalTopic`. */
const FAILED_MESSAGES = [
  {
    partition: 0,
    message: {
      key: Buffer.from('ORD-1'),
      value: Buffer.from(envelopeValue('evt-1', 'ORD-1')),
      headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE, traceparent: TRACEPARENT },
      offset: '41',
    },
    error: new ContractViolationError([{ path: 'data.total', message: 'expected number' }]),
  },
  {
    partition: 0,
    message: {
      key: Buffer.from('ORD-2'),
      value: Buffer.from('{"id": "evt-2", broken'),
      headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
      offset: '42',
    },
    error: new SyntaxError('Unexpected token b in JSON at position 16'),
  },
  {
    partition: 1,
    message: {
      key: Buffer.from('ORD-3'),
      value: Buffer.from(envelopeValue('evt-3', 'ORD-3')),
      headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
      offset: '7',
    },
    error: new Error('connection terminated unexpectedly'),
  },
];

interface CommandRun {
  code: number;
  lines: string[];
  out: string;
  err: string;
}

async function run(args: string[], env: Record<string, string> = {}): Promise<CommandRun> {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await runDeadLettersCommand(
    args,
    { KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, ...env },
    { out: (line) => lines.push(line), err: (line) => errors.push(line) },
  );
  return { code, lines, out: lines.join('\n'), err: errors.join('\n') };
}

/** Writes each failed message to the dead-letter topic, in the partition its entry names. */
async function writeDeadLetters(): Promise<void> {
  const producer = createPlatformProducer(createTestKafka('dead-letters-test'));
  await producer.connect();
  try {
    for (const failed of FAILED_MESSAGES) {
      const deadLetter = buildDeadLetter({
        group: 'payment',
        topic: originalTopic,
        partition: 2,
        message: { ...failed.message, timestamp: '0', attributes: 0 },
        error: failed.error,
        attempts: 1,
      });
      await producer.send({
        topic: deadLetterTopic,
        acks: -1,
        messages: [{ ...deadLetter.message, partition: failed.partition }],
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Returns the total number of messages ever written to `topic`. */
async function highWatermarkSum(topic: string): Promise<bigint> {
  const admin = createTestKafka('dead-letters-test').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + BigInt(partition.high), 0n);
  } finally {
    await admin.disconnect();
  }
}

async function deleteGroup(groupId: string): Promise<void> {
  const admin = createTestKafka('dead-letters-test').admin();
  await admin.connect();
  try {
    await admin.deleteGroups([groupId]);
  } finally {
    await admin.disconnect();
  }
}

/** Reads `topic` from the beginning until `count` messages arrived. */
async function consumeMessages(topic: string, count: number): Promise<KafkaMessage[]> {
  const groupId = uniqueName(`${prefix}check`);
  const consumer = createTestKafka('dead-letters-test').consumer({ groupId });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
    await waitFor(() => messages.length >= count, {
      timeoutMs: 30_000,
      description: `${count} messages on ${topic}`,
    });
  } finally {
    await consumer.disconnect();
  }
  await deleteGroup(groupId);
  return messages;
}

beforeAll(async () => {
  await createTopic(originalTopic, 3);
  await createTopic(deadLetterTopic, 3);
  await createTopic(otherGroupTopic, 1);
  await writeDeadLetters();
});

afterAll(async () => {
  await deleteTopics([originalTopic, deadLetterTopic, otherGroupTopic]);
});

describe('dead-letters list', () => {
  it('prints each dead letter of a group', async () => {
    const result = await run(['list', '--group', 'payment']);

    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.lines[0]).toBe(`${deadLetterTopic} (group payment): 3 dead letters`);
    expect(result.out).toContain('  partition 0 offset 0\n');
    expect(result.out).toContain(`    original    ${originalTopic} partition 2 offset 41\n`);
    expect(result.out).toContain('    event       evt-1 (order.created)\n');
    expect(result.out).toContain('    key         ORD-1\n');
    expect(result.out).toMatch(/failed at {3}\d{4}-\d\d-\d\dT[\d:.]+Z after 1 attempt\b/);
    expect(result.out).toContain('    error       [ContractViolationError] data.total: expected');
    expect(result.out).toContain('unknown (unknown; value is not valid JSON)');
    expect(result.out).toContain('[SyntaxError] Unexpected token b');
    expect(result.out).toContain('  partition 1 offset 0\n');
  });

  it('prints one JSON object per line with --json', async () => {
    const result = await run(['list', '--group', 'payment', '--json']);

    expect(result.code).toBe(0);
    const records = result.lines.map((line) => JSON.parse(line));
    expect(records).toHaveLength(4);
    expect(records[0]).toEqual({
      kind: 'group',
      group: 'payment',
      topic: deadLetterTopic,
      exists: true,
      count: 3,
    });
    expect(records[1]).toMatchObject({
      kind: 'dead-letter',
      group: 'payment',
      topic: deadLetterTopic,
      partition: 0,
      offset: '0',
      key: 'ORD-1',
      originalTopic,
      originalPartition: 2,
      originalOffset: '41',
      eventId: 'evt-1',
      eventType: 'order.created',
      valueProblem: null,
      attempts: 1,
      errorCode: 'ContractViolationError',
      error: 'data.total: expected number',
      replayedFrom: null,
    });
    expect(records[2]).toMatchObject({
      offset: '1',
      eventId: null,
      valueProblem: 'value is not valid JSON',
    });
    expect(records[3]).toMatchObject({ partition: 1, offset: '0', eventId: 'evt-3' });
  });

  it('covers platform groups and groups found on the broker', async () => {
    const result = await run(['list']);

    expect(result.code).toBe(0);
    expect(result.out).toContain(`${deadLetterTopic} (group payment): 3 dead letters`);
    expect(result.out).toContain(`${otherGroupTopic} (group audit): 0 dead letters`);
    expect(result.out).toContain(`${prefix}dead-letter.tax (group tax): topic does not exist`);
  });

  it('ends by itself when run as a program', async () => {
    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', main, 'list', '--group', 'payment', '--json'],
      {
        env: {
          ...process.env,
          KAFKA_BROKERS: kafkaBrokers().join(','),
          KAFKA_TOPIC_PREFIX: prefix,
        },
        timeout: 60_000,
      },
    );

    expect(stdout.trim().split('\n')).toHaveLength(4);
  });
});

describe('dead-letters replay', () => {
  it('sends nothing with --dry-run', async () => {
    const before = await highWatermarkSum(originalTopic);

    const result = await run(['replay', '--group', 'payment', '--all', '--dry-run']);

    expect(result.code).toBe(0);
    expect(result.lines.filter((line) => line.startsWith('would send '))).toHaveLength(3);
    expect(result.out).toContain(
      `would send ${deadLetterTopic}:0:0 to ${originalTopic}, key ORD-1, event evt-1 (order.created)`,
    );
    expect(result.out).toContain('nothing was sent');
    expect(await highWatermarkSum(originalTopic)).toBe(before);
  });

  it('publishes to the original topic with key, value and headers', async () => {
    const result = await run(['replay', '--group', 'payment', '--offset', '0:0', '--offset', '1']);

    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      new RegExp(
        `^sent ${deadLetterTopic}:0:0 to ${originalTopic} partition \\d offset \\d+, `,
        'm',
      ),
    );
    expect(result.out).toContain(`sent ${deadLetterTopic}:0:1 to ${originalTopic}`);
    expect(result.out).toContain('dlq-replayed-from=<topic>:<partition>:<offset>');

    const messages = await consumeMessages(originalTopic, 2);
    const byOrigin = new Map(
      messages.map((message) => [headerText(message.headers, 'dlq-replayed-from'), message]),
    );
    const first = byOrigin.get(`${deadLetterTopic}:0:0`);
    expect(first?.key?.toString()).toBe('ORD-1');
    expect(first?.value?.toString()).toBe(envelopeValue('evt-1', 'ORD-1'));
    expect(headerText(first?.headers, 'content-type')).toBe(CLOUDEVENTS_CONTENT_TYPE);
    expect(headerText(first?.headers, 'traceparent')).toBe(TRACEPARENT);
    expect(Object.keys(first?.headers ?? {}).sort()).toEqual([
      'content-type',
      'dlq-replayed-from',
      'traceparent',
    ]);

    const second = byOrigin.get(`${deadLetterTopic}:0:1`);
    expect(second?.key?.toString()).toBe('ORD-2');
    expect(second?.value?.toString()).toBe('{"id": "evt-2", broken');
  });

  it('prints the sent messages as JSON with --json', async () => {
    const result = await run(['replay', '--group', 'payment', '--offset', '1:0', '--json']);

    expect(result.code).toBe(0);
    expect(result.lines).toHaveLength(1);
    expect(JSON.parse(result.lines[0] ?? '')).toMatchObject({
      kind: 'replay',
      sent: true,
      replayedFrom: `${deadLetterTopic}:1:0`,
      group: 'payment',
      key: 'ORD-3',
      eventId: 'evt-3',
      eventType: 'order.created',
      topic: originalTopic,
    });
    expect(result.err).toContain(`replayed 1 dead letter of ${deadLetterTopic}.`);
  });
});

describe('dead-letters input errors', () => {
  it('rejects an unknown group', async () => {
    const result = await run(['list', '--group', 'nope']);

    expect(result.code).toBe(2);
    expect(result.err).toContain('--group "nope": unknown consumer group');
    expect(result.err).toContain('Groups with a dead-letter topic: payment, audit');
  });

  it('reports a platform group without its topic', async () => {
    const result = await run(['list', '--group', 'tax']);

    expect(result.code).toBe(1);
    expect(result.err).toContain(`topic ${prefix}dead-letter.tax of group tax does not exist`);
    expect(result.err).toContain('bash infra/kafka/kafka.sh topics');
  });

  it('rejects an offset that is not in the topic', async () => {
    const result = await run(['replay', '--group', 'payment', '--offset', '0:99']);

    expect(result.code).toBe(2);
    expect(result.err).toContain(`--offset 0:99: ${deadLetterTopic} has no message at partition 0`);
    expect(result.err).toContain('partition 0: 0-1, partition 1: 0');
  });

  it('rejects an offset found in several partitions', async () => {
    const before = await highWatermarkSum(originalTopic);

    const result = await run(['replay', '--group', 'payment', '--offset', '0']);

    expect(result.code).toBe(2);
    expect(result.err).toContain('Write --offset 0:0 or --offset 1:0.');
    expect(await highWatermarkSum(originalTopic)).toBe(before);
  });

  it('rejects replay without a selection', async () => {
    const result = await run(['replay', '--group', 'payment']);

    expect(result.code).toBe(2);
    expect(result.err).toContain('replay needs --offset N (repeatable) or --all');
  });

  it('names KAFKA_BROKERS when no broker answers', async () => {
    const result = await run(['list'], { KAFKA_BROKERS: '127.0.0.1:1' });

    expect(result.code).toBe(1);
    expect(result.err).toContain('cannot reach the Kafka broker at 127.0.0.1:1 (KAFKA_BROKERS)');
  });
});
