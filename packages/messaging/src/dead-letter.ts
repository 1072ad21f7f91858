import { deadLetterTopic } from '@orderflow/contracts';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** Headers added to a dead-lettered message beside the original headers. */
export const DEAD_LETTER_HEADERS = {
  error: 'dlq-error',
  errorCode: 'dlq-error-code',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  consumerGroup: 'dlq-consumer-group',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

export interface DeadLetterInput {
  group: string;
  topic: string;
  partition: number;
  message: KafkaMessage;
  error: unknown;
  attempts: number;
}

/**
 * Builds the dead-letter copy of a message: the same key and value, the original headers, and
 * headers naming the error, where the message came from and how often it was tried.
 */
export function buildDeadLetter(input: DeadLetterInput): { topic: string; message: Message } {
  const headers: IHeaders = { ...(input.message.headers ?? {}) };
  headers[DEAD_LETTER_HEADERS.error] = describeError(input.error);
  headers[DEAD_LETTER_HEADERS.errorCode] = errorCode(input.error);
  headers[DEAD_LETTER_HEADERS.originalTopic] = input.topic;
  headers[DEAD_LETTER_HEADERS.originalPartition] = String(input.partition);
  headers[DEAD_LETTER_HEADERS.originalOffset] = input.message.offset;
  headers[DEAD_LETTER_HEADERS.consumerGroup] = input.group;
  headers[DEAD_LETTER_HEADERS.attempts] = String(input.attempts);
  headers[DEAD_LETTER_HEADERS.failedAt] = new Date().toISOString();
  return {
    topic: deadLetterTopic(input.group),
    message: { key: input.message.key, value: input.message.value, headers },
  };
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Kafka headers are small by convention; a full stack belongs in the consumer's log.
  return text.length > 2_000 ? `${text.slice(0, 2_000)}...` : text;
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string')
    return error.code;
  return error instanceof Error ? error.name : 'UnknownError';
}
