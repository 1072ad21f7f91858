import Stripe from 'stripe';

/** Connection settings for Stripe: the live API or the sandbox, chosen by `baseUrl`. */
export interface StripeConfig {
  /** Secret key (`sk_test_...` for the sandbox). Never logged. */
  apiKey: string;
  /** API origin without a path, such as `http://127.0.0.1:4010` or `https://api.stripe.com`. */
  baseUrl: string;
  /** Socket timeout of one HTTP request in ms; the provider policy has its own per-attempt timeout. */
  requestTimeoutMs?: number;
}

/**
 * Creates a Stripe SDK client that sends every request to `config.baseUrl`. SDK retries are off
 * because the provider policy retries, and telemetry headers are off.
 */
export function createStripeClient(config: StripeConfig): Stripe {
  const url = new URL(config.baseUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(config.apiKey, {
    // URL keeps the brackets of an IPv6 literal, which the HTTP client does not accept.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port || (protocol === 'http' ? 80 : 443),
    protocol,
    maxNetworkRetries: 0,
    telemetry: false,
    ...(config.requestTimeoutMs ? { timeout: config.requestTimeoutMs } : {}),
  });
}
