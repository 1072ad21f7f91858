import type { ConsumerMetrics, ConsumerOutcome, RelayMetrics } from '@orderflow/messaging';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Path of the Prometheus scrape route. */
export const METRICS_PATH = '/metrics';

/** Upper bounds of the relay's batch size buckets, in rows. The relay's default batch is 500. */
const RELAY_BATCH_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000];

/** Prometheus metrics of one service: the registry that `/metrics` serves and its observers. */
export interface ServiceMetrics {
  /**
   * Registry with the process metrics of prom-client's `collectDefaultMetrics` and the platform
   * metrics. Every sample carries the label `service`.
   */
  registry: Registry;
  /** Creates the observer for the `EventConsumer` of consumer group `group`. */
  consumer(group: string): ConsumerMetrics;
  /** Observer for the service's `OutboxRelay`. */
  relay: RelayMetrics;
}

/**
 * Process metrics shared by every service registry in the process. The collectors of
 * `collectDefaultMetrics` keep an event loop delay monitor and a GC observer running, so a
 * process that starts several services, as tests do, gets one set instead of one per service.
 */
let processRegistry: Registry | undefined;

function sharedProcessRegistry(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * Creates the metrics of service `service` in a registry of its own, so that several services
 * in one process keep separate counters. The process metrics, such as
 * `process_cpu_seconds_total`, are those of the whole process. prom-client 15 counts CPU time
 * from the first service created in the process, not from the process start.
 *
 * Platform metrics:
 * - `orderflow_consumer_events_total{group, type, outcome}`: attempts at consumed messages by
 *   outcome (see `ConsumerOutcome`);
 * - `orderflow_consumer_handling_seconds{group, type}`: duration of each attempt;
 * - `orderflow_relay_messages_published_total{topic}`: outbox messages that Kafka acknowledged;
 * - `orderflow_relay_publish_failures_total`: relay batches that Kafka did not acknowledge;
 * - `orderflow_relay_batch_size`: rows per acknowledged relay batch.
 */
export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = Registry.merge([sharedProcessRegistry()]);
  registry.setDefaultLabels({ service });
  const registers = [registry];

  const consumerEvents = new Counter({
    name: 'orderflow_consumer_events_total',
    help: 'Attempts at consumed messages by outcome: handled, duplicate, deferred, ignored, retried or dead_lettered.',
    labelNames: ['group', 'type', 'outcome'] as const,
    registers,
  });
  const handlingSeconds = new Histogram({
    name: 'orderflow_consumer_handling_seconds',
    help: 'Duration of each attempt at a consumed message, failed attempts included, in seconds.',
    labelNames: ['group', 'type'] as const,
    registers,
  });
  const publishedMessages = new Counter({
    name: 'orderflow_relay_messages_published_total',
    help: 'Outbox messages that Kafka acknowledged, by topic without the topic prefix.',
    labelNames: ['topic'] as const,
    registers,
  });
  const publishFailures = new Counter({
    name: 'orderflow_relay_publish_failures_total',
    help: 'Outbox relay batches that Kafka did not acknowledge. Their rows are sent again.',
    registers,
  });
  const batchSize = new Histogram({
    name: 'orderflow_relay_batch_size',
    help: 'Rows per outbox relay batch that Kafka acknowledged.',
    buckets: RELAY_BATCH_BUCKETS,
    registers,
  });

  // The observers run once per message or batch, so they keep the labelled children that
  // prom-client returns instead of looking them up by label values on every call.
  const publishedByTopic = new Map<string, Counter.Internal>();
  const relay: RelayMetrics = {
    published(topic, count) {
      let child = publishedByTopic.get(topic);
      if (child === undefined) {
        child = publishedMessages.labels(topic);
        publishedByTopic.set(topic, child);
      }
      child.inc(count);
    },
    batchPublished(size) {
      batchSize.observe(size);
    },
    publishFailed() {
      publishFailures.inc();
    },
  };

  return {
    registry,
    consumer: (group) => consumerObserver(group, consumerEvents, handlingSeconds),
    relay,
  };
}

interface TypeSeries {
  outcomes: Map<ConsumerOutcome, Counter.Internal>;
  seconds: Histogram.Internal<'group' | 'type'>;
}

function consumerObserver(
  group: string,
  events: Counter<'group' | 'type' | 'outcome'>,
  seconds: Histogram<'group' | 'type'>,
): ConsumerMetrics {
  const byType = new Map<string, TypeSeries>();
  return {
    handled(type, outcome, elapsedSeconds) {
      let series = byType.get(type);
      if (series === undefined) {
        series = { outcomes: new Map(), seconds: seconds.labels(group, type) };
        byType.set(type, series);
      }
      let counter = series.outcomes.get(outcome);
      if (counter === undefined) {
        counter = events.labels(group, type, outcome);
        series.outcomes.set(outcome, counter);
      }
      counter.inc();
      series.seconds.observe(elapsedSeconds);
    },
  };
}

/**
 * Adds `GET /metrics`, which returns the registry in the Prometheus text exposition format
 * 0.0.4. Like the health routes, it appears in the OpenAPI document and writes no info-level
 * request log lines, because Prometheus scrapes it every few seconds.
 */
export function registerMetricsRoute(app: FastifyInstance, registry: Registry): void {
  app.get(
    METRICS_PATH,
    {
      logLevel: 'warn',
      schema: {
        tags: ['metrics'],
        summary: 'Prometheus metrics in the text exposition format 0.0.4',
        response: {
          200: {
            description: 'Every metric of the service',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (_request, reply) => {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    },
  );
}
