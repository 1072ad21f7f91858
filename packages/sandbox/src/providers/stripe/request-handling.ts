import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StripeApiError } from './errors.js';
import { expandBracketKeys, fingerprintParams, type StripeParams } from './form-params.js';
import { IDEMPOTENCY_LIMITS } from './idempotency.js';
import { newId, type StripeState } from './state.js';

export type StripeRequest = FastifyRequest<{ Params: Record<string, string> }>;

/** Route body: reads the expanded parameters and returns the object to send. */
export type StripeHandler = (params: StripeParams, request: StripeRequest) => unknown;

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the secret key from `Authorization: Bearer sk_...` or from Basic auth with the key as user. */
export function readApiKey(request: FastifyRequest): string | undefined {
  const header = headerValue(request.headers.authorization);
  if (!header) return undefined;
  const [scheme, credentials = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return credentials.trim();
  if (scheme?.toLowerCase() === 'basic') {
    return Buffer.from(credentials, 'base64').toString('utf8').split(':')[0];
  }
  return undefined;
}

/** Masks a key as Stripe does in its messages, keeping the prefix and the last four characters. */
function maskKey(key: string): string {
  const prefix = /^[a-z]{2}_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}****${key.slice(-4)}`;
}

/**
 * Rejects a request without a test-mode secret key (`sk_test_...` or `rk_test_...`) with a 401
 * in Stripe's shape. Live keys are rejected too, because the sandbox imitates test mode only.
 */
export async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.url.startsWith('/_sandbox/')) return;
  const key = readApiKey(request);
  if (!key) {
    await reply.code(401).send({
      error: {
        type: 'invalid_request_error',
        message:
          'You did not provide an API key. Send it in the Authorization header as ' +
          "'Authorization: Bearer YOUR_SECRET_KEY'.",
      },
    });
    return;
  }
  if (!/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key)) {
    await reply.code(401).send({
      error: {
        type: 'invalid_request_error',
        message: `Invalid API Key provided: ${maskKey(key)}. The sandbox accepts only test-mode secret keys.`,
      },
    });
  }
}

function toResponse(run: () => unknown): { statusCode: number; body: unknown; saved: boolean } {
  try {
    return { statusCode: 200, body: run(), saved: true };
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    return { statusCode: error.statusCode, body: error.toBody(), saved: error.savedForIdempotency };
  }
}

/**
 * Registers a POST route that applies Stripe's idempotency rules around `handler`: a repeated
 * key with the same parameters replays the saved response with `Idempotent-Replayed: true`.
 */
export function postRoute(
  scope: FastifyInstance,
  state: StripeState,
  path: string,
  handler: StripeHandler,
): void {
  scope.post(path, async (request: StripeRequest, reply) => {
    const params = expandBracketKeys(request.body);
    const key = headerValue(request.headers['idempotency-key']);
    if (key === undefined) {
      const response = toResponse(() => handler(params, request));
      return reply.code(response.statusCode).send(response.body);
    }
    if (key.length === 0 || key.length > IDEMPOTENCY_LIMITS.maxKeyLength) {
      throw new StripeApiError(400, {
        type: 'invalid_request_error',
        message: `Invalid idempotency key: it must have 1 to ${IDEMPOTENCY_LIMITS.maxKeyLength} characters.`,
      });
    }

    const apiKey = readApiKey(request) ?? '';
    const endpoint = `${request.method} ${request.url.split('?')[0]}`;
    const fingerprint = fingerprintParams(params);
    const lookup = state.idempotency.lookup(apiKey, key, endpoint, fingerprint);
    void reply.header('idempotency-key', key);

    if (lookup.kind === 'replay') {
      return reply
        .code(lookup.response.statusCode)
        .header('idempotent-replayed', 'true')
        .type('application/json')
        .send(lookup.response.body);
    }
    if (lookup.kind !== 'new') {
      const reason =
        lookup.kind === 'endpoint_mismatch'
          ? `for the same endpoint they were first used for (${lookup.firstEndpoint})`
          : 'with the same parameters they were first used with';
      throw new StripeApiError(400, {
        type: 'idempotency_error',
        message:
          `Keys for idempotent requests can only be used ${reason}. Try using a key other ` +
          `than '${key}' if you meant to execute a different request.`,
      });
    }

    const response = toResponse(() => handler(params, request));
    const body = JSON.stringify(response.body);
    if (response.saved) {
      state.idempotency.save(apiKey, key, endpoint, fingerprint, {
        statusCode: response.statusCode,
        body,
      });
    }
    return reply.code(response.statusCode).type('application/json').send(body);
  });
}

/** Adds Stripe's `Request-Id` header and turns thrown errors into Stripe's error shape. */
export function installResponseConventions(scope: FastifyInstance): void {
  scope.addHook('onSend', async (_request, reply) => {
    void reply.header('request-id', newId('req'));
  });

  scope.setErrorHandler(async (error, request, reply) => {
    if (error instanceof StripeApiError) {
      return reply.code(error.statusCode).send(error.toBody());
    }
    const statusCode = (error as { statusCode?: number }).statusCode ?? 500;
    if (statusCode < 500) {
      return reply.code(statusCode).send({
        error: { type: 'invalid_request_error', message: (error as Error).message },
      });
    }
    request.log.error({ err: error }, 'stripe sandbox route failed');
    return reply.code(500).send({
      error: { type: 'api_error', message: 'The Stripe sandbox failed to handle the request.' },
    });
  });
}

/** Returns the sandbox's base URL as the client reached it, for links in responses. */
export function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
