import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../src/http-app.js';
import { startTracing, type Tracing } from '../src/tracing.js';
import { captureLogger } from './support/capture-logger.js';

const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

describe('installRequestTracing', () => {
  let tracing: Tracing;
  let app: FastifyInstance;
  const activeSpanIds: (string | undefined)[] = [];

  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'gateway', inMemory: true });
    app = await createHttpApp({
      service: 'gateway',
      version: '0.0.1',
      description: 'Request tracing test',
      logger: captureLogger('gateway').logger,
    });
    app.get('/orders/:orderId', async () => {
      activeSpanIds.push(trace.getActiveSpan()?.spanContext().spanId);
      return { ok: true };
    });
    app.post('/orders', async (request) => {
      // Awaiting keeps the check honest: the context must survive the body parser and a tick.
      await new Promise((resolve) => setImmediate(resolve));
      activeSpanIds.push(trace.getActiveSpan()?.spanContext().spanId);
      return request.body;
    });
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await tracing.shutdown();
  });

  beforeEach(() => {
    tracing.memoryExporter?.reset();
    activeSpanIds.length = 0;
  });

  async function finishedSpans() {
    await tracing.forceFlush();
    return tracing.memoryExporter?.getFinishedSpans() ?? [];
  }

  it('continues the trace of an incoming traceparent', async () => {
    await app.inject({
      method: 'GET',
      url: '/orders/ord_1?expand=lines',
      headers: { traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01` },
    });

    const [span] = await finishedSpans();
    expect(span?.name).toBe('GET /orders/:orderId');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.spanContext().traceId).toBe(CALLER_TRACE_ID);
    expect(span?.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/orders/:orderId',
      'url.path': '/orders/ord_1',
      'http.response.status_code': 200,
    });
  });

  it('activates request span after body parsing', async () => {
    await app.inject({ method: 'POST', url: '/orders', payload: { orderId: 'ord_2' } });

    const [span] = await finishedSpans();
    expect(activeSpanIds).toEqual([span?.spanContext().spanId]);
  });

  it('marks a server error on the span', async () => {
    await app.inject({ method: 'GET', url: '/boom' });

    const [span] = await finishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['http.response.status_code']).toBe(500);
    expect(span?.events.map((event) => event.name)).toContain('exception');
  });

  it('leaves a caller error unmarked', async () => {
    await app.inject({ method: 'GET', url: '/missing' });

    const [span] = await finishedSpans();
    expect(span?.name).toBe('GET');
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.attributes['http.response.status_code']).toBe(404);
  });

  it('skips probes and documentation', async () => {
    await app.inject({ method: 'GET', url: '/health/live' });
    await app.inject({ method: 'GET', url: '/docs/json' });

    expect(await finishedSpans()).toEqual([]);
  });
});
