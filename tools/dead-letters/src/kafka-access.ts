import { Kafka, logLevel, type Admin } from 'kafkajs';

/**
 * Client settings of the command. They are shorter than the kafkajs 2.2.4 defaults (30 s per
 * request, 5 retries up to 30 s apart), so that a broker that is down or hung ends the command
 * sooner.
 */
const CLIENT_SETTINGS = {
  requestTimeout: 15_000,
  retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
} as const;

/** Kafka could not be reached, read or written. The message names the cause and the fix. */
export class KafkaAccessError extends Error {
  override readonly name = 'KafkaAccessError';
}

/**
 * Creates the command's kafkajs client. kafkajs logging is off because each failure reaches
 * the command as a rejected promise or a consumer crash, and the command prints it once.
 */
export function createKafka(brokers: string[]): Kafka {
  return new Kafka({
    clientId: 'orderflow-dead-letters',
    brokers,
    logLevel: logLevel.NOTHING,
    ...CLIENT_SETTINGS,
  });
}

/** Returns the message of an error, followed by the message of its cause when it differs. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error && cause.message !== error.message) {
    return `${error.message}: ${cause.message}`;
  }
  return error.message;
}

/** Connects an admin client, or throws KafkaAccessError naming KAFKA_BROKERS. */
export async function connectAdmin(kafka: Kafka, brokers: string[]): Promise<Admin> {
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    await admin.disconnect().catch(() => undefined);
    throw new KafkaAccessError(
      `cannot reach the Kafka broker at ${brokers.join(',')} (KAFKA_BROKERS): ${errorText(error)}. ` +
        'Start the broker with `bash infra/kafka/kafka.sh start`, or set KAFKA_BROKERS to ' +
        'the host:port list of a running broker.',
      { cause: error },
    );
  }
  return admin;
}
