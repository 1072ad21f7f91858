import { Socket } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaLogCreator } from '../src/kafka-logger.js';
import { kafkaCheck, runReadinessChecks } from '../src/readiness.js';
import { captureLogger } from './support/capture-logger.js';

const BROKER = process.env.TEST_KAFKA_BROKER ?? '127.0.0.1:19092';

/** Nothing listens on loopback port 1, so connections to it are refused at once. */
const UNUSED_BROKER = '127.0.0.1:1';

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

/** Creates a client without connection retries, as `kafkaCheck` expects. */
function kafkaClient(broker: string): Kafka {
  const { logger } = captureLogger();
  return new Kafka({
    clientId: 'service-kit-test',
    brokers: [broker],
    logLevel: logLevel.ERROR,
    logCreator: createKafkaLogCreator(logger),
    retry: { retries: 0 },
  });
}

describe('kafkaCheck', () => {
  let brokerReachable = false;

  beforeAll(async () => {
    brokerReachable = await isReachable(BROKER);
  });

  it('fails with refused connection', async () => {
    const check = kafkaCheck(kafkaClient(UNUSED_BROKER));
    try {
      await expect(check.check()).rejects.toThrow(/^kafka connection failed: .*ECONNREFUSED/);
      // The failed admin is dropped, so the next check connects again instead of reusing it.
      await expect(check.check()).rejects.toThrow(/^kafka connection failed/);
    } finally {
      await check.close();
    }
  });

  it('reports the failure in a readiness round', async () => {
    const check = kafkaCheck(kafkaClient(UNUSED_BROKER));
    try {
      const report = await runReadinessChecks([check], 2_000);
      expect(report.ready).toBe(false);
      expect(report.checks.kafka).toMatch(/^kafka connection failed: /);
    } finally {
      await check.close();
    }
  });

  it('rejects checks after close', async () => {
    const check = kafkaCheck(kafkaClient(UNUSED_BROKER));
    await check.close();
    await expect(check.check()).rejects.toThrow('kafka check is closed');
  });

  describe('against the local broker', () => {
    const check = kafkaCheck(kafkaClient(BROKER));

    afterAll(async () => {
      await check.close();
    });

    it('passes and reuses its admin connection', async ({ skip }) => {
      // NOTE: skipped when no broker listens at TEST_KAFKA_BROKER (default 127.0.0.1:19092);
      // start one with `bash infra/kafka/kafka.sh start` to run it.
      if (!brokerReachable) skip();
      await expect(check.check()).resolves.toBeUndefined();
      await expect(check.check()).resolves.toBeUndefined();
    });
  });
});
