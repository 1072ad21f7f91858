import type { FastifyInstance } from 'fastify';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { loadConfig, type BaseServiceConfig, type Environment } from './config.js';
import { openDatabase } from './database.js';
import { ConfigError } from './errors.js';
import { createHttpApp } from './http-app.js';
import { createKafkaLogCreator } from './kafka-logger.js';
import { createLogger, type Logger } from './logger.js';
import { createServiceMetrics, registerMetricsRoute, type ServiceMetrics } from './metrics.js';
import { databaseCheck, kafkaCheck } from './readiness.js';
import { createShutdown, type Shutdown, type ShutdownExitCode } from './shutdown.js';
import { startTracing } from './tracing.js';

/** Dependencies that a service's `setup` receives to register routes, consumers and cleanup. */
export interface ServiceContext<Config> {
  config: Config;
  logger: Logger;
  db: Knex;
  kafka: Kafka;
  app: FastifyInstance;
  /** Shutdown sequence, to which `setup` adds the stop function of each consumer and relay. */
  shutdown: Shutdown;
  /** Prometheus metrics that `GET /metrics` serves. A service registers its own metrics here. */
  metrics: ServiceMetrics;
}

/** A config schema whose output contains the common variables of `baseServiceConfig`. */
export type ServiceConfigSchema = z.ZodObject & z.ZodType<BaseServiceConfig>;

/** Options of `runService`. */
export interface ServiceDefinition<Schema extends ServiceConfigSchema> {
  name: string;
  version: string;
  description: string;
  configSchema: Schema;
  migrationsDirectory: string | readonly string[];
  /** Registers routes and starts consumers. It runs after migrations and before `listen`. */
  setup: (context: ServiceContext<z.output<Schema>>) => Promise<void> | void;
  /** Environment to read instead of `process.env`. */
  env?: Environment;
  /**
   * True (the default) when the service owns the process: SIGTERM and SIGINT start the shutdown
   * and then exit, and a failed start exits with code 1. With false, as in tests, a failed start
   * throws and only `stop()` shuts the service down.
   */
  ownsProcess?: boolean;
  /**
   * Whether to start the OpenTelemetry SDK (default true). Pass false when the process already
   * runs it, as a test that starts several services in one process does.
   */
  tracing?: boolean;
}

/** A started service. */
export interface RunningService {
  app: FastifyInstance;
  /** Prometheus metrics that `GET /metrics` serves. */
  metrics: ServiceMetrics;
  /** Base URL of the HTTP server, such as `http://127.0.0.1:8081`. */
  url: string;
  /** Runs the shutdown sequence without exiting the process; resolves with its exit code. */
  stop(): Promise<ShutdownExitCode>;
}

/**
 * Starts a service: loads the config, creates the logger, starts tracing, opens the database and
 * runs its migrations, creates the Kafka client, builds the HTTP app with database and Kafka
 * readiness checks and `GET /metrics` (see `createServiceMetrics`), calls `setup`, then listens
 * and logs `service started`.
 *
 * Shutdown closes the HTTP server first, then runs the steps that `setup` added (last added
 * first), then releases Kafka, the database and tracing. A config error is printed to stderr.
 *
 * @example
 * await runService({
 *   name: 'payment', version: '0.1.0', description: 'Authorizes and captures payments',
 *   configSchema: paymentConfig,
 *   migrationsDirectory: fileURLToPath(new URL('../migrations', import.meta.url)),
 *   setup: ({ app, db, kafka, shutdown }) => {
 *     registerPaymentRoutes(app, db);
 *     const consumer = startOrderConsumer(kafka, db);
 *     shutdown.add('order consumer', () => consumer.stop());
 *   },
 * });
 */
export async function runService<Schema extends ServiceConfigSchema>(
  definition: ServiceDefinition<Schema>,
): Promise<RunningService> {
  const ownsProcess = definition.ownsProcess ?? true;
  let config: z.output<Schema>;
  try {
    config = loadConfig(definition.configSchema, definition.env);
  } catch (error) {
    if (!(error instanceof ConfigError) || !ownsProcess) throw error;
    console.error(`${definition.name}: ${error.message}`);
    process.exit(1);
  }

  const baseConfig: BaseServiceConfig = config;
  const logger = createLogger({ service: definition.name, level: baseConfig.LOG_LEVEL });
  const shutdown = createShutdown({ logger, timeoutMs: baseConfig.SHUTDOWN_TIMEOUT_MS });
  try {
    return await startComponents(definition, config, logger, shutdown);
  } catch (err) {
    logger.error({ err }, 'service start failed');
    await shutdown.run('start failed');
    if (ownsProcess) process.exit(1);
    throw err;
  }
}

async function startComponents<Schema extends ServiceConfigSchema>(
  definition: ServiceDefinition<Schema>,
  config: z.output<Schema>,
  logger: Logger,
  shutdown: Shutdown,
): Promise<RunningService> {
  const baseConfig: BaseServiceConfig = config;
  if (definition.tracing ?? true) {
    const tracing = startTracing({
      serviceName: definition.name,
      otlpEndpoint: baseConfig.OTEL_EXPORTER_OTLP_ENDPOINT,
      logger,
    });
    shutdown.add('tracing', () => tracing.shutdown());
  }

  const db = await openDatabase({
    url: baseConfig.DATABASE_URL,
    migrationsDirectory: definition.migrationsDirectory,
    logger,
  });
  shutdown.add('database', () => db.destroy());

  const kafkaOptions: KafkaConfig = {
    clientId: definition.name,
    brokers: baseConfig.KAFKA_BROKERS,
    logLevel: logLevel.ERROR,
    logCreator: createKafkaLogCreator(logger),
  };
  const kafka = new Kafka(kafkaOptions);
  // A second client without connection retries, so that a probe fails fast when the broker is
  // down while consumers and producers keep kafkajs' default retries.
  const kafkaReadiness = kafkaCheck(new Kafka({ ...kafkaOptions, retry: { retries: 0 } }));
  shutdown.add('kafka readiness check', () => kafkaReadiness.close());

  const app = await createHttpApp({
    service: definition.name,
    version: definition.version,
    description: definition.description,
    logger,
    readiness: [databaseCheck(db), kafkaReadiness],
  });
  const metrics = createServiceMetrics(definition.name);
  registerMetricsRoute(app, metrics.registry);
  await definition.setup({ config, logger, db, kafka, app, shutdown, metrics });
  // Registered last so that it runs first, and no new requests reach consumers being drained.
  shutdown.add('http server', () => app.close());

  await app.listen({ host: baseConfig.HOST, port: baseConfig.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : baseConfig.PORT;
  logger.info({ host: baseConfig.HOST, port, version: definition.version }, 'service started');

  if (definition.ownsProcess ?? true) shutdown.installSignalHandlers();
  return {
    app,
    metrics,
    url: `http://${hostForUrl(baseConfig.HOST)}:${port}`,
    stop: () => shutdown.run('stop'),
  };
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
