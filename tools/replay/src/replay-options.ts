import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RUN_ID_PATTERN } from './checkout-conversion.js';
import { REPLAY_DEFAULTS } from './replay-run.js';

/** The data set that the replay uses when `--orders` is not given. */
export const DEFAULT_ORDERS_FILE = fileURLToPath(
  new URL('../../../data/orders/superstore-orders.jsonl', import.meta.url),
);

/** Settings of the replay command, from its options and environment variables. */
export interface ReplayOptions {
  ordersFile: string;
  limit?: number;
  runId?: string;
  timeoutSeconds: number;
  ratePerSecond?: number;
  quietOrders: boolean;
  jsonFile?: string;
  gatewayUrl: string;
  kafkaBrokers: string[];
  topicPrefix: string;
  stripeApiKey: string;
  stripeBaseUrl: string;
}

/** An invalid command line or environment. The message names the option and the reason. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const REPLAY_USAGE = `Usage: pnpm --filter @orderflow/replay start [options]

Replays checkout orders from a JSON Lines file against a running platform: tokenizes each test
card at the payment provider, publishes order.created, waits until every order settles, prints
each order's final state and a summary, and exits 1 when an order misses its expected outcome.

Options:
  --orders FILE           input file in the replay format (default data/orders/superstore-orders.jsonl)
  --limit N               replay only the first N lines of the file
  --run-id ID             suffix of this run's order ids: a letter, then up to 19 letters or digits
                          (default r + the current time in base 36)
  --timeout-seconds N     maximum wait for orders to settle after the last one was sent
                          (default ${REPLAY_DEFAULTS.timeoutSeconds})
  --rate N                orders sent per second (default: as fast as cards are tokenized)
  --quiet-orders          leave out the per-order table
  --json FILE             write every order's result and the summary to FILE as JSON
  --gateway-url URL       gateway base URL (default GATEWAY_URL or http://127.0.0.1:8080)
  -h, --help              print this help

Environment:
  KAFKA_BROKERS           comma-separated broker list (default 127.0.0.1:19092)
  KAFKA_TOPIC_PREFIX      prefix of the topic names, as the services use it (default none)
  STRIPE_API_KEY          test-mode secret key (default sk_test_orderflow_sandbox)
  STRIPE_BASE_URL         payment provider URL (default SANDBOX_URL)
  SANDBOX_URL             provider sandbox URL (default http://127.0.0.1:4010)

Exit status: 0 when every order reached its expected outcome, 1 when an order did not or an
input line was invalid, 2 on a usage error or when the run could not be completed.`;

type Environment = Record<string, string | undefined>;

const OPTION_SPEC = {
  orders: { type: 'string' },
  limit: { type: 'string' },
  'run-id': { type: 'string' },
  'timeout-seconds': { type: 'string' },
  rate: { type: 'string' },
  'quiet-orders': { type: 'boolean', default: false },
  json: { type: 'string' },
  'gateway-url': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Runs node's parseArgs and turns its errors (unknown option, missing value) into UsageError. */
function parseArgsOrThrow(args: string[]) {
  try {
    return parseArgs({ args, strict: true, allowPositionals: false, options: OPTION_SPEC });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function positiveInteger(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`${option} must be a whole number of at least 1; received "${value}"`);
  }
  return Number(value);
}

function httpUrl(name: string, value: string): string {
  if (!URL.canParse(value) || !['http:', 'https:'].includes(new URL(value).protocol)) {
    throw new UsageError(`${name} must be an http:// or https:// URL; received "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

function envValue(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

/**
 * Parses the command line (without the node and script arguments) and the environment.
 * Returns undefined when help was requested. Throws UsageError on an invalid value.
 */
export function parseReplayOptions(
  args: string[],
  env: Environment = process.env,
): ReplayOptions | undefined {
  // pnpm 10 passes a leading `--` on to the script, so `start -- --limit 5` works too.
  const { values } = parseArgsOrThrow(args[0] === '--' ? args.slice(1) : args);
  if (values.help) return undefined;

  const runId = values['run-id'];
  if (runId !== undefined && !RUN_ID_PATTERN.test(runId)) {
    throw new UsageError(
      `--run-id must be a letter followed by up to 19 letters or digits; received "${runId}"`,
    );
  }
  const sandboxUrl = httpUrl(
    'SANDBOX_URL',
    envValue(env, 'SANDBOX_URL') ?? 'http://127.0.0.1:4010',
  );
  const brokers = (envValue(env, 'KAFKA_BROKERS') ?? '127.0.0.1:19092')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);

  return {
    ordersFile: values.orders ?? DEFAULT_ORDERS_FILE,
    limit: positiveInteger('--limit', values.limit),
    runId,
    timeoutSeconds:
      positiveInteger('--timeout-seconds', values['timeout-seconds']) ??
      REPLAY_DEFAULTS.timeoutSeconds,
    ratePerSecond: positiveInteger('--rate', values.rate),
    quietOrders: values['quiet-orders'],
    jsonFile: values.json,
    gatewayUrl: httpUrl(
      '--gateway-url',
      values['gateway-url'] ?? envValue(env, 'GATEWAY_URL') ?? 'http://127.0.0.1:8080',
    ),
    kafkaBrokers: brokers,
    topicPrefix: envValue(env, 'KAFKA_TOPIC_PREFIX') ?? '',
    stripeApiKey: envValue(env, 'STRIPE_API_KEY') ?? 'sk_test_orderflow_sandbox',
    stripeBaseUrl: httpUrl('STRIPE_BASE_URL', envValue(env, 'STRIPE_BASE_URL') ?? sandboxUrl),
  };
}
