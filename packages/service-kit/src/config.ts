import { z } from 'zod';
import { ConfigError } from './errors.js';

/** Environment variables, shaped like `process.env`. */
export type Environment = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A host name, IPv4 address or bracketed IPv6 address, then a port. */
const BROKER_ADDRESS = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/** Names whose values are never echoed in a config error, because they hold credentials. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|AUTH|SID|CREDENTIAL/i;

const MAX_ECHOED_LENGTH = 120;

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);
}

function isPostgresUrl(value: string): boolean {
  return URL.canParse(value) && ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
}

const portSchema = z
  .string()
  .regex(/^\d{1,5}$/, { error: 'expected an integer port from 0 to 65535' })
  .transform(Number)
  .refine((port) => port <= 65_535, { error: 'expected an integer port from 0 to 65535' });

const httpUrlSchema = z
  .string()
  .refine(isHttpUrl, { error: 'expected an http:// or https:// URL' })
  .transform((url) => url.replace(/\/+$/, ''));

const durationMsSchema = z
  .string()
  .regex(/^\d+$/, { error: 'expected a whole number of milliseconds' })
  .transform(Number)
  .refine((ms) => ms > 0, { error: 'expected a whole number of milliseconds above 0' });

const brokerListSchema = z
  .string()
  .transform((list) => list.split(',').map((address) => address.trim()))
  .refine((addresses) => addresses.every((address) => BROKER_ADDRESS.test(address)), {
    error: 'expected host:port[,host:port...]',
  });

/**
 * Zod shape of the variables that every service reads. Spread it into a service's own schema and
 * override `PORT` with that service's default port.
 *
 * An empty value counts as unset, so defaults apply to `VAR=` as well.
 *
 * @example
 * const paymentConfig = z.object({
 *   ...baseServiceConfig,
 *   PORT: baseServiceConfig.PORT.default(8081),
 *   STRIPE_API_KEY: z.string().min(1).meta({ examples: ['sk_test_123'] }),
 * });
 */
export const baseServiceConfig = {
  /** TCP port of the HTTP server. 0 picks a free port. */
  PORT: portSchema.meta({ examples: ['8080'] }),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .refine(isPostgresUrl, { error: 'expected a postgres:// URL' })
    .meta({ examples: ['postgres://user@host:5432/db'] }),
  KAFKA_BROKERS: brokerListSchema.default(['127.0.0.1:19092']),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** OTLP/HTTP base URL. Spans go to `<endpoint>/v1/traces`, and nothing is exported when unset. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrlSchema.optional(),
  SANDBOX_URL: httpUrlSchema.default('http://127.0.0.1:4010'),
  SHUTDOWN_TIMEOUT_MS: durationMsSchema.default(15_000),
};

/** Parsed values of `baseServiceConfig`. */
export type BaseServiceConfig = z.output<z.ZodObject<typeof baseServiceConfig>>;

/**
 * Parses the environment with `schema`, whose keys are environment variable names, and returns
 * the typed config.
 *
 * Throws `ConfigError` listing every invalid variable on its own line, with what was expected and
 * what was received. Values of variables whose names suggest a credential are not echoed, and a
 * password inside a URL is masked. A missing variable whose schema has `.meta({ examples })` gets
 * a hint built from the first example.
 *
 * @example
 * const config = loadConfig(z.object(baseServiceConfig));
 * console.log(config.KAFKA_BROKERS); // ['127.0.0.1:19092']
 */
export function loadConfig<Schema extends z.ZodObject>(
  schema: Schema,
  env: Environment = process.env,
): z.output<Schema> {
  const values = withoutEmptyValues(env);
  const result = schema.safeParse(values);
  if (result.success) return result.data;

  const lines = result.error.issues.map((issue) => describeIssue(schema, issue, values));
  const unique = [...new Set(lines)];
  throw new ConfigError(`Invalid configuration:\n  ${unique.join('\n  ')}`);
}

/**
 * Returns the configured provider base URL, or the sandbox URL when the variable is unset or
 * empty, without a trailing slash. Services call it for every `<PROVIDER>_BASE_URL` so that a
 * provider SDK never falls back to its live host.
 *
 * @example
 * const stripeBaseUrl = providerUrl(env.STRIPE_BASE_URL, config.SANDBOX_URL);
 */
export function providerUrl(value: string | undefined, sandboxUrl: string): string {
  const url = value === undefined || value.trim() === '' ? sandboxUrl : value.trim();
  if (!isHttpUrl(url)) {
    throw new ConfigError(
      `provider base URL: expected an http:// or https:// URL, received "${url}"`,
    );
  }
  return url.replace(/\/+$/, '');
}

function withoutEmptyValues(env: Environment): Environment {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

function describeIssue(schema: z.ZodObject, issue: z.core.$ZodIssue, env: Environment): string {
  const name = String(issue.path[0] ?? '(environment)');
  const raw = env[name];
  if (raw === undefined) {
    const example = exampleOf(schema.shape[name]);
    return example === undefined ? `${name}: missing` : `${name}: missing; set it to ${example}`;
  }
  return `${name}: ${expectation(issue)}, received ${describeReceived(name, raw)}`;
}

/** Zod's own messages read "Invalid input: expected number", so only the expectation is kept. */
function expectation(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `expected ${issue.expected}`;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.join(', ')}`;
  return issue.message.replace(/^[A-Z][a-z ]*: (?=expected)/, '');
}

function exampleOf(field: unknown): string | undefined {
  if (!(field instanceof z.ZodType)) return undefined;
  const examples = field.meta()?.examples;
  if (!Array.isArray(examples) || examples.length === 0) return undefined;
  return String(examples[0]);
}

function describeReceived(name: string, raw: string): string {
  if (SECRET_NAME.test(name)) return `a hidden value of ${raw.length} characters`;

  let echoed = raw;
  if (URL.canParse(raw)) {
    const url = new URL(raw);
    if (url.password !== '') {
      url.password = '***';
      echoed = url.toString();
    }
  }
  if (echoed.length > MAX_ECHOED_LENGTH) echoed = `${echoed.slice(0, MAX_ECHOED_LENGTH)}...`;
  return JSON.stringify(echoed);
}
