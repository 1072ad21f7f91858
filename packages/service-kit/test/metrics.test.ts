import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { NewEventInput } from '@orderflow/contracts';
import {
  EventConsumer,
  OutboxRelay,
  addToOutbox,
  createDeferredEventsTable,
  createMessagingTables,
  createPlatformProducer,
} from '@orderflow/messaging';
import {
  createScratchDatabase as createMessagingDatabase,
  createTestKafka,
  createTopic,
  deleteTopics,
  waitFor,
} from '@orderflow/test-support';
import knex, { type Knex } from 'knex';
import type { MetricValue, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseServiceConfig } from '../src/config.js';
import { createHttpApp } from '../src/http-app.js';
import { createServiceMetrics, registerMetricsRoute } from '../src/metrics.js';
import { runService, type RunningService } from '../src/service-runtime.js';
import { captureLogger } from './support/capture-logger.js';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';

const MIGRATIONS = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));
const BROKER = process.env.TEST_KAFKA_BROKER ?? '127.0.0.1:19092';
const silentLogger = captureLogger('metrics-test', 'silent').logger;

type Sample = MetricValue<string> & { metricName?: string };

/**
 * Returns the value of the sample `sampleName` of metric `name` whose labels include `labels`,
 * or undefined. Counters name their samples like the metric, and histograms add `_count`,
 * `_sum` and `_bucket`.
 */
async function sampleValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
  sampleName: string = name,
): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return undefined;
  const values: Sample[] = (await metric.get()).values;
  const sample = values.find(
    (value) =>
      (value.metricName ?? name) === sampleName &&
      Object.entries(labels).every(([label, expected]) => value.labels[label] === expected),
  );
  return sample?.value;
}

function histogramCount(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  return sampleValue(registry, name, labels, `${name}_count`);
}

describe('GET /metrics of runService', () => {
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
  });

  afterAll(async () => {
    await scratch.drop();
  });

  function startService(name: string): Promise<RunningService> {
    return runService({
      name,
      version: '0.0.1',
      description: 'Metrics test service',
      configSchema: z.object(baseServiceConfig),
      migrationsDirectory: MIGRATIONS,
      env: {
        PORT: '0',
        DATABASE_URL: scratch.url,
        KAFKA_BROKERS: BROKER,
        LOG_LEVEL: 'silent',
      },
      ownsProcess: false,
      tracing: false,
      setup: () => undefined,
    });
  }

  it('returns process CPU with the service label', async () => {
    const service = await startService('widgets');
    try {
      const response = await fetch(`${service.url}/metrics`);
      const body = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(body).toMatch(/^process_cpu_seconds_total\{service="widgets"\} \d+(\.\d+)?(e-\d+)?$/m);
      expect(body).toContain('# TYPE orderflow_consumer_events_total counter');
      expect(body).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    } finally {
      await service.stop();
    }
  });

  it('documents /metrics in a valid OpenAPI document', async () => {
    const service = await startService('widgets');
    try {
      const document = (await (await fetch(`${service.url}/docs/json`)).json()) as {
        paths: Record<string, { get?: { tags?: string[] } }>;
      };
      const result = await new Validator().validate(document);

      expect(result.errors).toBeUndefined();
      expect(result.valid).toBe(true);
      expect(document.paths['/metrics']?.get?.tags).toEqual(['metrics']);
    } finally {
      await service.stop();
    }
  });

  it('keeps two services in one process apart', async () => {
    const widgets = await startService('widgets');
    const gadgets = await startService('gadgets');
    try {
      const widgetsBody = await (await fetch(`${widgets.url}/metrics`)).text();
      const gadgetsBody = await (await fetch(`${gadgets.url}/metrics`)).text();

      expect(widgetsBody).toContain('process_cpu_seconds_total{service="widgets"}');
      expect(widgetsBody).not.toContain('service="gadgets"');
      expect(gadgetsBody).toContain('process_cpu_seconds_total{service="gadgets"}');
      expect(gadgetsBody).not.toContain('service="widgets"');
    } finally {
      await gadgets.stop();
      await widgets.stop();
    }
  });
});

describe('registerMetricsRoute', () => {
  it('writes no request log lines for scrapes', async () => {
    const capture = captureLogger('widgets', 'info');
    const app = await createHttpApp({
      service: 'widgets',
      version: '0.0.1',
      description: 'Metrics test service',
      logger: capture.logger,
    });
    registerMetricsRoute(app, createServiceMetrics('widgets').registry);
    app.get('/widgets', async () => ({ widgets: [] }));
    try {
      const scrape = await app.inject({ method: 'GET', url: '/metrics' });
      await app.inject({ method: 'GET', url: '/widgets' });

      expect(scrape.statusCode).toBe(200);
      const requestLines = capture.lines.filter((line) => line.msg === 'incoming request');
      const paths = requestLines.map((line) => (line.req as { url?: string } | undefined)?.url);
      expect(paths).toEqual(['/widgets']);
    } finally {
      await app.close();
    }
  });
});

// Joining a consumer group and creating topics take seconds on a loaded machine, more than
// vitest's default timeouts of 5 s per test and 10 s per hook.
describe('service metrics of consumer and relay', { timeout: 60_000 }, () => {
  const group = 'kit-metrics';
  const topicNames = ['tax.calculated', `dead-letter.${group}`];
  const prefix = `kit${randomBytes(4).toString('hex')}.`;
  const kafka = createTestKafka('kit-metrics-test');
  let database: Awaited<ReturnType<typeof createMessagingDatabase>>;
  let db: Knex;

  beforeAll(async () => {
    database = await createMessagingDatabase('kit_metrics');
    db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 5 } });
    await createMessagingTables(db);
    await createDeferredEventsTable(db);
    for (const name of topicNames) await createTopic(prefix + name);
  }, 60_000);

  afterAll(async () => {
    await db.destroy();
    await database.drop();
    await deleteTopics(topicNames.map((name) => prefix + name));
  }, 60_000);

  function taxCalculated(orderId: string): NewEventInput<'tax.calculated'> {
    return {
      type: 'tax.calculated',
      source: 'test',
      subject: orderId,
      data: {
        orderId,
        currency: 'USD',
        subtotalMinor: 100,
        taxMinor: 8,
        totalMinor: 108,
        source: 'provider',
        jurisdictions: [],
      },
    };
  }

  it('counts a handled and a dead-lettered event', async () => {
    const metrics = createServiceMetrics('kit-metrics');
    const relay = new OutboxRelay({
      service: 'kit-metrics',
      db,
      databaseUrl: database.url,
      kafka,
      logger: silentLogger,
      topicPrefix: prefix,
      metrics: metrics.relay,
    });
    const consumer = new EventConsumer({
      group,
      source: 'kit-metrics-test',
      kafka,
      db,
      logger: silentLogger,
      topicPrefix: prefix,
      handlers: { 'tax.calculated': async () => undefined },
      metrics: metrics.consumer(group),
    });
    const producer = createPlatformProducer(kafka);
    await producer.connect();
    try {
      await db.transaction((trx) => addToOutbox(trx, taxCalculated('KIT-OK')));
      await producer.send({
        topic: `${prefix}tax.calculated`,
        messages: [{ key: 'KIT-BAD', value: 'not json at all' }],
      });
      await relay.start();
      await consumer.start();

      const handled = { group, type: 'tax.calculated', outcome: 'handled' };
      const deadLettered = { group, type: 'tax.calculated', outcome: 'dead_lettered' };
      const eventsTotal = 'orderflow_consumer_events_total';
      await waitFor(
        async () =>
          (await sampleValue(metrics.registry, eventsTotal, handled)) === 1 &&
          (await sampleValue(metrics.registry, eventsTotal, deadLettered)) === 1,
        { timeoutMs: 30_000, description: 'one handled and one dead-lettered event counted' },
      );
    } finally {
      await consumer.stop();
      await relay.stop();
      await producer.disconnect();
    }

    const registry = metrics.registry;
    const text = await registry.metrics();
    expect(text).toContain(
      'orderflow_consumer_events_total{group="kit-metrics",type="tax.calculated",' +
        'outcome="handled",service="kit-metrics"} 1',
    );
    expect(text).toContain(
      'orderflow_consumer_events_total{group="kit-metrics",type="tax.calculated",' +
        'outcome="dead_lettered",service="kit-metrics"} 1',
    );
    expect(
      await sampleValue(registry, 'orderflow_consumer_events_total', { outcome: 'retried' }),
    ).toBeUndefined();
    expect(
      await histogramCount(registry, 'orderflow_consumer_handling_seconds', {
        group,
        type: 'tax.calculated',
      }),
    ).toBe(2);
    expect(
      await sampleValue(registry, 'orderflow_relay_messages_published_total', {
        topic: 'tax.calculated',
      }),
    ).toBe(1);
    expect(await histogramCount(registry, 'orderflow_relay_batch_size', {})).toBe(1);
    expect(await sampleValue(registry, 'orderflow_relay_publish_failures_total', {})).toBe(0);
  });
});
