import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseServiceConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { runService, type RunningService } from '../src/service-runtime.js';
import { startTracing } from '../src/tracing.js';
import { startTsxProcess } from './support/child-process.js';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';

const MIGRATIONS = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));
const SERVICE_FIXTURE = fileURLToPath(new URL('./fixtures/service-process.ts', import.meta.url));
const BROKER = process.env.TEST_KAFKA_BROKER ?? '127.0.0.1:19092';

const widgetsConfig = z.object({
  ...baseServiceConfig,
  WIDGET_COLOR: z.string().default('grey'),
});

function isReachable(address: string): Promise<boolean> {
  const [host = '127.0.0.1', port = '0'] = address.split(':');
  return new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(Number(port), host);
  });
}

describe('runService', () => {
  let scratch: ScratchDatabase;
  let brokerReachable = false;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    brokerReachable = await isReachable(BROKER);
  });

  afterAll(async () => {
    await scratch.drop();
  });

  function serviceEnv(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      PORT: '0',
      DATABASE_URL: scratch.url,
      KAFKA_BROKERS: BROKER,
      LOG_LEVEL: 'silent',
      ...overrides,
    };
  }

  it('serves the routes that setup registers', async () => {
    let receivedColor = '';
    const service = await runService({
      name: 'widgets',
      version: '0.0.1',
      description: 'Widgets',
      configSchema: widgetsConfig,
      migrationsDirectory: MIGRATIONS,
      env: serviceEnv(),
      ownsProcess: false,
      setup: ({ app, config, db }) => {
        receivedColor = config.WIDGET_COLOR;
        app.get('/widgets/count', async () => {
          const [row] = await db('widgets').count<{ count: string }[]>({ count: '*' });
          return { count: Number(row?.count ?? 0) };
        });
      },
    });
    try {
      const response = await fetch(`${service.url}/widgets/count`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ count: 0 });
      expect(receivedColor).toBe('grey');

      const docs = (await (await fetch(`${service.url}/docs/json`)).json()) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(docs.paths)).toContain('/widgets/count');
    } finally {
      await service.stop();
    }
  });

  it('checks the database and the broker for readiness', async ({ skip }) => {
    // NOTE: skipped when no broker listens at TEST_KAFKA_BROKER (default 127.0.0.1:19092).
    if (!brokerReachable) skip();
    const service = await startWidgets(serviceEnv());
    try {
      const response = await fetch(`${service.url}/health/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ready', checks: { db: 'ok', kafka: 'ok' } });
    } finally {
      await service.stop();
    }
  });

  it('reports not ready while the broker is unreachable', async () => {
    const service = await startWidgets(serviceEnv({ KAFKA_BROKERS: '127.0.0.1:1' }));
    try {
      const response = await fetch(`${service.url}/health/ready`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { checks: Record<string, string> };
      expect(body.checks.db).toBe('ok');
      expect(body.checks.kafka).toMatch(/^kafka connection failed: .*ECONNREFUSED/);
    } finally {
      await service.stop();
    }
  });

  it('stops server, setup steps, then database', async () => {
    const observed: { serverListening?: boolean; databaseAnswered?: boolean } = {};
    const service = await runService({
      name: 'widgets',
      version: '0.0.1',
      description: 'Widgets',
      configSchema: widgetsConfig,
      migrationsDirectory: MIGRATIONS,
      env: serviceEnv(),
      ownsProcess: false,
      setup: ({ app, db, shutdown }) => {
        shutdown.add('widget consumer', async () => {
          observed.serverListening = app.server.listening;
          observed.databaseAnswered = await db.raw('select 1').then(
            () => true,
            () => false,
          );
        });
      },
    });
    const url = service.url;

    await expect(service.stop()).resolves.toBe(0);
    expect(observed).toEqual({ serverListening: false, databaseAnswered: true });
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });

  it('throws ConfigError when not owning process', async () => {
    const start = runService({
      name: 'widgets',
      version: '0.0.1',
      description: 'Widgets',
      configSchema: widgetsConfig,
      migrationsDirectory: MIGRATIONS,
      env: { PORT: '0', KAFKA_BROKERS: 'abc' },
      ownsProcess: false,
      setup: () => undefined,
    });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/KAFKA_BROKERS: expected host:port/);
  });

  it('releases what it started when start fails', async () => {
    const start = runService({
      name: 'widgets',
      version: '0.0.1',
      description: 'Widgets',
      configSchema: widgetsConfig,
      migrationsDirectory: fileURLToPath(new URL('./fixtures/no-such-directory', import.meta.url)),
      env: serviceEnv(),
      ownsProcess: false,
      setup: () => undefined,
    });
    await expect(start).rejects.toThrow(/ENOENT/);

    // Tracing was shut down by the failed start, so it can be started again.
    const tracing = startTracing({ serviceName: 'widgets', inMemory: true });
    await tracing.shutdown();
  });

  it('shuts down on SIGTERM, exits 0', async () => {
    const child = startTsxProcess(SERVICE_FIXTURE, serviceEnv({ LOG_LEVEL: 'info' }));
    const started = await child.waitForMessage('service started');
    expect(started.service).toBe('widgets');

    const response = await fetch(`http://127.0.0.1:${String(started.port)}/widgets/count`);
    expect(await response.json()).toEqual({ count: 0 });

    child.child.kill('SIGTERM');
    await expect(child.exited).resolves.toBe(0);
    const steps = child.lines
      .filter((line) => line.msg === 'shutdown step finished')
      .map((line) => line.step);
    expect(steps).toEqual([
      'http server',
      'widget consumer',
      'kafka readiness check',
      'database',
      'tracing',
    ]);
  });

  async function startWidgets(env: Record<string, string>): Promise<RunningService> {
    return runService({
      name: 'widgets',
      version: '0.0.1',
      description: 'Widgets',
      configSchema: widgetsConfig,
      migrationsDirectory: MIGRATIONS,
      env,
      ownsProcess: false,
      setup: () => undefined,
    });
  }
});
