import { describe, expect, it } from 'vitest';
import { formatProgress } from '../src/progress-reporter.js';
import { DEFAULT_ORDERS_FILE, parseReplayOptions, UsageError } from '../src/replay-options.js';

describe('parseReplayOptions', () => {
  it('ignores a leading -- that pnpm passes on', () => {
    const options = parseReplayOptions(['--', '--limit', '5'], {});
    expect(options?.limit).toBe(5);
  });

  it('defaults to the data set and loopback services', () => {
    const options = parseReplayOptions([], {});

    expect(options).toEqual({
      ordersFile: DEFAULT_ORDERS_FILE,
      limit: undefined,
      runId: undefined,
      timeoutSeconds: 900,
      ratePerSecond: undefined,
      quietOrders: false,
      jsonFile: undefined,
      gatewayUrl: 'http://127.0.0.1:8080',
      kafkaBrokers: ['127.0.0.1:19092'],
      topicPrefix: '',
      stripeApiKey: 'sk_test_orderflow_sandbox',
      stripeBaseUrl: 'http://127.0.0.1:4010',
    });
  });

  it('points Stripe at SANDBOX_URL when STRIPE_BASE_URL is empty', () => {
    const options = parseReplayOptions([], {
      SANDBOX_URL: 'http://127.0.0.1:4999/',
      STRIPE_BASE_URL: '',
    });

    expect(options?.stripeBaseUrl).toBe('http://127.0.0.1:4999');
  });

  it('reads every option', () => {
    const options = parseReplayOptions(
      [
        '--orders',
        'orders.jsonl',
        '--limit',
        '10',
        '--run-id',
        'rabc1',
        '--timeout-seconds',
        '60',
        '--rate',
        '50',
        '--quiet-orders',
        '--json',
        'out.json',
        '--gateway-url',
        'http://127.0.0.1:9080',
      ],
      { KAFKA_BROKERS: '127.0.0.1:1, 127.0.0.1:2', KAFKA_TOPIC_PREFIX: 'dev.' },
    );

    expect(options).toMatchObject({
      ordersFile: 'orders.jsonl',
      limit: 10,
      runId: 'rabc1',
      timeoutSeconds: 60,
      ratePerSecond: 50,
      quietOrders: true,
      jsonFile: 'out.json',
      gatewayUrl: 'http://127.0.0.1:9080',
      kafkaBrokers: ['127.0.0.1:1', '127.0.0.1:2'],
      topicPrefix: 'dev.',
    });
  });

  it('returns undefined for --help', () => {
    expect(parseReplayOptions(['--help'], {})).toBeUndefined();
  });

  const invalid: Array<[string, string[], string]> = [
    ['zero limit', ['--limit', '0'], '--limit must be a whole number of at least 1; received "0"'],
    ['fractional rate', ['--rate', '1.5'], '--rate must be a whole number'],
    ['run id with a dot', ['--run-id', 'r.1'], '--run-id must be a letter followed by'],
    ['unknown option', ['--fast'], "Unknown option '--fast'"],
    ['gateway URL without scheme', ['--gateway-url', '127.0.0.1:8080'], '--gateway-url must be'],
  ];

  it.each(invalid)('rejects a %s', (_case, args, message) => {
    expect(() => parseReplayOptions(args, {})).toThrow(UsageError);
    expect(() => parseReplayOptions(args, {})).toThrow(message);
  });
});

describe('formatProgress', () => {
  it('lists statuses by name and rounds seconds', () => {
    const line = formatProgress({
      total: 10,
      sent: 6,
      settled: 3,
      byStatus: { processing: 2, captured: 3, pending: 1, blocked: 0 },
      elapsedMs: 12_600,
    });

    expect(line).toBe('sent 6/10, settled 3 (captured 3, pending 1, processing 2), 13 s');
  });
});
