import { ProviderError } from '@orderflow/service-kit';
import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';

const PROVIDER = 'easypost';

/** Fields of an EasyPost API error as the SDK throws it; network failures have no `statusCode`. */
export interface EasyPostApiErrorFields {
  statusCode: number;
  code?: string;
  message: string;
  errors?: { field?: string; message?: string; code?: string }[];
}

/** Tells whether `error` is an EasyPost API error response rather than a network failure. */
export function isApiError(error: unknown): error is Error & EasyPostApiErrorFields {
  return (
    error instanceof Error && typeof (error as { statusCode?: unknown }).statusCode === 'number'
  );
}

/**
 * Converts an SDK error into a `ProviderError`. Network failures, timeouts, 408, 429 and 5xx
 * are retryable; other 4xx are final, because the same request fails again.
 */
export function toProviderError(error: unknown, operation: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (!isApiError(error)) {
    const timedOut = (error as { timeout?: unknown } | null)?.timeout !== undefined;
    const code = timedOut ? 'EASYPOST_TIMEOUT' : 'EASYPOST_UNREACHABLE';
    const reason = error instanceof Error ? error.message : String(error);
    return retryable(code, `EasyPost ${operation} failed without a response: ${reason}`, error);
  }

  const status = error.statusCode;
  const detail = `${status} ${error.code ?? 'error'}: ${error.message}`;
  if (status === 408 || status === 429 || status >= 500) {
    return retryable(
      status === 429 ? 'EASYPOST_RATE_LIMITED' : 'EASYPOST_UNAVAILABLE',
      `EasyPost ${operation} failed with ${detail}`,
      error,
    );
  }
  const code = status === 401 ? 'EASYPOST_AUTHENTICATION_FAILED' : 'EASYPOST_REQUEST_REJECTED';
  return new ProviderError(PROVIDER, code, `EasyPost ${operation} was rejected with ${detail}`, {
    retryable: false,
    cause: error,
  });
}

/** Converts errors of the resilience policy itself: timeout, open circuit, full bulkhead. */
export function toPolicyError(error: unknown, operation: string): unknown {
  if (error instanceof TaskCancelledError)
    return retryable('EASYPOST_TIMEOUT', `EasyPost ${operation} timed out`, error);
  if (error instanceof BrokenCircuitError) {
    return retryable(
      'EASYPOST_CIRCUIT_OPEN',
      `EasyPost ${operation} was skipped because the circuit is open`,
      error,
    );
  }
  if (error instanceof BulkheadRejectedError) {
    return retryable(
      'EASYPOST_BUSY',
      `EasyPost ${operation} was rejected because too many calls are in flight`,
      error,
    );
  }
  return error;
}

function retryable(code: string, message: string, cause: unknown): ProviderError {
  return new ProviderError(PROVIDER, code, message, { retryable: true, statusCode: 503, cause });
}
