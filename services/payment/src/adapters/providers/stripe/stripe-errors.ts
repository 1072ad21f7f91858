import { ProviderError } from '@orderflow/service-kit';
import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';
import Stripe from 'stripe';

const PROVIDER = 'stripe';

/** Fields of a Stripe API error that the adapter reads. The SDK fills them from the response. */
export interface StripeErrorFields {
  type: string;
  statusCode?: number;
  code?: string;
  decline_code?: string;
  message: string;
  requestId?: string;
  payment_intent?: { id: string; status: string; amount_received?: number };
}

/** Tells whether `error` came from the Stripe SDK: an API error response or a connection failure. */
export function isStripeError(
  error: unknown,
): error is Stripe.errors.StripeError & StripeErrorFields {
  return error instanceof Stripe.errors.StripeError;
}

/** Tells whether Stripe responded with a card error (402), which is a decline, not a fault. */
export function isCardError(
  error: unknown,
): error is Stripe.errors.StripeCardError & StripeErrorFields {
  return error instanceof Stripe.errors.StripeCardError;
}

/**
 * Converts an SDK error into a `ProviderError`. Connection failures, 409 lock conflicts, 429 and
 * 5xx are retryable. Other 4xx responses are final, because the same request fails again.
 */
export function toProviderError(error: unknown, operation: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (!isStripeError(error)) {
    return new ProviderError(
      PROVIDER,
      'STRIPE_CALL_FAILED',
      `Stripe ${operation} failed: ${describe(error)}`,
      {
        retryable: true,
        cause: error,
      },
    );
  }

  const status = error.statusCode;
  if (error instanceof Stripe.errors.StripeConnectionError || status === undefined) {
    return retryable('STRIPE_UNREACHABLE', `Stripe ${operation} could not reach the API`, error);
  }
  if (status === 429)
    return retryable('STRIPE_RATE_LIMITED', `Stripe ${operation} was rate limited`, error);
  if (status === 409)
    return retryable('STRIPE_CONFLICT', `Stripe ${operation} hit a lock conflict`, error);
  if (status >= 500)
    return retryable('STRIPE_UNAVAILABLE', `Stripe ${operation} failed with ${status}`, error);

  const code =
    status === 401
      ? 'STRIPE_AUTHENTICATION_FAILED'
      : error instanceof Stripe.errors.StripeIdempotencyError
        ? 'STRIPE_IDEMPOTENCY_KEY_REUSED'
        : 'STRIPE_REQUEST_REJECTED';
  return new ProviderError(
    PROVIDER,
    code,
    `Stripe ${operation} was rejected with ${status} ${error.code ?? error.type}: ${error.message}`,
    { retryable: false, statusCode: 502, cause: error },
  );
}

/** Converts errors of the resilience policy itself: timeout, open circuit, full bulkhead. */
export function toPolicyError(error: unknown, operation: string): unknown {
  if (error instanceof TaskCancelledError) {
    return retryable('STRIPE_TIMEOUT', `Stripe ${operation} timed out`, error);
  }
  if (error instanceof BrokenCircuitError) {
    return retryable(
      'STRIPE_CIRCUIT_OPEN',
      `Stripe ${operation} was skipped because the circuit is open`,
      error,
    );
  }
  if (error instanceof BulkheadRejectedError) {
    return retryable(
      'STRIPE_BUSY',
      `Stripe ${operation} was rejected because too many calls are in flight`,
      error,
    );
  }
  return error;
}

function retryable(code: string, message: string, cause: unknown): ProviderError {
  return new ProviderError(PROVIDER, code, message, { retryable: true, statusCode: 503, cause });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
