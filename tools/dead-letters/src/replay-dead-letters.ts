import { EVENT_TYPES } from '@orderflow/contracts';
import { DEAD_LETTER_HEADERS } from '@orderflow/messaging';
import type { IHeaders, Message, Producer } from 'kafkajs';
import { UsageError, type OffsetSelector } from './command-options.js';
import {
  DEAD_LETTER_HEADER_PREFIX,
  deadLetterAddress,
  headerText,
  REPLAYED_FROM_HEADER,
  type DeadLetter,
} from './dead-letter-record.js';
import type { GroupTopic } from './dead-letter-topics.js';
import { errorText, KafkaAccessError } from './kafka-access.js';

/** A dead letter and the message that replay publishes for it. */
export interface PlannedReplay {
  deadLetter: DeadLetter;
  /** Original topic, from the dlq-original-topic header. */
  topic: string;
  message: Message;
}

/** A planned replay with the partition and offset that the broker assigned to the copy. */
export interface SentReplay extends PlannedReplay {
  partition: number;
  offset: string;
}

/** Describes the offsets of each partition that contains dead letters, for error messages. */
function describeOffsets(deadLetters: DeadLetter[]): string {
  const byPartition = new Map<number, string[]>();
  for (const deadLetter of deadLetters) {
    const offsets = byPartition.get(deadLetter.partition) ?? [];
    offsets.push(deadLetter.message.offset);
    byPartition.set(deadLetter.partition, offsets);
  }
  if (byPartition.size === 0) return 'The topic has no dead letters.';
  const parts = [...byPartition].map(([partition, offsets]) => {
    const range = offsets.length === 1 ? offsets[0] : `${offsets[0]}-${offsets.at(-1)}`;
    return `partition ${partition}: ${range}`;
  });
  return `Offsets in the topic: ${parts.join(', ')}.`;
}

function selectOne(
  deadLetters: DeadLetter[],
  selector: OffsetSelector,
  source: GroupTopic,
): DeadLetter {
  const { group, topic } = source;
  const matches = deadLetters.filter(
    (deadLetter) =>
      deadLetter.message.offset === selector.offset &&
      (selector.partition === undefined || deadLetter.partition === selector.partition),
  );
  const [first, ...others] = matches;
  if (first === undefined) {
    const place =
      selector.partition === undefined
        ? `offset ${selector.offset}`
        : `partition ${selector.partition} offset ${selector.offset}`;
    throw new UsageError(
      `--offset ${selector.text}: ${topic} has no message at ${place}. ` +
        `${describeOffsets(deadLetters)} Run list --group ${group} to see them.`,
    );
  }
  if (others.length > 0) {
    const choices = matches.map((match) => `--offset ${match.partition}:${selector.offset}`);
    throw new UsageError(
      `--offset ${selector.text} matches ${matches.length} partitions of ${topic}. ` +
        `Write ${choices.join(' or ')}.`,
    );
  }
  return first;
}

/**
 * Returns the dead letters that `selection` names, in partition and offset order and each
 * once. Throws UsageError for an offset that matches no dead letter or, written without a
 * partition, matches several.
 */
export function selectDeadLetters(
  deadLetters: DeadLetter[],
  selection: OffsetSelector[] | 'all',
  source: GroupTopic,
): DeadLetter[] {
  if (selection === 'all') return deadLetters;
  const selected = new Set(selection.map((selector) => selectOne(deadLetters, selector, source)));
  return deadLetters.filter((deadLetter) => selected.has(deadLetter));
}

const EVENT_TOPICS: ReadonlySet<string> = new Set(EVENT_TYPES);

/**
 * Builds the message that replays `deadLetter`: its key and value, and its headers without
 * the dlq-* ones plus dlq-replayed-from. Throws UsageError when the dead letter does not name
 * its original topic, or names one that is not an event topic under `topicPrefix`, so that a
 * replay never leaves the prefix it was run with or feeds a dead-letter topic.
 */
export function planReplay(deadLetter: DeadLetter, topicPrefix = ''): PlannedReplay {
  const { message } = deadLetter;
  const address = deadLetterAddress(deadLetter);
  const topic = headerText(message.headers, DEAD_LETTER_HEADERS.originalTopic);
  if (topic === null || topic === '') {
    throw new UsageError(
      `dead letter ${address} has no ${DEAD_LETTER_HEADERS.originalTopic} header, so its ` +
        'original topic is unknown. Select the other dead letters with --offset.',
    );
  }
  if (!topic.startsWith(topicPrefix) || !EVENT_TOPICS.has(topic.slice(topicPrefix.length))) {
    const expected = topicPrefix === '' ? 'an event topic' : `an event topic under ${topicPrefix}`;
    throw new UsageError(
      `dead letter ${address} names ${topic} as its original topic, which is not ${expected}; ` +
        'check KAFKA_TOPIC_PREFIX, or select the other dead letters with --offset.',
    );
  }

  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined && !name.startsWith(DEAD_LETTER_HEADER_PREFIX)) headers[name] = value;
  }
  headers[REPLAYED_FROM_HEADER] = address;
  return { deadLetter, topic, message: { key: message.key, value: message.value, headers } };
}

/**
 * Publishes the planned messages one at a time, in order, each acknowledged by all in-sync
 * replicas, and calls `onSent` after each. On a failure, throws KafkaAccessError that counts the
 * messages already sent and names the first one not sent.
 */
export async function sendReplays(
  producer: Producer,
  plans: PlannedReplay[],
  onSent: (sent: SentReplay) => void,
): Promise<SentReplay[]> {
  const sent: SentReplay[] = [];
  for (const plan of plans) {
    let partition: number;
    let offset: string;
    try {
      const [metadata] = await producer.send({
        topic: plan.topic,
        acks: -1,
        messages: [plan.message],
      });
      if (metadata === undefined) throw new Error('the broker returned no record metadata');
      partition = metadata.partition;
      offset = metadata.baseOffset ?? metadata.offset ?? 'unknown';
    } catch (error) {
      throw new KafkaAccessError(
        `sending ${deadLetterAddress(plan.deadLetter)} to ${plan.topic} failed after ` +
          `${sent.length} of ${plans.length} replays were sent: ${errorText(error)}`,
        { cause: error },
      );
    }
    const result = { ...plan, partition, offset };
    sent.push(result);
    onSent(result);
  }
  return sent;
}
