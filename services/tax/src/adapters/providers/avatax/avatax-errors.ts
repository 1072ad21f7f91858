import { ProviderError } from '@orderflow/service-kit';
import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';

const PROVIDER = 'avatax';

/**
 * Error codes that a later retry can fix. The SDK hides the HTTP status, so retryability comes
 * from the code and from `target`, which is `AvaTaxApiServer` for faults of AvaTax itself.
 * `FormatException` is the SDK's code for a body that is not JSON, such as a proxy's 502 page.
 */
const RETRYABLE_CODES = new Set([
  'RateLimitExceeded',
  'RateLimitExceededError',
  'ServerConfiguration',
  'FormatException',
]);
const SERVER_TARGETS = new Set(['AvaTaxApiServer', 'AvalaraIdentityServer']);

/** Fields of an AvaTax error response as the SDK throws it: a plain Error with these properties. */
export interface AvaTaxErrorFields {
  code: string;
  target?: string;
  message: string;
}

/** Tells whether `error` is an AvaTax error response rather than a network failure or timeout. */
export function isAvaTaxAnswer(error: unknown): error is Error & AvaTaxErrorFields {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    !(error instanceof TypeError)
  );
}

/**
 * Converts an SDK error into a `ProviderError`. Network failures, timeouts, rate limits and
 * server faults are retryable. Other error responses are final.
 */
export function toProviderError(error: unknown, operation: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (!isAvaTaxAnswer(error)) {
    // The SDK rejects with `new Error('timeout')` when its own deadline passes.
    const timedOut = error instanceof Error && error.message === 'timeout';
    const reason = error instanceof Error ? error.message : String(error);
    return retryable(
      timedOut ? 'AVATAX_TIMEOUT' : 'AVATAX_UNREACHABLE',
      `AvaTax ${operation} failed without a response: ${reason}`,
      error,
    );
  }
  const detail = `${error.code}: ${error.message}`;
  if (RETRYABLE_CODES.has(error.code) || SERVER_TARGETS.has(error.target ?? '')) {
    const code = error.code.startsWith('RateLimit') ? 'AVATAX_RATE_LIMITED' : 'AVATAX_UNAVAILABLE';
    return retryable(code, `AvaTax ${operation} failed with ${detail}`, error);
  }
  const code =
    error.code === 'AuthenticationException'
      ? 'AVATAX_AUTHENTICATION_FAILED'
      : 'AVATAX_REQUEST_REJECTED';
  return new ProviderError(PROVIDER, code, `AvaTax ${operation} was rejected with ${detail}`, {
    retryable: false,
    cause: error,
  });
}

/** Converts errors of the resilience policy itself: timeout, open circuit, full bulkhead. */
export function toPolicyError(error: unknown, operation: string): unknown {
  if (error instanceof TaskCancelledError)
    return retryable('AVATAX_TIMEOUT', `AvaTax ${operation} timed out`, error);
  if (error instanceof BrokenCircuitError) {
    return retryable(
      'AVATAX_CIRCUIT_OPEN',
      `AvaTax ${operation} was skipped because the circuit is open`,
      error,
    );
  }
  if (error instanceof BulkheadRejectedError) {
    return retryable(
      'AVATAX_BUSY',
      `AvaTax ${operation} was rejected because too many calls are in flight`,
      error,
    );
  }
  return error;
}

function retryable(code: string, message: string, cause: unknown): ProviderError {
  return new ProviderError(PROVIDER, code, message, { retryable: true, statusCode: 503, cause });
}
