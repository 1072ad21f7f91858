import { createPlatformProducer } from '@orderflow/messaging';
import type { Admin, Kafka } from 'kafkajs';
import {
  DEAD_LETTERS_USAGE,
  parseCommandOptions,
  UsageError,
  type CommandOptions,
  type ConnectionOptions,
  type ListOptions,
  type ReplayOptions,
} from './command-options.js';
import { deadLetterAddress, summarizeDeadLetter, type DeadLetter } from './dead-letter-record.js';
import { allGroupTopics, groupTopic, type GroupTopic } from './dead-letter-topics.js';
import { connectAdmin, createKafka, errorText, KafkaAccessError } from './kafka-access.js';
import {
  formatDeadLetterJson,
  formatDeadLetterText,
  formatGroupHeading,
  formatGroupJson,
  formatReplayJson,
  formatReplayText,
  replayClosingLines,
} from './output.js';
import { fetchPartitionRanges, readPartitionRanges } from './read-topics.js';
import {
  planReplay,
  selectDeadLetters,
  sendReplays,
  type PlannedReplay,
} from './replay-dead-letters.js';

/** Exit codes of the command. */
export const EXIT_CODES = { ok: 0, failure: 1, usage: 2 } as const;

/** Output streams of the command: `out` for results, `err` for errors and notes. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

const CONSOLE_OUTPUT: CommandOutput = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** Prefix of the temporary consumer groups that read the dead-letter topics. */
const READER_GROUP_PREFIX = 'orderflow-dead-letters-reader-';

interface KafkaSession {
  kafka: Kafka;
  admin: Admin;
  /** Topic names on the broker when the command started. */
  brokerTopics: string[];
}

async function withKafka<T>(
  options: ConnectionOptions,
  work: (session: KafkaSession) => Promise<T>,
): Promise<T> {
  const kafka = createKafka(options.kafkaBrokers);
  const admin = await connectAdmin(kafka, options.kafkaBrokers);
  try {
    const brokerTopics = await admin.listTopics();
    return await work({ kafka, admin, brokerTopics });
  } finally {
    await admin.disconnect();
  }
}

/** Reads every dead letter of the topics in `groupTopics`, up to the end offsets at the start. */
async function readDeadLetters(
  session: KafkaSession,
  groupTopics: GroupTopic[],
  options: ConnectionOptions,
): Promise<DeadLetter[]> {
  const groupByTopic = new Map(groupTopics.map((entry) => [entry.topic, entry.group]));
  const ranges = await fetchPartitionRanges(session.admin, [...groupByTopic.keys()]);
  const messages = await readPartitionRanges(session.kafka, session.admin, ranges, {
    timeoutMs: options.timeoutSeconds * 1000,
    groupPrefix: options.topicPrefix + READER_GROUP_PREFIX,
  });
  return messages.map((message) => ({ ...message, group: groupByTopic.get(message.topic) ?? '' }));
}

async function listDeadLetters(options: ListOptions, output: CommandOutput): Promise<void> {
  await withKafka(options, async (session) => {
    const { brokerTopics } = session;
    const groupTopics =
      options.group === undefined
        ? allGroupTopics(brokerTopics, options.topicPrefix)
        : [groupTopic(options.group, brokerTopics, options.topicPrefix, options.kafkaBrokers)];
    const existing = groupTopics.filter((entry) => entry.exists);
    const deadLetters = await readDeadLetters(session, existing, options);

    groupTopics.forEach((entry, index) => {
      const own = deadLetters.filter((deadLetter) => deadLetter.topic === entry.topic);
      const count = entry.exists ? own.length : null;
      if (options.json) {
        output.out(formatGroupJson(entry, count));
        for (const deadLetter of own) {
          output.out(formatDeadLetterJson(summarizeDeadLetter(deadLetter)));
        }
        return;
      }
      if (index > 0) output.out('');
      output.out(formatGroupHeading(entry, count));
      for (const deadLetter of own) {
        for (const line of formatDeadLetterText(summarizeDeadLetter(deadLetter))) output.out(line);
      }
    });
  });
}

/** Throws KafkaAccessError when an original topic of `plans` is not on the broker. */
function checkOriginalTopics(plans: PlannedReplay[], brokerTopics: string[], brokers: string[]) {
  const existing = new Set(brokerTopics);
  const missing = plans.filter((plan) => !existing.has(plan.topic));
  const [first] = missing;
  if (first === undefined) return;
  const addresses = missing.map((plan) => deadLetterAddress(plan.deadLetter));
  throw new KafkaAccessError(
    `original topic ${first.topic} does not exist at ${brokers.join(',')}, so ` +
      `${addresses.join(', ')} cannot be replayed. Create the topic (the platform topics come ` +
      'from `bash infra/kafka/kafka.sh topics`), or leave these offsets out. Nothing was sent.',
  );
}

async function replayDeadLetters(options: ReplayOptions, output: CommandOutput): Promise<void> {
  const print = (line: string) => (options.json ? output.err(line) : output.out(line));
  await withKafka(options, async (session) => {
    const source = groupTopic(
      options.group,
      session.brokerTopics,
      options.topicPrefix,
      options.kafkaBrokers,
    );
    const deadLetters = await readDeadLetters(session, [source], options);
    const plans = selectDeadLetters(deadLetters, options.selection, source).map((deadLetter) =>
      planReplay(deadLetter, options.topicPrefix),
    );
    checkOriginalTopics(plans, session.brokerTopics, options.kafkaBrokers);

    if (plans.length === 0) {
      print(`${source.topic} has no dead letters; nothing to replay.`);
      return;
    }
    const format = options.json ? formatReplayJson : formatReplayText;
    if (options.dryRun) {
      for (const plan of plans) output.out(format(plan));
    } else {
      const producer = createPlatformProducer(session.kafka);
      await producer.connect();
      try {
        await sendReplays(producer, plans, (sent) => output.out(format(sent)));
      } finally {
        await producer.disconnect();
      }
    }
    for (const line of replayClosingLines(source.topic, plans.length, options.dryRun)) print(line);
  });
}

async function runCommand(
  options: Exclude<CommandOptions, { command: 'help' }>,
  output: CommandOutput,
) {
  if (options.command === 'list') await listDeadLetters(options, output);
  else await replayDeadLetters(options, output);
}

/**
 * Runs the command with `args` (the command line without node and the script) and returns
 * its exit code (see EXIT_CODES). Errors are printed to `output.err`.
 */
export async function runDeadLettersCommand(
  args: string[],
  env: Record<string, string | undefined> = process.env,
  output: CommandOutput = CONSOLE_OUTPUT,
): Promise<number> {
  let options: CommandOptions;
  try {
    options = parseCommandOptions(args, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`dead-letters: ${error.message}`);
    output.err('Run `pnpm dead-letters --help` for the usage.');
    return EXIT_CODES.usage;
  }
  if (options.command === 'help') {
    output.out(DEAD_LETTERS_USAGE);
    return EXIT_CODES.ok;
  }

  try {
    await runCommand(options, output);
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`dead-letters: ${error.message}`);
      return EXIT_CODES.usage;
    }
    if (error instanceof KafkaAccessError) {
      output.err(`dead-letters: ${error.message}`);
      return EXIT_CODES.failure;
    }
    if (error instanceof Error && error.name.startsWith('KafkaJS')) {
      const brokers = options.kafkaBrokers.join(',');
      output.err(
        `dead-letters: Kafka request to ${brokers} (KAFKA_BROKERS) failed: ${errorText(error)}`,
      );
      return EXIT_CODES.failure;
    }
    output.err(`dead-letters failed: ${errorText(error)}`);
    if (error instanceof Error && error.stack) output.err(error.stack);
    return EXIT_CODES.failure;
  }
}
