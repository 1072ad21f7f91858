import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from './logger.js';

type PinoMethod = 'error' | 'warn' | 'info' | 'debug';

const PINO_METHOD_BY_KAFKA_LEVEL: Record<logLevel, PinoMethod> = {
  [logLevel.NOTHING]: 'debug',
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * Creates a kafkajs `logCreator` that writes the client's log entries through pino, with the
 * kafkajs namespace (`Connection`, `Consumer`) and the entry's fields as pino fields.
 *
 * @example
 * new Kafka({ clientId: 'payment', brokers, logLevel: logLevel.ERROR, logCreator: createKafkaLogCreator(logger) });
 */
export function createKafkaLogCreator(logger: Logger): logCreator {
  const log = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log: entry }) => {
      const { message, timestamp: _timestamp, ...fields } = entry;
      log[PINO_METHOD_BY_KAFKA_LEVEL[level]]({ namespace, ...fields }, message);
    };
}
