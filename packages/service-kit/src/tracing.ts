import {
  DiagLogLevel,
  context,
  diag,
  propagation,
  trace,
  type DiagLogger,
} from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { Logger } from './logger.js';

/** Options of `startTracing`. */
export interface TracingOptions {
  /** Written as the `service.name` resource attribute. */
  serviceName: string;
  /**
   * OTLP/HTTP base URL, such as `http://127.0.0.1:4318`. Spans are posted to
   * `<endpoint>/v1/traces`. Without it, spans are recorded but never leave the process.
   */
  otlpEndpoint?: string | undefined;
  /** Keeps ended spans in `Tracing.memoryExporter` instead of exporting them, for tests. */
  inMemory?: boolean;
  /** Receives the SDK's own warnings and errors, such as failed exports. */
  logger?: Logger;
}

/** Destination of ended spans. */
export type SpanDestination = 'otlp' | 'memory' | 'none';

/** A running OpenTelemetry SDK. */
export interface Tracing {
  readonly destination: SpanDestination;
  /**
   * Ended spans when started with `inMemory: true`, otherwise undefined. Await `forceFlush()`
   * before reading it, because an ended span is exported only once the resource detectors finish.
   */
  readonly memoryExporter: InMemorySpanExporter | undefined;
  /** Resolves when every ended span has been handed to the exporter. */
  forceFlush(): Promise<void>;
  /**
   * Flushes pending spans, stops the SDK and unregisters the global tracer provider, context
   * manager and propagator, so that `startTracing` may be called again.
   */
  shutdown(): Promise<void>;
}

let running: Tracing | undefined;

/**
 * Starts the process-wide OpenTelemetry SDK with W3C trace-context and baggage propagation.
 *
 * Spans go to OTLP/HTTP only when `otlpEndpoint` is set, to memory when `inMemory` is set, and
 * nowhere otherwise. Metric and log exporters stay off whatever the `OTEL_*` variables are set to,
 * so the default set-up sends no network traffic. Throws if tracing is already running in this process.
 *
 * @example
 * const tracing = startTracing({ serviceName: 'payment', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
 * // ...
 * await tracing.shutdown();
 */
export function startTracing(options: TracingOptions): Tracing {
  if (running !== undefined) {
    throw new Error(
      'startTracing: tracing is already running in this process. Call shutdown() on it first.',
    );
  }
  if (options.logger !== undefined) {
    diag.setLogger(createDiagLogger(options.logger), DiagLogLevel.WARN);
  }

  const memoryExporter = options.inMemory === true ? new InMemorySpanExporter() : undefined;
  const destination = chooseDestination(options);
  const spanProcessor = createSpanProcessor(destination, options.otlpEndpoint, memoryExporter);
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    spanProcessors: [spanProcessor],
    // Empty lists keep the SDK from building the OTLP metric and log exporters it would
    // otherwise create from OTEL_METRICS_EXPORTER and OTEL_LOGS_EXPORTER defaults.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();

  const tracing: Tracing = {
    destination,
    memoryExporter,
    forceFlush: () => spanProcessor.forceFlush(),
    shutdown: async () => {
      if (running !== tracing) return;
      running = undefined;
      await sdk.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
    },
  };
  running = tracing;
  return tracing;
}

function chooseDestination(options: TracingOptions): SpanDestination {
  if (options.inMemory === true) return 'memory';
  if (options.otlpEndpoint !== undefined && options.otlpEndpoint !== '') return 'otlp';
  return 'none';
}

function createSpanProcessor(
  destination: SpanDestination,
  otlpEndpoint: string | undefined,
  memoryExporter: InMemorySpanExporter | undefined,
): SpanProcessor {
  if (destination === 'memory' && memoryExporter !== undefined) {
    return new SimpleSpanProcessor({ exporter: memoryExporter });
  }
  if (destination === 'otlp' && otlpEndpoint !== undefined) {
    // An explicit `url` is used as is, so the signal path is appended here as the OTLP spec
    // does for OTEL_EXPORTER_OTLP_ENDPOINT.
    const url = `${otlpEndpoint.replace(/\/+$/, '')}/v1/traces`;
    return new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) });
  }
  // A processor is still needed, because without one the SDK registers no tracer provider and
  // spans would carry no trace ids to propagate.
  return new NoopSpanProcessor();
}

function createDiagLogger(logger: Logger): DiagLogger {
  const log = logger.child({ component: 'opentelemetry' });
  const write =
    (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') =>
    (message: string, ...args: unknown[]) => {
      const err = args.find((arg) => arg instanceof Error);
      log[level]({ detail: message, err }, 'opentelemetry diagnostic');
    };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    verbose: write('trace'),
  };
}
