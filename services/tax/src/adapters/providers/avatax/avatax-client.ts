import { hostname } from 'node:os';
import { ConfigError } from '@orderflow/service-kit';
import AvaTaxModule from 'avatax';

// The package's types describe a CommonJS module whose `default` is the client class, but the
// module exports the class itself, which Node hands to an ESM default import (26.9.0).
const AvaTaxClient = AvaTaxModule as unknown as typeof AvaTaxModule.default;

/** The AvaTax SDK client. */
export type AvaTaxClient = InstanceType<typeof AvaTaxClient>;

/** Connection settings for AvaTax: the live API or the sandbox, chosen by `baseUrl`. */
export interface AvaTaxConfig {
  /** Account id, the HTTP Basic user. */
  accountId: string;
  /** License key, the HTTP Basic password. Never logged. */
  licenseKey: string;
  /** Company whose nexus and settings apply, and under which transactions are recorded. */
  companyCode: string;
  /** API origin without `/api/v2`, such as `http://127.0.0.1:4010` or `https://rest.avatax.com`. */
  baseUrl: string;
  /** Deadline of one HTTP request in ms; the provider policy has its own per-attempt timeout. */
  requestTimeoutMs?: number;
}

const APP_NAME = 'orderflow-tax';
const APP_VERSION = '0.1.0';

/**
 * Creates an AvaTax SDK client that sends every request to `config.baseUrl`. The SDK treats an
 * `environment` that is not an http(s) URL as production, so anything else is rejected here.
 */
export function createAvaTaxClient(config: AvaTaxConfig): AvaTaxClient {
  if (!/^https?:\/\/[^/]/.test(config.baseUrl)) {
    throw new ConfigError(`AvaTax base URL ${config.baseUrl} must start with http:// or https://`);
  }
  const client = new AvaTaxClient({
    appName: APP_NAME,
    appVersion: APP_VERSION,
    machineName: hostname(),
    environment: config.baseUrl.replace(/\/+$/, ''),
    ...(config.requestTimeoutMs ? { timeout: config.requestTimeoutMs } : {}),
  });
  return client.withSecurity({ username: config.accountId, password: config.licenseKey });
}
