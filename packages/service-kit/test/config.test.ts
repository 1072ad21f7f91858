import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseServiceConfig, loadConfig, providerUrl } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

const VALID_ENV = {
  PORT: '8081',
  DATABASE_URL: 'postgres://orderflow_payment@127.0.0.1:5432/orderflow_payment',
};

const serviceSchema = z.object({
  ...baseServiceConfig,
  STRIPE_API_KEY: z.string().min(8),
});

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the defaults of the common variables', () => {
    const config = loadConfig(z.object(baseServiceConfig), VALID_ENV);
    expect(config).toEqual({
      PORT: 8081,
      HOST: '127.0.0.1',
      DATABASE_URL: VALID_ENV.DATABASE_URL,
      KAFKA_BROKERS: ['127.0.0.1:19092'],
      LOG_LEVEL: 'info',
      SANDBOX_URL: 'http://127.0.0.1:4010',
      SHUTDOWN_TIMEOUT_MS: 15_000,
    });
  });

  it('parses a broker list and trims its entries', () => {
    const env = { ...VALID_ENV, KAFKA_BROKERS: 'kafka-1:9092, [::1]:19092' };
    const config = loadConfig(z.object(baseServiceConfig), env);
    expect(config.KAFKA_BROKERS).toEqual(['kafka-1:9092', '[::1]:19092']);
  });

  it('treats empty values as unset', () => {
    const env = { ...VALID_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: '', LOG_LEVEL: '' };
    const config = loadConfig(z.object(baseServiceConfig), env);
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('lets a service give PORT a default', () => {
    const schema = z.object({ ...baseServiceConfig, PORT: baseServiceConfig.PORT.default(8082) });
    const config = loadConfig(schema, { DATABASE_URL: VALID_ENV.DATABASE_URL });
    expect(config.PORT).toBe(8082);
  });

  it('names invalid broker list and value', () => {
    const error = configErrorOf(() =>
      loadConfig(z.object(baseServiceConfig), { ...VALID_ENV, KAFKA_BROKERS: 'abc' }),
    );
    expect(error.message).toContain(
      'KAFKA_BROKERS: expected host:port[,host:port...], received "abc"',
    );
  });

  it('names a missing variable with an example value', () => {
    const error = configErrorOf(() => loadConfig(z.object(baseServiceConfig), { PORT: '8081' }));
    expect(error.message).toContain(
      'DATABASE_URL: missing; set it to postgres://user@host:5432/db',
    );
  });

  it('lists every invalid variable in one error', () => {
    const env = { PORT: 'eighty', LOG_LEVEL: 'loud', SANDBOX_URL: 'ftp://sandbox' };
    const error = configErrorOf(() => loadConfig(serviceSchema, env));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(
      'PORT: expected an integer port from 0 to 65535, received "eighty"',
    );
    expect(error.message).toContain('DATABASE_URL: missing');
    expect(error.message).toContain('LOG_LEVEL: expected one of fatal, error, warn, info');
    expect(error.message).toContain('SANDBOX_URL: expected an http:// or https:// URL');
    expect(error.message).toContain('STRIPE_API_KEY: missing');
  });

  it('hides the value of a credential variable', () => {
    const env = { ...VALID_ENV, STRIPE_API_KEY: 'sk_bad' };
    const error = configErrorOf(() => loadConfig(serviceSchema, env));
    expect(error.message).toContain('STRIPE_API_KEY: expected string to have >=8 characters');
    expect(error.message).toContain('a hidden value of 6 characters');
    expect(error.message).not.toContain('sk_bad');
  });

  it('masks a password inside a rejected URL', () => {
    const env = { PORT: '1', DATABASE_URL: 'mysql://app:hunter2@db:3306/shop' };
    const error = configErrorOf(() => loadConfig(z.object(baseServiceConfig), env));
    expect(error.message).toContain('DATABASE_URL: expected a postgres:// URL');
    expect(error.message).not.toContain('hunter2');
  });

  it('rejects a port above 65535', () => {
    const error = configErrorOf(() =>
      loadConfig(z.object(baseServiceConfig), { ...VALID_ENV, PORT: '70000' }),
    );
    expect(error.message).toContain(
      'PORT: expected an integer port from 0 to 65535, received "70000"',
    );
  });
});

describe('providerUrl', () => {
  it('falls back to sandbox when unset', () => {
    expect(providerUrl(undefined, 'http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010');
    expect(providerUrl('  ', 'http://127.0.0.1:4010/')).toBe('http://127.0.0.1:4010');
  });

  it('returns a configured URL without its trailing slash', () => {
    expect(providerUrl('https://api.stripe.com/', 'http://127.0.0.1:4010')).toBe(
      'https://api.stripe.com',
    );
  });

  it('rejects non-http URL', () => {
    expect(() => providerUrl('api.stripe.com', 'http://127.0.0.1:4010')).toThrow(ConfigError);
  });
});
