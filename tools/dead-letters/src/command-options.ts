import { parseArgs } from 'node:util';
import { CONSUMER_GROUPS } from '@orderflow/contracts';

/** Default of `--timeout-seconds`. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** Broker list used when `KAFKA_BROKERS` is unset or empty. */
export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:19092';

/** Settings shared by both subcommands. */
export interface ConnectionOptions {
  kafkaBrokers: string[];
  topicPrefix: string;
  /** Maximum time to read the dead-letter topics up to their end offsets, in seconds. */
  timeoutSeconds: number;
  json: boolean;
}

/** A dead letter named on the command line: an offset, with its partition when given. */
export interface OffsetSelector {
  /** The `--offset` value as written, for error messages. */
  text: string;
  partition?: number;
  offset: string;
}

export interface ListOptions extends ConnectionOptions {
  command: 'list';
  group?: string;
}

export interface ReplayOptions extends ConnectionOptions {
  command: 'replay';
  group: string;
  /** The selected dead letters, or 'all'. */
  selection: OffsetSelector[] | 'all';
  dryRun: boolean;
}

export type CommandOptions = ListOptions | ReplayOptions | { command: 'help' };

/** An invalid command line or environment. The message names the option and the fix. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const DEAD_LETTERS_USAGE = `Usage: pnpm dead-letters list [--group GROUP] [--json]
       pnpm dead-letters replay --group GROUP (--offset N ... | --all) [--dry-run] [--json]

Inspects and replays the messages that consumer groups copied to their dead-letter topic
dead-letter.<group>. Both subcommands read each topic from its low to its high watermark, as
captured at the start, with a consumer group that commits no offsets, and then exit.

list     prints the number of dead letters of each group. For each dead letter it prints
         the partition and offset, the original topic, partition and offset, the event id
         and type (when the value is a JSON object), the failure time, the number of
         attempts and the error. Without --group it covers the group of every dead-letter
         topic on the broker and the platform's groups:
         ${CONSUMER_GROUPS.join(', ')}.
replay   publishes the selected dead letters again to their original topic, with their
         original key, value and headers. The dlq-* headers are dropped and the header
         dlq-replayed-from=<dead-letter topic>:<partition>:<offset> is added. The producer is
         idempotent and waits for all in-sync replicas (acks -1).

Options:
  --group GROUP           consumer group whose dead-letter topic is read
  --offset N | P:N        replay the dead letter at offset N, or at offset N of partition P.
                          A bare N must match one partition only. Repeat to select several.
  --all                   replay every dead letter of the group
  --dry-run               print what replay would send, and send nothing
  --json                  print one JSON object per line instead of text
  --timeout-seconds N     maximum time to read the dead-letter topics to their end
                          (default ${DEFAULT_TIMEOUT_SECONDS})
  -h, --help              print this help

Replayed dead letters stay in the dead-letter topic, because Kafka cannot delete single
messages. Keep the output of replay as the record of what was sent, and recognize the copies
in the original topic by their dlq-replayed-from header. Every consumer group of the original
topic receives a copy. Consumers skip event ids already recorded in their inbox, so a group
that handled the event before has no second effect, and replaying the same offset twice is
harmless. A group that fails on the copy dead-letters it again, with dlq-replayed-from among
its original headers, and list shows that header as "replay of".

Environment:
  KAFKA_BROKERS           comma-separated host:port list (default ${DEFAULT_KAFKA_BROKERS})
  KAFKA_TOPIC_PREFIX      prefix of the topic names, as the services use it (default none)

Exit status: 0 on success, 2 on invalid options, an unknown group or an offset that is not
in the dead-letter topic, and 1 on any other failure, such as a broker that cannot be reached.`;

type Environment = Record<string, string | undefined>;

/** Characters that the services accept in KAFKA_TOPIC_PREFIX. */
const TOPIC_PREFIX_PATTERN = /^[A-Za-z0-9._-]*$/;

const OPTION_SPEC = {
  group: { type: 'string' },
  offset: { type: 'string', multiple: true },
  all: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  'timeout-seconds': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Runs node's parseArgs and turns its errors (unknown option, missing value) into UsageError. */
function parseArgsOrThrow(args: string[]) {
  try {
    return parseArgs({ args, strict: true, allowPositionals: true, options: OPTION_SPEC });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function envValue(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function parseBrokers(env: Environment): string[] {
  const text = envValue(env, 'KAFKA_BROKERS') ?? DEFAULT_KAFKA_BROKERS;
  const brokers = text
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  for (const broker of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker)) {
      throw new UsageError(
        `KAFKA_BROKERS must be a comma-separated list of host:port; received "${text}"`,
      );
    }
  }
  return brokers;
}

function parseTopicPrefix(env: Environment): string {
  const prefix = envValue(env, 'KAFKA_TOPIC_PREFIX') ?? '';
  if (!TOPIC_PREFIX_PATTERN.test(prefix)) {
    throw new UsageError(
      `KAFKA_TOPIC_PREFIX may contain only letters, digits, dots, dashes and underscores; ` +
        `received "${prefix}"`,
    );
  }
  return prefix;
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(
      `--timeout-seconds must be a whole number of at least 1; received "${value}"`,
    );
  }
  return Number(value);
}

/** Parses an `--offset` value: `N` or `P:N`, both whole numbers. */
export function parseOffsetSelector(text: string): OffsetSelector {
  const match = /^(?:(\d+):)?(\d+)$/.exec(text.trim());
  if (!match) {
    throw new UsageError(
      `--offset must be an offset N, or P:N for offset N in partition P (such as 2:15); ` +
        `received "${text}"`,
    );
  }
  const [, partition, offset] = match;
  const selector: OffsetSelector = { text, offset: BigInt(offset ?? '0').toString() };
  if (partition !== undefined) selector.partition = Number(partition);
  return selector;
}

function parseGroup(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const group = value.trim();
  if (group === '') throw new UsageError('--group must not be empty');
  return group;
}

function parseReplaySelection(
  offsets: string[] | undefined,
  all: boolean,
): OffsetSelector[] | 'all' {
  if (all && offsets !== undefined) {
    throw new UsageError('replay takes either --offset or --all, not both');
  }
  if (all) return 'all';
  if (offsets === undefined) {
    throw new UsageError(
      'replay needs --offset N (repeatable) or --all. Run list --group GROUP to see the offsets.',
    );
  }
  return offsets.map(parseOffsetSelector);
}

/**
 * Parses the command line (without the node and script arguments) and the environment.
 * Throws UsageError on an invalid value or combination of options.
 */
export function parseCommandOptions(
  args: string[],
  env: Environment = process.env,
): CommandOptions {
  const { values, positionals } = parseArgsOrThrow(args);
  if (values.help) return { command: 'help' };

  const [command, ...extra] = positionals;
  if (command === undefined) throw new UsageError('missing subcommand: list or replay');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);

  const connection: ConnectionOptions = {
    kafkaBrokers: parseBrokers(env),
    topicPrefix: parseTopicPrefix(env),
    timeoutSeconds: parseTimeout(values['timeout-seconds']),
    json: values.json,
  };
  const group = parseGroup(values.group);

  if (command === 'list') {
    if (values.offset !== undefined || values.all || values['dry-run']) {
      throw new UsageError('--offset, --all and --dry-run apply to replay only');
    }
    return { command: 'list', ...connection, ...(group === undefined ? {} : { group }) };
  }
  if (command === 'replay') {
    if (group === undefined) {
      throw new UsageError('replay needs --group GROUP. Run list to see the groups.');
    }
    return {
      command: 'replay',
      ...connection,
      group,
      selection: parseReplaySelection(values.offset, values.all),
      dryRun: values['dry-run'],
    };
  }
  throw new UsageError(`unknown subcommand "${command}". Expected list or replay.`);
}
