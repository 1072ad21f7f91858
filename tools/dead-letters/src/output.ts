import {
  deadLetterAddress,
  REPLAYED_FROM_HEADER,
  summarizeDeadLetter,
  type DeadLetterSummary,
} from './dead-letter-record.js';
import type { GroupTopic } from './dead-letter-topics.js';
import type { PlannedReplay, SentReplay } from './replay-dead-letters.js';

/**
 * Replaces control characters, line breaks included, with spaces. Headers and values come from
 * the failed message, and an escape sequence in them must not reach the operator's terminal.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

function countDeadLetters(count: number): string {
  return `${count} dead ${count === 1 ? 'letter' : 'letters'}`;
}

function orUnknown(text: string | number | null): string {
  return text === null ? 'unknown' : printable(String(text));
}

/** Formats a message key, which is null when the producer sent none. */
function keyText(key: string | null): string {
  return key === null ? 'none' : printable(key);
}

/** Returns the heading line of a group in the text output of list. */
export function formatGroupHeading(groupTopic: GroupTopic, count: number | null): string {
  const name = `${groupTopic.topic} (group ${groupTopic.group})`;
  if (count === null) return `${name}: topic does not exist`;
  return `${name}: ${countDeadLetters(count)}`;
}

/** Returns the text lines that list prints for one dead letter. */
export function formatDeadLetterText(summary: DeadLetterSummary): string[] {
  const original =
    `${orUnknown(summary.originalTopic)} partition ${orUnknown(summary.originalPartition)} ` +
    `offset ${orUnknown(summary.originalOffset)}`;
  const event =
    summary.valueProblem === null
      ? `${orUnknown(summary.eventId)} (${orUnknown(summary.eventType)})`
      : `${orUnknown(summary.eventId)} (${orUnknown(summary.eventType)}; ${summary.valueProblem})`;
  const error =
    summary.errorCode === null
      ? orUnknown(summary.error)
      : `[${printable(summary.errorCode)}] ${orUnknown(summary.error)}`;
  const lines = [
    `  partition ${summary.partition} offset ${summary.offset}`,
    `    original    ${original}`,
    `    event       ${event}`,
    `    key         ${keyText(summary.key)}`,
    `    failed at   ${orUnknown(summary.failedAt)} after ${describeAttempts(summary.attempts)}`,
    `    error       ${error}`,
  ];
  if (summary.replayedFrom !== null) {
    lines.push(`    replay of   ${printable(summary.replayedFrom)}`);
  }
  return lines;
}

/** Returns the JSON line of a group for list --json. `count` is null when the topic is missing. */
export function formatGroupJson(groupTopic: GroupTopic, count: number | null): string {
  return JSON.stringify({ kind: 'group', ...groupTopic, count });
}

/** Returns the JSON line of a dead letter for list --json. */
export function formatDeadLetterJson(summary: DeadLetterSummary): string {
  return JSON.stringify({ kind: 'dead-letter', ...summary });
}

/** Returns the line that replay prints for a message it sent, or would send with --dry-run. */
export function formatReplayText(plan: PlannedReplay | SentReplay): string {
  const summary = summarizeDeadLetter(plan.deadLetter);
  const event = `event ${orUnknown(summary.eventId)} (${orUnknown(summary.eventType)})`;
  const key = `key ${keyText(summary.key)}`;
  const from = deadLetterAddress(plan.deadLetter);
  if ('offset' in plan) {
    const target = `${plan.topic} partition ${plan.partition} offset ${plan.offset}`;
    return `sent ${from} to ${printable(target)}, ${key}, ${event}`;
  }
  return `would send ${from} to ${printable(plan.topic)}, ${key}, ${event}`;
}

/** Returns the JSON line of a replayed message. Partition and offset are null with --dry-run. */
export function formatReplayJson(plan: PlannedReplay | SentReplay): string {
  const summary = summarizeDeadLetter(plan.deadLetter);
  const sent = 'offset' in plan;
  return JSON.stringify({
    kind: 'replay',
    sent,
    replayedFrom: deadLetterAddress(plan.deadLetter),
    group: summary.group,
    key: summary.key,
    eventId: summary.eventId,
    eventType: summary.eventType,
    topic: plan.topic,
    partition: sent ? plan.partition : null,
    offset: sent ? plan.offset : null,
  });
}

/** Returns the closing lines of replay: what happened and how to recognize the copies. */
export function replayClosingLines(topic: string, count: number, dryRun: boolean): string[] {
  const deadLetters = countDeadLetters(count);
  if (dryRun) return [`dry run: ${deadLetters} of ${topic} selected, nothing was sent.`];
  return [
    `replayed ${deadLetters} of ${topic}.`,
    `They stay in ${topic}, because Kafka cannot delete single messages. Keep this output as ` +
      'the record of what was replayed.',
    `Each copy carries the header ${REPLAYED_FROM_HEADER}=<topic>:<partition>:<offset>. ` +
      'Replaying the same offset again is harmless, because consumers skip event ids that ' +
      'their inbox already holds.',
  ];
}

function describeAttempts(attempts: number | null): string {
  if (attempts === null) return 'an unknown number of attempts';
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}
