import {
  EventConsumer,
  OutboxRelay,
  isDatabaseUnavailable,
  type EventHandlers,
} from '@orderflow/messaging';
import { z } from 'zod';
import type { BaseServiceConfig } from './config.js';
import { isProviderUnavailable } from './errors.js';
import type { ServiceContext } from './service-runtime.js';

/** Config variables of services that consume and publish events. */
export const eventServiceConfig = {
  /** Prepended to every topic name; lets tests and several platforms share one broker. */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, {
      error: 'may contain only letters, digits, dots, dashes and underscores',
    })
    .default(''),
};

export interface EventProcessingOptions {
  /** Consumer group id, also the name of the group's dead-letter topic. */
  group: string;
  handlers: EventHandlers;
  /** Partitions processed in parallel by this instance. */
  partitionsConsumedConcurrently?: number;
  onDeadLetter?: ConstructorParameters<typeof EventConsumer>[0]['onDeadLetter'];
}

/**
 * Starts the service's outbox relay and its event consumer and registers both for shutdown,
 * the consumer stopping first so that the events its last handlers wrote are still relayed.
 * Both report to the service's metrics (`context.metrics`). While the database or a provider is
 * unavailable, a message is retried for up to `CONSUMER_RETRY_DEFAULTS.maxUnavailableMs` before
 * it goes to the dead-letter topic.
 *
 * @example
 * await startEventProcessing(context, { group: 'payment', handlers: paymentHandlers(gateway) });
 */
export async function startEventProcessing(
  context: ServiceContext<BaseServiceConfig & { KAFKA_TOPIC_PREFIX: string }>,
  options: EventProcessingOptions,
): Promise<{ relay: OutboxRelay; consumer: EventConsumer }> {
  const { config, db, kafka, logger, shutdown, metrics } = context;
  const relay = new OutboxRelay({
    service: options.group,
    db,
    databaseUrl: config.DATABASE_URL,
    kafka,
    logger,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    metrics: metrics.relay,
  });
  await relay.start();
  shutdown.add('outbox relay', () => relay.stop());

  const consumer = new EventConsumer({
    group: options.group,
    source: `/orderflow/${options.group}`,
    kafka,
    db,
    logger,
    handlers: options.handlers,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    metrics: metrics.consumer(options.group),
    // During an outage of the database or a provider, the message waits instead of going to the
    // dead-letter topic.
    isUnavailable: (error) => isDatabaseUnavailable(error) || isProviderUnavailable(error),
    // A service whose consumer stopped would stay up and ready without doing its work.
    onCrash: () => shutdown.abort('event consumer stopped'),
    ...(options.partitionsConsumedConcurrently
      ? { partitionsConsumedConcurrently: options.partitionsConsumedConcurrently }
      : {}),
    ...(options.onDeadLetter ? { onDeadLetter: options.onDeadLetter } : {}),
  });
  await consumer.start();
  shutdown.add('event consumer', () => consumer.stop());
  return { relay, consumer };
}
