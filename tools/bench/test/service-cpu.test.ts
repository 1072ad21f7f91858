import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchOptions } from '../src/bench-options.js';
import { formatCpuPerOrder } from '../src/bench-report.js';
import {
  BENCH_SERVICES,
  cpuPerCapturedOrder,
  parsePrometheusText,
  readServiceCpu,
  sumSamples,
  type BenchService,
  type CpuReading,
} from '../src/service-cpu.js';

const EXPOSITION = `# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total{service="payment"} 12.5

# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{path="/a b",note="say \\"hi\\"\\\\n",} 3 1700000000000
http_requests_total { path = "/c" , note="line\\nbreak" } 4
up 1
temperature_celsius -Inf
ratio NaN
lag_stddev_seconds Nan
limit_bytes +Inf
size_bytes 1.5e3
`;

describe('parsePrometheusText', () => {
  const samples = parsePrometheusText(EXPOSITION);

  it('skips comments and blank lines', () => {
    expect(samples.map((sample) => sample.name)).toEqual([
      'process_cpu_seconds_total',
      'http_requests_total',
      'http_requests_total',
      'up',
      'temperature_celsius',
      'ratio',
      'lag_stddev_seconds',
      'limit_bytes',
      'size_bytes',
    ]);
  });

  it('reads labels with escapes and spaces', () => {
    expect(samples[0]).toEqual({
      name: 'process_cpu_seconds_total',
      labels: { service: 'payment' },
      value: 12.5,
    });
    expect(samples[1]?.labels).toEqual({ path: '/a b', note: 'say "hi"\\n' });
    expect(samples[2]?.labels).toEqual({ path: '/c', note: 'line\nbreak' });
  });

  it('reads values and drops timestamps', () => {
    expect(samples[1]?.value).toBe(3);
    expect(samples[3]).toEqual({ name: 'up', labels: {}, value: 1 });
    expect(samples[4]?.value).toBe(-Infinity);
    expect(samples[5]?.value).toBeNaN();
    expect(samples[6]?.value).toBeNaN();
    expect(samples[7]?.value).toBe(Infinity);
    expect(samples[8]?.value).toBe(1500);
  });

  it('rejects an invalid line with its number', () => {
    expect(() => parsePrometheusText('up 1\nbroken{service="x} 1\n')).toThrow(
      'invalid Prometheus sample on line 2: missing closing quote of label service',
    );
    expect(() => parsePrometheusText('up one')).toThrow(
      'invalid Prometheus sample on line 1: invalid value "one"',
    );
    expect(() => parsePrometheusText('up')).toThrow(
      'invalid Prometheus sample on line 1: missing value',
    );
  });
});

describe('sumSamples', () => {
  const samples = parsePrometheusText(EXPOSITION);

  it('adds every label set of a metric', () => {
    expect(sumSamples(samples, 'http_requests_total')).toBe(7);
  });

  it('returns undefined for a missing metric', () => {
    expect(sumSamples(samples, 'process_resident_memory_bytes')).toBeUndefined();
  });
});

function reading(service: BenchService, cpuSeconds: number): CpuReading {
  return { service, url: `http://127.0.0.1/${service}`, cpuSeconds };
}

function failedReading(service: BenchService, error: string): CpuReading {
  return { service, url: `http://127.0.0.1/${service}`, error };
}

describe('cpuPerCapturedOrder', () => {
  const before = BENCH_SERVICES.map(({ service }) => reading(service, 10));

  it('divides each service and the total by the captured orders', () => {
    const after = BENCH_SERVICES.map(({ service }) => reading(service, 12));

    const figures = cpuPerCapturedOrder(before, after, 400);

    expect(figures.services[0]).toEqual({ service: 'gateway', cpuSeconds: 2, msPerOrder: 5 });
    expect(figures.totalCpuSeconds).toBe(14);
    expect(figures.totalMsPerOrder).toBe(35);
    expect(figures.measuredServices).toBe(7);
  });

  it('leaves failed and restarted services out of the total', () => {
    const after: CpuReading[] = [
      reading('gateway', 14),
      failedReading('payment', 'GET http://127.0.0.1:8081/metrics failed: fetch failed'),
      reading('shipping', 3),
      reading('tax', 11),
      reading('fraud', 11),
      reading('notification', 11),
    ];
    const beforeWithFailure = before.map((entry) =>
      entry.service === 'tax' ? failedReading('tax', 'timed out') : entry,
    );

    const figures = cpuPerCapturedOrder(beforeWithFailure, after, 200);
    const byService = Object.fromEntries(figures.services.map((use) => [use.service, use]));

    expect(byService.gateway).toEqual({ service: 'gateway', cpuSeconds: 4, msPerOrder: 20 });
    expect(byService.payment).toEqual({
      service: 'payment',
      notMeasured: 'after the run: GET http://127.0.0.1:8081/metrics failed: fetch failed',
    });
    expect(byService.shipping).toEqual({
      service: 'shipping',
      notMeasured:
        'process_cpu_seconds_total went down from 10 to 3 s, so the service restarted ' +
        'during the run',
    });
    expect(byService.tax).toEqual({ service: 'tax', notMeasured: 'before the run: timed out' });
    expect(byService['crm-sync']).toEqual({ service: 'crm-sync', notMeasured: 'no reading' });
    expect(figures.measuredServices).toBe(3);
    expect(figures.totalCpuSeconds).toBe(6);
    expect(figures.totalMsPerOrder).toBe(30);
  });

  it('has no per-order figure without captured orders', () => {
    const after = BENCH_SERVICES.map(({ service }) => reading(service, 11));

    const figures = cpuPerCapturedOrder(before, after, 0);

    expect(figures.services[0]).toEqual({
      service: 'gateway',
      cpuSeconds: 1,
      msPerOrder: undefined,
    });
    expect(figures.totalCpuSeconds).toBe(7);
    expect(figures.totalMsPerOrder).toBeUndefined();
  });

  it('has no total when no service was measured', () => {
    const after = BENCH_SERVICES.map(({ service }) => failedReading(service, 'refused'));

    const figures = cpuPerCapturedOrder(before, after, 100);

    expect(figures.measuredServices).toBe(0);
    expect(figures.totalMsPerOrder).toBeUndefined();
  });
});

describe('formatCpuPerOrder', () => {
  it('lists each service, the total and what is not counted', () => {
    const before = BENCH_SERVICES.map(({ service }) => reading(service, 10));
    const after = BENCH_SERVICES.map(({ service }) =>
      service === 'fraud' ? failedReading(service, 'refused') : reading(service, 10.5),
    );

    const lines = formatCpuPerOrder(cpuPerCapturedOrder(before, after, 100), {
      notMeasured: 'none of them runs on this host',
    });

    expect(lines).toHaveLength(10);
    expect(lines[1]).toBe('    gateway        5.00 ms (0.50 s CPU)');
    expect(lines[5]).toBe('    fraud          not measured: after the run: refused');
    expect(lines[8]).toBe('    total          30.00 ms (3.00 s CPU, 6 of 7 services measured)');
    expect(lines[9]).toBe(
      '  the Kafka broker, PostgreSQL and the sandbox not measured: none of them runs on this host',
    );
  });

  it('adds the host processes and the total of all', () => {
    const before = BENCH_SERVICES.map(({ service }) => reading(service, 10));
    const after = BENCH_SERVICES.map(({ service }) => reading(service, 10.5));

    const lines = formatCpuPerOrder(cpuPerCapturedOrder(before, after, 100), [
      { kind: 'Kafka broker', cpuSeconds: 0.8, processes: 1 },
      { kind: 'PostgreSQL', cpuSeconds: 2.5, processes: 20 },
      { kind: 'sandbox', cpuSeconds: 0.5, processes: 2 },
    ]);

    expect(lines.slice(9)).toEqual([
      '  other processes on this host, from /proc (PostgreSQL counts every database of its server):',
      '    Kafka broker   8.00 ms (0.80 s CPU, 1 process)',
      '    PostgreSQL     25.00 ms (2.50 s CPU, 20 processes)',
      '    sandbox        5.00 ms (0.50 s CPU, 2 processes)',
      '    all processes  73.00 ms (7.30 s CPU)',
    ]);
  });
});

describe('readServiceCpu', () => {
  let server: Server;
  let baseUrl: string;
  const bodies = new Map<string, { status: number; body: string }>([
    ['/metrics', { status: 200, body: 'process_cpu_seconds_total{service="tax"} 2.25\n' }],
    ['/broken/metrics', { status: 500, body: 'internal error' }],
    ['/other/metrics', { status: 200, body: 'up 1\n' }],
  ]);

  beforeAll(async () => {
    server = createServer((request, response) => {
      const reply = bodies.get(request.url ?? '') ?? { status: 404, body: 'not found' };
      response.writeHead(reply.status, { 'content-type': 'text/plain; version=0.0.4' });
      response.end(reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads the CPU seconds', async () => {
    expect(await readServiceCpu('tax', `${baseUrl}/`)).toEqual({
      service: 'tax',
      url: `${baseUrl}/`,
      cpuSeconds: 2.25,
    });
  });

  it('reports an error status', async () => {
    const result = await readServiceCpu('tax', `${baseUrl}/broken`);

    expect(result).toEqual({
      service: 'tax',
      url: `${baseUrl}/broken`,
      error: `GET ${baseUrl}/broken/metrics returned HTTP 500`,
    });
  });

  it('reports a missing metric', async () => {
    const result = await readServiceCpu('tax', `${baseUrl}/other`);

    expect(result).toEqual({
      service: 'tax',
      url: `${baseUrl}/other`,
      error: `process_cpu_seconds_total is missing from ${baseUrl}/other/metrics`,
    });
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const result = await readServiceCpu('tax', `http://127.0.0.1:${port}`);

    expect(result).toEqual({
      service: 'tax',
      url: `http://127.0.0.1:${port}`,
      error: expect.stringMatching(
        new RegExp(`^GET http://127.0.0.1:${port}/metrics failed: fetch failed: .*ECONNREFUSED`),
      ),
    });
  });
});

describe('parseBenchOptions service URLs', () => {
  it('defaults to ports 8080 to 8086 on loopback', () => {
    const options = parseBenchOptions([], {});

    expect(options?.serviceUrls).toEqual({
      gateway: 'http://127.0.0.1:8080',
      payment: 'http://127.0.0.1:8081',
      shipping: 'http://127.0.0.1:8082',
      tax: 'http://127.0.0.1:8083',
      fraud: 'http://127.0.0.1:8084',
      notification: 'http://127.0.0.1:8085',
      'crm-sync': 'http://127.0.0.1:8086',
    });
    expect(options?.gatewayUrl).toBe('http://127.0.0.1:8080');
  });

  it('takes each URL from its variable', () => {
    const options = parseBenchOptions([], {
      GATEWAY_URL: 'http://127.0.0.1:9080',
      CRM_SYNC_URL: 'http://127.0.0.1:9086',
    });

    expect(options?.gatewayUrl).toBe('http://127.0.0.1:9080');
    expect(options?.serviceUrls.gateway).toBe('http://127.0.0.1:9080');
    expect(options?.serviceUrls['crm-sync']).toBe('http://127.0.0.1:9086');
    expect(options?.serviceUrls.payment).toBe('http://127.0.0.1:8081');
  });

  it('rejects a URL that is not http', () => {
    expect(() => parseBenchOptions([], { TAX_URL: '127.0.0.1:8083' })).toThrow(BenchUsageError);
    expect(() => parseBenchOptions([], { TAX_URL: '127.0.0.1:8083' })).toThrow(
      'TAX_URL must be an http or https URL; received "127.0.0.1:8083"',
    );
  });
});
