import { DEAD_LETTER_HEADERS } from '@orderflow/messaging';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/** Header that marks a message published again by `replay`: `<topic>:<partition>:<offset>`. */
export const REPLAYED_FROM_HEADER = 'dlq-replayed-from';

/** Prefix of every header that the consumer or this command adds to a dead letter. */
export const DEAD_LETTER_HEADER_PREFIX = 'dlq-';

/** A message read from a dead-letter topic, with the group that the topic belongs to. */
export interface DeadLetter {
  group: string;
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** Fields of a dead letter that `list` prints. Fields that the message lacks are null. */
export interface DeadLetterSummary {
  group: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  originalTopic: string | null;
  originalPartition: number | null;
  originalOffset: string | null;
  eventId: string | null;
  eventType: string | null;
  /** Reason that the value gave no event id or type, such as invalid JSON, or null. */
  valueProblem: string | null;
  failedAt: string | null;
  attempts: number | null;
  errorCode: string | null;
  error: string | null;
  /** The `dlq-replayed-from` header, present when a replayed copy failed again. */
  replayedFrom: string | null;
}

/** Returns the first value of header `name` as UTF-8 text, or null when it is missing. */
export function headerText(headers: IHeaders | undefined, name: string): string | null {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return null;
  return typeof first === 'string' ? first : first.toString('utf8');
}

function wholeNumber(text: string | null): number | null {
  if (text === null || !/^\d+$/.test(text)) return null;
  return Number(text);
}

/**
 * Reads the event id and type from a message value without validating it against the
 * contracts, because a dead letter is often there for an invalid value.
 */
export function readEventIdentity(value: Buffer | null): {
  eventId: string | null;
  eventType: string | null;
  valueProblem: string | null;
} {
  const unknown = { eventId: null, eventType: null };
  if (value === null || value.length === 0) return { ...unknown, valueProblem: 'empty value' };

  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return { ...unknown, valueProblem: 'value is not valid JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ...unknown, valueProblem: 'value is not a JSON object' };
  }

  const { id, type } = parsed as { id?: unknown; type?: unknown };
  const eventId = typeof id === 'string' ? id : null;
  const eventType = typeof type === 'string' ? type : null;
  const missing = [eventId === null ? 'id' : '', eventType === null ? 'type' : ''].filter(Boolean);
  const valueProblem = missing.length > 0 ? `value has no string ${missing.join(' or ')}` : null;
  return { eventId, eventType, valueProblem };
}

/** Decodes the dead-letter headers and the event identity of `deadLetter`. */
export function summarizeDeadLetter(deadLetter: DeadLetter): DeadLetterSummary {
  const { message } = deadLetter;
  const headers = message.headers;
  return {
    group: deadLetter.group,
    topic: deadLetter.topic,
    partition: deadLetter.partition,
    offset: message.offset,
    key: message.key === null ? null : message.key.toString('utf8'),
    originalTopic: headerText(headers, DEAD_LETTER_HEADERS.originalTopic),
    originalPartition: wholeNumber(headerText(headers, DEAD_LETTER_HEADERS.originalPartition)),
    originalOffset: headerText(headers, DEAD_LETTER_HEADERS.originalOffset),
    ...readEventIdentity(message.value),
    failedAt: headerText(headers, DEAD_LETTER_HEADERS.failedAt),
    attempts: wholeNumber(headerText(headers, DEAD_LETTER_HEADERS.attempts)),
    errorCode: headerText(headers, DEAD_LETTER_HEADERS.errorCode),
    error: headerText(headers, DEAD_LETTER_HEADERS.error),
    replayedFrom: headerText(headers, REPLAYED_FROM_HEADER),
  };
}

/** Returns `<topic>:<partition>:<offset>`, the value of the `dlq-replayed-from` header. */
export function deadLetterAddress(deadLetter: DeadLetter): string {
  return `${deadLetter.topic}:${deadLetter.partition}:${deadLetter.message.offset}`;
}
