import { Kafka, logLevel } from 'kafkajs';
import { quietKafkaLogCreator } from './quiet-kafka-logger.js';

/** Address of the shared development broker, used when `KAFKA_BROKERS` is not set. */
export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:19092';

/**
 * kafkajs settings for tests. The kafkajs defaults allow 30 s per request and up to 30 s
 * between retries, which hides a missing broker behind a test timeout, so tests use these.
 */
export const TEST_KAFKA_SETTINGS = {
  connectionTimeoutMs: 3000,
  requestTimeoutMs: 10_000,
  retries: 5,
  initialRetryTimeMs: 100,
  maxRetryTimeMs: 2000,
} as const;

/** Options of {@link createTestKafka}. */
export interface TestKafkaOptions {
  /** Broker addresses ("host:port"). Defaults to {@link kafkaBrokers}. */
  brokers?: string[];
  /** kafkajs log level. Defaults to ERROR. */
  logLevel?: logLevel;
  /**
   * Retry settings that replace those of {@link TEST_KAFKA_SETTINGS}, such as more retries for
   * a client that must outlast a broker restart.
   */
  retry?: { retries?: number; maxRetryTimeMs?: number };
}

/**
 * Returns the broker addresses from `KAFKA_BROKERS` (a comma-separated list), or
 * `127.0.0.1:19092` when it is unset or empty.
 */
export function kafkaBrokers(): string[] {
  const list = process.env.KAFKA_BROKERS?.trim() || DEFAULT_KAFKA_BROKERS;
  return list
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}

/**
 * Creates a kafkajs client for tests that retries briefly ({@link TEST_KAFKA_SETTINGS}) and
 * logs only errors, leaving out the rebalance and coordinator errors that kafkajs handles
 * itself. The partitioner warning of kafkajs is at WARN level, so it is silenced too.
 *
 * @example
 * const kafka = createTestKafka('payment-test');
 * const producer = kafka.producer();
 */
export function createTestKafka(clientId: string, options: TestKafkaOptions = {}): Kafka {
  return new Kafka({
    clientId,
    brokers: options.brokers ?? kafkaBrokers(),
    logLevel: options.logLevel ?? logLevel.ERROR,
    logCreator: quietKafkaLogCreator,
    connectionTimeout: TEST_KAFKA_SETTINGS.connectionTimeoutMs,
    requestTimeout: TEST_KAFKA_SETTINGS.requestTimeoutMs,
    retry: {
      retries: options.retry?.retries ?? TEST_KAFKA_SETTINGS.retries,
      initialRetryTime: TEST_KAFKA_SETTINGS.initialRetryTimeMs,
      maxRetryTime: options.retry?.maxRetryTimeMs ?? TEST_KAFKA_SETTINGS.maxRetryTimeMs,
    },
  });
}
