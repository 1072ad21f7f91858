import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { isRetryable } from './errors.js';

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
