import { pino } from 'pino';

/** The pino logger that services, the HTTP app and the Kafka client share. */
export type Logger = pino.Logger;

/** Pino log levels that `LOG_LEVEL` accepts. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Field names whose values are credentials or card data. A `card` object is redacted whole, which
 * covers its `number`.
 */
const SECRET_FIELDS = [
  'apiKey',
  'password',
  'token',
  'accessToken',
  'secret',
  'licenseKey',
  'authToken',
  'card',
  'cardNumber',
  'cvc',
] as const;

/**
 * Pino redaction paths. Pino wildcards match one level, so every secret field is listed at the
 * top level and at depths one and two (`apiKey`, `*.apiKey`, `*.*.apiKey`).
 *
 * Email addresses and phone numbers are not redacted here. Payment and fraud code must not log
 * them whole, and that rule is the caller's.
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
] as const;

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Service name, written as `service` on every line. */
  service: string;
  /** Minimum level written, `info` by default. */
  level?: LogLevel;
  /** Destination of the log lines, stdout by default. Tests pass a stream to capture output. */
  destination?: pino.DestinationStream;
}

/**
 * Creates a JSON logger that writes ISO timestamps, level labels and `service` on every line, with
 * credentials and card fields replaced by `[Redacted]`.
 *
 * @example
 * const log = createLogger({ service: 'payment', level: 'info' });
 * log.info({ orderId, amountMinor }, 'payment captured');
 */
export function createLogger(options: LoggerOptions): Logger {
  const pinoOptions: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACTED_LOG_PATHS] },
  };
  return options.destination === undefined
    ? pino(pinoOptions)
    : pino(pinoOptions, options.destination);
}
