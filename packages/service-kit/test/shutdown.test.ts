import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createShutdown } from '../src/shutdown.js';
import { captureLogger } from './support/capture-logger.js';
import { startTsxProcess } from './support/child-process.js';

const SHUTDOWN_FIXTURE = fileURLToPath(new URL('./fixtures/shutdown-process.ts', import.meta.url));

describe('createShutdown', () => {
  it('runs steps in reverse order of registration', async () => {
    const { logger, withMessage } = captureLogger();
    const shutdown = createShutdown({ logger, timeoutMs: 1_000 });
    const order: string[] = [];
    shutdown.add('database', () => {
      order.push('database');
    });
    shutdown.add('consumer', async () => {
      order.push('consumer');
    });
    shutdown.add('http server', () => {
      order.push('http server');
    });

    await expect(shutdown.run()).resolves.toBe(0);
    expect(order).toEqual(['http server', 'consumer', 'database']);
    expect(withMessage('shutdown step finished').map((line) => line.step)).toEqual(order);
    expect(withMessage('shutdown finished')).toHaveLength(1);
  });

  it('continues after failed step, returns 1', async () => {
    const { logger, withMessage } = captureLogger();
    const shutdown = createShutdown({ logger, timeoutMs: 1_000 });
    const order: string[] = [];
    shutdown.add('database', () => {
      order.push('database');
    });
    shutdown.add('relay', () => Promise.reject(new Error('relay stuck')));

    await expect(shutdown.run()).resolves.toBe(1);
    expect(order).toEqual(['database']);
    const [failure] = withMessage('shutdown step failed');
    expect(failure?.step).toBe('relay');
    expect((failure?.err as { message: string }).message).toBe('relay stuck');
  });

  it('skips remaining steps after timeout', async () => {
    const { logger, withMessage } = captureLogger();
    const shutdown = createShutdown({ logger, timeoutMs: 50 });
    let databaseClosed = false;
    shutdown.add('database', () => {
      databaseClosed = true;
    });
    shutdown.add('consumer', () => new Promise<void>(() => undefined));

    await expect(shutdown.run()).resolves.toBe(1);
    expect(databaseClosed).toBe(false);
    expect(withMessage('shutdown timed out, remaining steps skipped')[0]?.pendingStep).toBe(
      'consumer',
    );
  });

  it('runs once when called twice', async () => {
    const { logger } = captureLogger();
    const shutdown = createShutdown({ logger, timeoutMs: 1_000 });
    let runs = 0;
    shutdown.add('counter', () => {
      runs += 1;
    });

    const [first, second] = await Promise.all([shutdown.run(), shutdown.run()]);
    expect([first, second]).toEqual([0, 0]);
    expect(runs).toBe(1);
  });

  it('abort runs the steps without exiting', async () => {
    const { logger, withMessage } = captureLogger();
    const shutdown = createShutdown({ logger, timeoutMs: 1_000 });
    let stepRan = false;
    shutdown.add('consumer', () => {
      stepRan = true;
    });

    shutdown.abort('consumer stopped');

    await expect(shutdown.run()).resolves.toBe(0);
    expect(stepRan).toBe(true);
    expect(withMessage('shutting down after an unrecoverable fault')[0]?.reason).toBe(
      'consumer stopped',
    );
  });

  it('rejects a step added after shutdown began', async () => {
    const { logger } = captureLogger();
    const shutdown = createShutdown({ logger, timeoutMs: 1_000 });
    await shutdown.run();
    expect(() => shutdown.add('late', () => undefined)).toThrow(/shutdown has already started/);
  });
});

describe('createShutdown signal handlers', () => {
  it('exits 0 after SIGTERM', async () => {
    const child = startTsxProcess(SHUTDOWN_FIXTURE, {});
    await child.waitForMessage('waiting for signal');
    child.child.kill('SIGTERM');

    await expect(child.exited).resolves.toBe(0);
    expect(child.lines.find((line) => line.msg === 'shutdown signal received')?.signal).toBe(
      'SIGTERM',
    );
    const steps = child.lines.filter((line) => line.msg === 'shutdown step finished');
    expect(steps.map((line) => line.step)).toEqual(['registered second', 'registered first']);
  });

  it('exits 1 after abort', async () => {
    const child = startTsxProcess(SHUTDOWN_FIXTURE, { ABORT: '1' });

    await expect(child.exited).resolves.toBe(1);
    const steps = child.lines.filter((line) => line.msg === 'shutdown step finished');
    expect(steps.map((line) => line.step)).toEqual(['registered second', 'registered first']);
  });

  it('exits 1 when SIGINT shutdown times out', async () => {
    const child = startTsxProcess(SHUTDOWN_FIXTURE, { HANG_SECOND_STEP: '1', TIMEOUT_MS: '200' });
    await child.waitForMessage('waiting for signal');
    child.child.kill('SIGINT');

    await expect(child.exited).resolves.toBe(1);
    const timedOut = child.lines.find(
      (line) => line.msg === 'shutdown timed out, remaining steps skipped',
    );
    expect(timedOut?.pendingStep).toBe('registered second');
  });
});
