import { buildDeadLetter } from '@orderflow/messaging';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/command-options.js';
import {
  readEventIdentity,
  summarizeDeadLetter,
  type DeadLetter,
} from '../src/dead-letter-record.js';
import { formatDeadLetterText, printable } from '../src/output.js';
import { planReplay, selectDeadLetters } from '../src/replay-dead-letters.js';

const TOPIC = 'dead-letter.payment';

function failedMessage(headers: Record<string, string>): KafkaMessage {
  return {
    key: Buffer.from('ORD-1'),
    value: Buffer.from('{"id":"evt-1","type":"payment.captured"}'),
    headers,
    offset: '9',
    timestamp: '0',
    attributes: 0,
  };
}

/** Builds a dead letter as the payment consumer writes it, read back at `partition` and `offset`. */
function deadLetterAt(partition: number, offset: string, headers = {}): DeadLetter {
  const built = buildDeadLetter({
    group: 'payment',
    topic: 'payment.captured',
    partition: 4,
    message: failedMessage(headers),
    error: new Error('provider timed out'),
    attempts: 5,
  });
  const message: KafkaMessage = {
    key: built.message.key as Buffer,
    value: built.message.value as Buffer,
    headers: built.message.headers ?? {},
    offset,
    timestamp: '0',
    attributes: 0,
  };
  return { group: 'payment', topic: TOPIC, partition, message };
}

describe('readEventIdentity', () => {
  it.each([
    [null, { eventId: null, eventType: null, valueProblem: 'empty value' }],
    ['', { eventId: null, eventType: null, valueProblem: 'empty value' }],
    ['{"id":', { eventId: null, eventType: null, valueProblem: 'value is not valid JSON' }],
    ['[1]', { eventId: null, eventType: null, valueProblem: 'value is not a JSON object' }],
    ['"text"', { eventId: null, eventType: null, valueProblem: 'value is not a JSON object' }],
    [
      '{"id":7,"type":"x"}',
      { eventId: null, eventType: 'x', valueProblem: 'value has no string id' },
    ],
    ['{}', { eventId: null, eventType: null, valueProblem: 'value has no string id or type' }],
    ['{"id":"e","type":"t"}', { eventId: 'e', eventType: 't', valueProblem: null }],
  ])('reads %j', (value, expected) => {
    expect(readEventIdentity(value === null ? null : Buffer.from(value))).toEqual(expected);
  });
});

describe('summarizeDeadLetter', () => {
  it('decodes the headers that buildDeadLetter adds', () => {
    const summary = summarizeDeadLetter(deadLetterAt(1, '3'));

    expect(summary).toMatchObject({
      group: 'payment',
      topic: TOPIC,
      partition: 1,
      offset: '3',
      key: 'ORD-1',
      originalTopic: 'payment.captured',
      originalPartition: 4,
      originalOffset: '9',
      eventId: 'evt-1',
      eventType: 'payment.captured',
      attempts: 5,
      errorCode: 'Error',
      error: 'provider timed out',
      replayedFrom: null,
    });
    expect(Number.isNaN(Date.parse(summary.failedAt ?? ''))).toBe(false);
  });

  it('shows the replay a dead letter came from', () => {
    const deadLetter = deadLetterAt(0, '5', { 'dlq-replayed-from': `${TOPIC}:1:3` });

    const lines = formatDeadLetterText(summarizeDeadLetter(deadLetter));

    expect(lines).toContain(`    replay of   ${TOPIC}:1:3`);
  });
});

describe('planReplay', () => {
  it('keeps the original headers and replaces the dlq headers', () => {
    const deadLetter = deadLetterAt(0, '5', {
      traceparent: '00-abc-def-01',
      'dlq-replayed-from': `${TOPIC}:1:3`,
    });

    const plan = planReplay(deadLetter);

    expect(plan.topic).toBe('payment.captured');
    expect(plan.message.key).toEqual(Buffer.from('ORD-1'));
    expect(plan.message.value).toEqual(deadLetter.message.value);
    expect(plan.message.headers).toEqual({
      traceparent: '00-abc-def-01',
      'dlq-replayed-from': `${TOPIC}:0:5`,
    });
  });

  it('rejects an original topic outside the prefix', () => {
    const deadLetter = deadLetterAt(0, '5');

    expect(() => planReplay(deadLetter, 'tenant-a.')).toThrow(
      `names payment.captured as its original topic, which is not an event topic under tenant-a.`,
    );
  });

  it('rejects a dead-letter topic as the original topic', () => {
    const deadLetter = deadLetterAt(0, '5');
    deadLetter.message.headers = {
      ...deadLetter.message.headers,
      'dlq-original-topic': 'dead-letter.payment',
    };

    expect(() => planReplay(deadLetter)).toThrow(
      'names dead-letter.payment as its original topic, which is not an event topic',
    );
  });

  it('rejects a dead letter without its original topic', () => {
    const deadLetter = deadLetterAt(0, '5');
    delete deadLetter.message.headers?.['dlq-original-topic'];

    expect(() => planReplay(deadLetter)).toThrow(UsageError);
    expect(() => planReplay(deadLetter)).toThrow(
      `dead letter ${TOPIC}:0:5 has no dlq-original-topic header`,
    );
  });
});

describe('selectDeadLetters', () => {
  const deadLetters = [deadLetterAt(0, '0'), deadLetterAt(0, '1'), deadLetterAt(2, '1')];
  const source = { group: 'payment', topic: TOPIC, exists: true };

  it('selects each dead letter once, in topic order', () => {
    const selected = selectDeadLetters(
      deadLetters,
      [
        { text: '2:1', partition: 2, offset: '1' },
        { text: '0', offset: '0' },
        { text: '0:0', partition: 0, offset: '0' },
      ],
      source,
    );

    expect(selected).toEqual([deadLetters[0], deadLetters[2]]);
  });

  it('returns every dead letter for all', () => {
    expect(selectDeadLetters(deadLetters, 'all', source)).toEqual(deadLetters);
  });
});

describe('printable', () => {
  it('replaces line breaks and escape sequences with spaces', () => {
    expect(printable('a\nb\u001b[31mc\u0085d')).toBe('a b [31mc d');
  });
});
