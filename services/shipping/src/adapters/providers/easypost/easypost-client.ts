import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import EasyPostModule from '@easypost/api';

// The package's types describe a CommonJS module whose `default` is the client class, but the
// ESM build that Node loads exports the class itself as the default export (8.9.0).
const EasyPostClient = EasyPostModule as unknown as typeof EasyPostModule.default;

/** The EasyPost SDK client. */
export type EasyPostClient = InstanceType<typeof EasyPostClient>;

/** Connection settings for EasyPost: the live API or the sandbox, chosen by `baseUrl`. */
export interface EasyPostConfig {
  /** API key (`EZTK...` for test mode). Never logged. */
  apiKey: string;
  /** API origin, such as `http://127.0.0.1:4010` or `https://api.easypost.com`; `/v2/` is added when missing. */
  baseUrl: string;
  /** Deadline of one HTTP request in ms; the provider policy has its own per-attempt timeout. */
  requestTimeoutMs?: number;
}

/** Returns the SDK's `baseUrl`, which must end in `/v2/`. */
export function easyPostApiUrl(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return trimmed.endsWith('/v2') ? `${trimmed}/` : `${trimmed}/v2/`;
}

interface SuperagentRequest {
  timeout(ms: number): SuperagentRequest;
  agent(agent: HttpAgent): SuperagentRequest;
}

/**
 * Creates an EasyPost SDK client that sends every request to `config.baseUrl`. The SDK stores
 * its `timeout` option without applying it (8.9.0), so the deadline is set on each request.
 * Requests share one keep-alive agent. Without it, superagent under the SDK sends
 * `Connection: close` and opens a new TCP (and TLS) connection for every call.
 */
export function createEasyPostClient(config: EasyPostConfig): EasyPostClient {
  const timeoutMs = config.requestTimeoutMs;
  const baseUrl = easyPostApiUrl(config.baseUrl);
  const agent = baseUrl.startsWith('https:')
    ? new HttpsAgent({ keepAlive: true })
    : new HttpAgent({ keepAlive: true });
  return new EasyPostClient(config.apiKey, {
    baseUrl,
    requestMiddleware: (request: SuperagentRequest) => {
      const shared = request.agent(agent);
      return timeoutMs ? shared.timeout(timeoutMs) : shared;
    },
  });
}
