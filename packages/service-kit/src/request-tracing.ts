import {
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Path prefixes of probe, documentation and metrics requests, which get no span. */
const UNTRACED_PATH_PREFIXES = ['/health/', '/docs', '/metrics'] as const;

const TRACER_NAME = '@orderflow/service-kit';

interface RequestTrace {
  span: Span;
  context: Context;
}

/**
 * Adds a server span to every request except probes, docs and metric scrapes. The span
 * continues the caller's trace from its `traceparent` header, and handlers run with it active,
 * so that spans and outbox messages created there belong to the same trace. Span name and attributes follow the
 * OpenTelemetry HTTP semantic conventions (`GET /orders/:orderId`, `http.route`,
 * `http.response.status_code`). Without a started SDK the spans are no-ops.
 */
export function installRequestTracing(app: FastifyInstance): void {
  const traces = new WeakMap<FastifyRequest, RequestTrace>();
  const tracer = trace.getTracer(TRACER_NAME);

  app.addHook('onRequest', (request, _reply, done) => {
    const path = request.url.split('?')[0] ?? '/';
    if (UNTRACED_PATH_PREFIXES.some((prefix) => path.startsWith(prefix))) return done();

    const parent = propagation.extract(context.active(), request.headers);
    const route = request.routeOptions.url;
    const span = tracer.startSpan(
      route === undefined ? request.method : `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': path,
          ...(route === undefined ? {} : { 'http.route': route }),
        },
      },
      parent,
    );
    traces.set(request, { span, context: trace.setSpan(parent, span) });
    done();
  });

  // The context is entered here rather than in onRequest, because the body is parsed in stream
  // callbacks that would not inherit it. The handler runs from this hook's `done`.
  app.addHook('preHandler', (request, _reply, done) => {
    const requestTrace = traces.get(request);
    if (requestTrace === undefined) return done();
    context.with(requestTrace.context, done);
  });

  app.addHook('onError', (request, _reply, error, done) => {
    traces.get(request)?.span.recordException(error);
    done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    const requestTrace = traces.get(request);
    if (requestTrace !== undefined) {
      requestTrace.span.setAttribute('http.response.status_code', reply.statusCode);
      // Per the HTTP conventions a 4xx is the caller's error, not the server span's.
      if (reply.statusCode >= 500) requestTrace.span.setStatus({ code: SpanStatusCode.ERROR });
      requestTrace.span.end();
    }
    done();
  });
}
