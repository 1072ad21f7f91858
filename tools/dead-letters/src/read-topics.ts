import { randomUUID } from 'node:crypto';
import type { Admin, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { errorText, KafkaAccessError } from './kafka-access.js';

/** Offsets of one partition. `low` is the first offset kept, and `high` the next one written. */
export interface PartitionRange {
  topic: string;
  partition: number;
  low: string;
  high: string;
}

/** A message with the topic and partition it was read from. */
export interface TopicMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

export interface ReadRangesOptions {
  /** Maximum time to reach every end offset, in ms. */
  timeoutMs: number;
  /** Prefix of the temporary consumer group id. */
  groupPrefix: string;
}

/** Fetches the low and high watermark of every partition of `topics`. */
export async function fetchPartitionRanges(
  admin: Admin,
  topics: string[],
): Promise<PartitionRange[]> {
  const ranges: PartitionRange[] = [];
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic);
    for (const partition of offsets) {
      ranges.push({
        topic,
        partition: partition.partition,
        low: partition.low,
        high: partition.high,
      });
    }
  }
  return ranges;
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

function compareMessages(left: TopicMessage, right: TopicMessage): number {
  if (left.topic !== right.topic) return left.topic < right.topic ? -1 : 1;
  if (left.partition !== right.partition) return left.partition - right.partition;
  const leftOffset = BigInt(left.message.offset);
  const rightOffset = BigInt(right.message.offset);
  if (leftOffset === rightOffset) return 0;
  return leftOffset < rightOffset ? -1 : 1;
}

/**
 * Reads every message from `low` up to, but not including, `high` of each range, and returns
 * them ordered by topic, partition and offset. Messages written after the ranges were fetched
 * are left out, so the read ends even while consumers keep dead-lettering.
 *
 * The reader joins a new consumer group with a random id, starts at the earliest offset and
 * commits nothing. The empty group is deleted afterwards.
 */
export async function readPartitionRanges(
  kafka: Kafka,
  admin: Admin,
  ranges: PartitionRange[],
  options: ReadRangesOptions,
): Promise<TopicMessage[]> {
  const endOffsets = new Map<string, bigint>();
  for (const range of ranges) {
    if (BigInt(range.high) > BigInt(range.low)) {
      endOffsets.set(partitionKey(range.topic, range.partition), BigInt(range.high));
    }
  }
  if (endOffsets.size === 0) return [];

  const topics = [...new Set(ranges.map((range) => range.topic))];
  const groupId = `${options.groupPrefix}${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  // Keyed by partition and offset, because after a rebalance the consumer starts again at the
  // earliest offset and delivers the same messages twice.
  const received = new Map<string, TopicMessage>();
  let lastCrash: unknown;

  const reachedEnd = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      const remaining = [...endOffsets.keys()].map((key) => key.replace('\u0000', ':'));
      const crash = lastCrash === undefined ? '' : ` Last consumer error: ${errorText(lastCrash)}.`;
      reject(
        new KafkaAccessError(
          `reading ${topics.join(', ')} timed out after ${options.timeoutMs / 1000} s before ` +
            `the end offsets were reached. Unfinished partitions: ${remaining.join(', ')}.` +
            `${crash} Raise --timeout-seconds, or check the broker's health.`,
        ),
      );
    }, options.timeoutMs);

    consumer.on(consumer.events.CRASH, (event) => {
      lastCrash = event.payload.error;
      if (event.payload.restart) return;
      clearTimeout(timer);
      reject(
        new KafkaAccessError(`reading ${topics.join(', ')} failed: ${errorText(lastCrash)}`, {
          cause: lastCrash,
        }),
      );
    });

    const handleBatch = async ({ batch, pause }: EachBatchPayload): Promise<void> => {
      const key = partitionKey(batch.topic, batch.partition);
      const end = endOffsets.get(key);
      if (end === undefined) return;
      for (const message of batch.messages) {
        if (BigInt(message.offset) >= end) continue;
        const messageKey = `${key}\u0000${message.offset}`;
        received.set(messageKey, { topic: batch.topic, partition: batch.partition, message });
      }
      if (BigInt(batch.lastOffset()) + 1n >= end) {
        endOffsets.delete(key);
        pause();
        if (endOffsets.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      }
    };

    const start = async () => {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatch: handleBatch });
    };
    start().catch((error: unknown) => {
      clearTimeout(timer);
      reject(new KafkaAccessError(`reading ${topics.join(', ')} failed: ${errorText(error)}`));
    });
  });

  try {
    await reachedEnd;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => {
      // The group has no members and no committed offsets, so keeping it affects no consumer.
    });
  }
  return [...received.values()].sort(compareMessages);
}
