import {
  BrokenCircuitError,
  BulkheadRejectedError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { AppError, ProviderError, isRetryable } from './errors.js';

/** Named limits for provider calls. Every timeout stays at or below 30 seconds. */
export const PROVIDER_POLICY_PRESETS = {
  /** Payment calls carry idempotency keys, so retrying them cannot charge twice. */
  payment: {
    timeoutMs: 15_000,
    maxAttempts: 3,
    breakerAfterFailures: 10,
    halfOpenAfterMs: 10_000,
    maxConcurrent: 32,
  },
  standard: {
    timeoutMs: 10_000,
    maxAttempts: 3,
    breakerAfterFailures: 10,
    halfOpenAfterMs: 10_000,
    maxConcurrent: 32,
  },
} as const;

/** Limits of the call policy of one provider. `PROVIDER_POLICY_PRESETS` contains the usual ones. */
export interface ProviderPolicyOptions {
  /** Maximum time of one attempt, in milliseconds. */
  timeoutMs: number;
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  /** Consecutive failed attempts that open the circuit breaker. */
  breakerAfterFailures: number;
  /** Time an open breaker waits before it lets a trial call through, in milliseconds. */
  halfOpenAfterMs: number;
  /** Calls in flight at once. Up to four times as many more wait in the bulkhead queue. */
  maxConcurrent: number;
}

/**
 * Builds the policy that wraps every call to one provider: a bulkhead bounds concurrent calls,
 * retries with exponential backoff and jitter repeat only errors that `isRetryable` accepts, a
 * circuit breaker opens after consecutive failures, and each attempt has its own timeout.
 *
 * @example
 * const policy = createProviderPolicy(PROVIDER_POLICY_PRESETS.payment);
 * const intent = await policy.execute(({ signal }) => stripe.paymentIntents.create(params, { signal }));
 */
export function createProviderPolicy(options: ProviderPolicyOptions): IPolicy {
  const transient = handleWhen((error) => isRetryable(error));
  const retryPolicy = retry(transient, {
    maxAttempts: options.maxAttempts - 1,
    backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }),
  });
  const breaker = circuitBreaker(transient, {
    halfOpenAfter: options.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.breakerAfterFailures),
  });
  const perAttemptTimeout = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
  const limit = bulkhead(options.maxConcurrent, options.maxConcurrent * 4);
  return wrap(limit, retryPolicy, breaker, perAttemptTimeout);
}

/**
 * Runs one provider call under `policy` and turns what the policy itself throws into a
 * retryable ProviderError: an attempt timed out, the circuit is open or the bulkhead is full.
 * A ProviderError thrown by `call` passes through unchanged.
 */
export async function callWithPolicy<T>(
  policy: IPolicy,
  provider: string,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  try {
    return await policy.execute(({ signal }) => call(signal));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw policyFailure(provider, error);
  }
}

function policyFailure(provider: string, error: unknown): ProviderError {
  if (error instanceof TaskCancelledError) {
    return new ProviderError(provider, 'PROVIDER_TIMEOUT', `${provider} request timed out`, {
      retryable: true,
      statusCode: 504,
      cause: error,
    });
  }
  if (error instanceof BrokenCircuitError) {
    return new ProviderError(
      provider,
      'PROVIDER_CIRCUIT_OPEN',
      `${provider} calls are paused after repeated failures`,
      {
        retryable: true,
        statusCode: 503,
        cause: error,
      },
    );
  }
  if (error instanceof BulkheadRejectedError) {
    return new ProviderError(
      provider,
      'PROVIDER_OVERLOADED',
      `too many ${provider} calls are in flight`,
      {
        retryable: true,
        statusCode: 503,
        cause: error,
      },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ProviderError(
    provider,
    'PROVIDER_UNAVAILABLE',
    `${provider} request failed: ${reason}`,
    {
      retryable: true,
      cause: error,
    },
  );
}
