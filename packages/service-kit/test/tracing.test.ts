import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../src/tracing.js';

interface ReceivedRequest {
  method: string | undefined;
  url: string | undefined;
  body: string;
}

/** Starts a loopback HTTP server that stands in for an OTLP collector. */
async function startCollector(): Promise<{
  server: Server;
  url: string;
  received: ReceivedRequest[];
}> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, received };
}

describe('startTracing', () => {
  let tracing: Tracing | undefined;

  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  it('records spans with the in-memory exporter', async () => {
    tracing = startTracing({ serviceName: 'payment', inMemory: true });
    trace.getTracer('test').startActiveSpan('capture payment', (span) => {
      span.setAttribute('order.id', 'ord_1');
      span.end();
    });
    await tracing.forceFlush();

    const spans = tracing.memoryExporter?.getFinishedSpans() ?? [];
    expect(spans.map((span) => span.name)).toEqual(['capture payment']);
    expect(spans[0]?.attributes['order.id']).toBe('ord_1');
    expect(spans[0]?.resource.attributes['service.name']).toBe('payment');
    expect(tracing.destination).toBe('memory');
  });

  it('injects a W3C traceparent for the active span', () => {
    tracing = startTracing({ serviceName: 'payment', inMemory: true });
    const carrier: Record<string, string> = {};
    let traceId = '';
    trace.getTracer('test').startActiveSpan('publish', (span) => {
      traceId = span.spanContext().traceId;
      propagation.inject(context.active(), carrier);
      span.end();
    });
    expect(carrier.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });

  it('records spans without endpoint, exports none', () => {
    tracing = startTracing({ serviceName: 'payment' });
    const span = trace.getTracer('test').startSpan('authorize');
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanContext().traceId).not.toBe('0'.repeat(32));
    span.end();
    expect(tracing.destination).toBe('none');
    expect(tracing.memoryExporter).toBeUndefined();
  });

  it('posts spans to endpoint /v1/traces', async () => {
    const collector = await startCollector();
    try {
      tracing = startTracing({ serviceName: 'payment', otlpEndpoint: `${collector.url}/` });
      trace.getTracer('test').startSpan('refund payment').end();
      await tracing.shutdown();

      expect(collector.received).toHaveLength(1);
      expect(collector.received[0]?.method).toBe('POST');
      expect(collector.received[0]?.url).toBe('/v1/traces');
      expect(collector.received[0]?.body).toContain('refund payment');
    } finally {
      collector.server.close();
    }
  });

  it('rejects a second start while running', () => {
    tracing = startTracing({ serviceName: 'payment', inMemory: true });
    expect(() => startTracing({ serviceName: 'payment' })).toThrow(/already running/);
  });

  it('starts again after shutdown', async () => {
    const first = startTracing({ serviceName: 'payment', inMemory: true });
    await first.shutdown();
    tracing = startTracing({ serviceName: 'shipping', inMemory: true });
    trace.getTracer('test').startSpan('buy label').end();
    await tracing.forceFlush();
    const [span] = tracing.memoryExporter?.getFinishedSpans() ?? [];
    expect(span?.resource.attributes['service.name']).toBe('shipping');
  });
});
