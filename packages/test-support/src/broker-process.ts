import { execFile } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Path of the script that downloads, starts and stops the local Kafka broker. */
export const KAFKA_SCRIPT = fileURLToPath(
  new URL('../../../infra/kafka/kafka.sh', import.meta.url),
);

/**
 * Maximum run time of one kafka.sh call, in ms. It covers a first download of the jars and
 * the script's own 60 s start-up limit.
 */
const SCRIPT_TIMEOUT_MS = 180_000;

/** Ports, run folder and heap of a broker started beside the shared one. */
export interface BrokerOptions {
  /** Client port on 127.0.0.1. */
  port: number;
  /** KRaft controller port on 127.0.0.1. */
  controllerPort: number;
  /** Folder for the broker's data, logs, pid and properties, created if missing. */
  runDir: string;
  /** Maximum JVM heap, as java's -Xmx takes it (default "256m"). */
  heapMax?: string;
}

/**
 * Starts a single-node broker with `infra/kafka/kafka.sh start` and waits until it accepts
 * clients. Returns its address list for kafkajs. Starting a broker that already runs in
 * `runDir` returns at once. Stop it with {@link stopBroker}.
 *
 * @example
 * const brokers = await startBroker({ port, controllerPort, runDir });
 * const kafka = createTestKafka('restart-test', { brokers });
 */
export async function startBroker(options: BrokerOptions): Promise<string[]> {
  await runKafkaScript('start', {
    KAFKA_PORT: String(options.port),
    KAFKA_CONTROLLER_PORT: String(options.controllerPort),
    KAFKA_RUN_DIR: options.runDir,
    KAFKA_HEAP_MAX: options.heapMax ?? '256m',
  });
  return [`127.0.0.1:${options.port}`];
}

/** Stops the broker of `runDir` with `infra/kafka/kafka.sh stop`. Does nothing if none runs. */
export async function stopBroker(runDir: string): Promise<void> {
  await runKafkaScript('stop', { KAFKA_RUN_DIR: runDir });
}

/**
 * Returns `count` distinct TCP ports on 127.0.0.1 that were free a moment ago. Another
 * process may take one before the caller binds it, which is unlikely but possible.
 */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    // Every listener stays open until all are bound, so the ports are distinct.
    for (let index = 0; index < count; index++) servers.push(await listenOnAnyPort());
    return servers.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

function listenOnAnyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function runKafkaScript(command: string, env: Record<string, string>): Promise<void> {
  try {
    await execFileAsync('bash', [KAFKA_SCRIPT, command], {
      env: { ...process.env, ...env },
      timeout: SCRIPT_TIMEOUT_MS,
    });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    const details = `${output.stdout ?? ''}${output.stderr ?? ''}`.trim();
    throw new Error(`kafka.sh ${command} failed for ${env.KAFKA_RUN_DIR}:\n${details}`, {
      cause: error,
    });
  }
}
