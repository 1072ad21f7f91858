import { parseArgs } from 'node:util';
import { DEFAULT_ORDERS_FILE } from '@orderflow/replay';
import { BENCH_SERVICES, type ServiceUrls } from './service-cpu.js';

/** Default sizes of a benchmark run. */
export const BENCH_DEFAULTS = {
  orderCount: 1_000,
  /** The end-to-end target rate, so the latency is measured at the load the target names. */
  ratePerSecond: 100,
  messageCount: 60_000,
  /** Rounds of the relay measurement, whose medians are reported. */
  relayRounds: 3,
  partitions: 6,
  timeoutSeconds: 600,
} as const;

/** Settings of `pnpm bench`, from its options and environment variables. */
export interface BenchOptions {
  orderCount: number;
  ratePerSecond: number;
  messageCount: number;
  timeoutSeconds: number;
  endToEnd: boolean;
  relay: boolean;
  gatewayUrl: string;
  /** Base URL of each service, whose `/metrics` the end-to-end part reads. */
  serviceUrls: ServiceUrls;
  kafkaBrokers: string[];
  topicPrefix: string;
  stripeApiKey: string;
  stripeBaseUrl: string;
  ordersFile: string;
}

export const BENCH_USAGE = `Usage: pnpm bench [options]

Measures (a) orders per second and order.created to payment.captured latency through a running
platform, and (b) the outbox relay's messages per second beside a bare kafkajs producer.
Prints figures and the targets beside them. It does not fail when a target is missed.

Options:
  --orders N              synthetic approved orders for (a) (default ${BENCH_DEFAULTS.orderCount})
  --rate N                orders sent per second in (a); 0 sends as fast as possible
                          (default ${BENCH_DEFAULTS.ratePerSecond})
  --messages N            outbox events for (b) (default ${BENCH_DEFAULTS.messageCount})
  --timeout-seconds N     maximum wait for orders to settle, and for each side of (b)
                          (default ${BENCH_DEFAULTS.timeoutSeconds})
  --skip-end-to-end       run only (b), which needs only Kafka and PostgreSQL
  --skip-relay            run only (a)
  -h, --help              print this help

Environment: GATEWAY_URL (default http://127.0.0.1:8080), KAFKA_BROKERS (default
127.0.0.1:19092), KAFKA_TOPIC_PREFIX, STRIPE_API_KEY, STRIPE_BASE_URL and SANDBOX_URL (default
http://127.0.0.1:4010), TEST_POSTGRES_ADMIN_URL (superuser URL for the scratch database of (b),
default postgres://postgres@127.0.0.1:5432/postgres).
(a) also reads the CPU time of each service from its /metrics, at GATEWAY_URL, PAYMENT_URL,
SHIPPING_URL, TAX_URL, FRAUD_URL, NOTIFICATION_URL and CRM_SYNC_URL (defaults
http://127.0.0.1:8080 to 8086 in that order).`;

/** An invalid command line. The message names the option and the reason. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

type Environment = Record<string, string | undefined>;

function wholeNumber(option: string, value: string | undefined, fallback: number, min: number) {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new BenchUsageError(
      `${option} must be a whole number of at least ${min}; received "${value}"`,
    );
  }
  return Number(value);
}

function envValue(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function httpUrl(variable: string, value: string): string {
  const protocol = URL.canParse(value) ? new URL(value).protocol : '';
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new BenchUsageError(`${variable} must be an http or https URL; received "${value}"`);
  }
  return value;
}

function serviceUrlsFrom(env: Environment): ServiceUrls {
  const urls: Partial<ServiceUrls> = {};
  for (const { service, urlVariable, defaultUrl } of BENCH_SERVICES) {
    urls[service] = httpUrl(urlVariable, envValue(env, urlVariable) ?? defaultUrl);
  }
  return urls as ServiceUrls;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      options: {
        orders: { type: 'string' },
        rate: { type: 'string' },
        messages: { type: 'string' },
        'timeout-seconds': { type: 'string' },
        'skip-end-to-end': { type: 'boolean', default: false },
        'skip-relay': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new BenchUsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Parses the command line and environment; returns undefined when help was requested. */
export function parseBenchOptions(
  args: string[],
  env: Environment = process.env,
): BenchOptions | undefined {
  const { values } = parse(args);
  if (values.help) return undefined;
  if (values['skip-end-to-end'] && values['skip-relay']) {
    throw new BenchUsageError('--skip-end-to-end and --skip-relay together leave nothing to run');
  }
  const sandboxUrl = envValue(env, 'SANDBOX_URL') ?? 'http://127.0.0.1:4010';
  const serviceUrls = serviceUrlsFrom(env);
  return {
    orderCount: wholeNumber('--orders', values.orders, BENCH_DEFAULTS.orderCount, 1),
    ratePerSecond: wholeNumber('--rate', values.rate, BENCH_DEFAULTS.ratePerSecond, 0),
    messageCount: wholeNumber('--messages', values.messages, BENCH_DEFAULTS.messageCount, 1),
    timeoutSeconds: wholeNumber(
      '--timeout-seconds',
      values['timeout-seconds'],
      BENCH_DEFAULTS.timeoutSeconds,
      1,
    ),
    endToEnd: !values['skip-end-to-end'],
    relay: !values['skip-relay'],
    gatewayUrl: serviceUrls.gateway,
    serviceUrls,
    kafkaBrokers: (envValue(env, 'KAFKA_BROKERS') ?? '127.0.0.1:19092')
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
    topicPrefix: envValue(env, 'KAFKA_TOPIC_PREFIX') ?? '',
    stripeApiKey: envValue(env, 'STRIPE_API_KEY') ?? 'sk_test_orderflow_sandbox',
    stripeBaseUrl: envValue(env, 'STRIPE_BASE_URL') ?? sandboxUrl,
    ordersFile: DEFAULT_ORDERS_FILE,
  };
}
