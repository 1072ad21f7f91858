import type { FraudDecision } from './payment-ports.js';

/**
 * Lifecycle of one order's payment. `awaiting_checks` collects the tax, fraud and address
 * results; the other states are reached only from it or from `authorized`.
 */
export const PAYMENT_STATES = [
  'awaiting_checks',
  'authorized',
  'captured',
  'failed',
  'authentication_required',
  'in_review',
  'blocked',
  'held_for_address',
  'held_for_freight',
] as const;

export type PaymentState = (typeof PAYMENT_STATES)[number];

const TRANSITIONS: Record<PaymentState, readonly PaymentState[]> = {
  awaiting_checks: [
    'authorized',
    'failed',
    'authentication_required',
    'in_review',
    'blocked',
    'held_for_address',
    'held_for_freight',
  ],
  authorized: ['captured', 'failed'],
  captured: [],
  failed: [],
  authentication_required: [],
  // A hold gives way only to a hold that decideNextStep ranks higher, so the final hold does
  // not depend on the order in which the checks arrived.
  in_review: ['held_for_address', 'held_for_freight'],
  blocked: ['held_for_address', 'held_for_freight'],
  held_for_address: ['held_for_freight'],
  held_for_freight: [],
};

/** States in which an order waits uncharged. A later check may replace one with a higher hold. */
export const HOLD_STATES: ReadonlySet<PaymentState> = new Set([
  'in_review',
  'blocked',
  'held_for_address',
  'held_for_freight',
]);

/** A transition that the lifecycle does not allow; a bug, never retried. */
export class IllegalTransitionError extends Error {
  readonly retryable = false;

  constructor(
    readonly from: PaymentState,
    readonly to: PaymentState,
  ) {
    super(`payment cannot move from ${from} to ${to}`);
  }
}

/** Checks a transition and returns it, with `from` and `to`, for the caller to persist. */
export function transition(
  from: PaymentState,
  to: PaymentState,
): { from: PaymentState; to: PaymentState } {
  if (!TRANSITIONS[from].includes(to)) throw new IllegalTransitionError(from, to);
  return { from, to };
}

/** Results that must all be in before money moves. */
export interface PaymentChecks {
  orderReceived: boolean;
  taxMinor: number | null;
  fraudDecision: FraudDecision | null;
  addressVerified: boolean | null;
  /** The order is too large or heavy for parcels and waits for freight. */
  freightRequired: boolean;
}

export type NextStep =
  | { kind: 'wait' }
  | { kind: 'hold'; state: 'held_for_address' | 'held_for_freight' | 'in_review' | 'blocked' }
  | { kind: 'authorize' };

/**
 * Decides what to do with the checks received so far. A freight need or an unshippable address
 * holds the order before anything is charged, whatever the other checks report. A blocked or
 * reviewed order is never charged. Only an order that passed every check is authorized. Holds
 * rank freight, address, block, review.
 */
export function decideNextStep(checks: PaymentChecks): NextStep {
  if (checks.freightRequired) return { kind: 'hold', state: 'held_for_freight' };
  if (checks.addressVerified === false) return { kind: 'hold', state: 'held_for_address' };
  if (checks.fraudDecision === 'block') return { kind: 'hold', state: 'blocked' };
  if (checks.fraudDecision === 'review') return { kind: 'hold', state: 'in_review' };
  const complete =
    checks.orderReceived &&
    checks.taxMinor !== null &&
    checks.fraudDecision !== null &&
    checks.addressVerified !== null;
  return complete ? { kind: 'authorize' } : { kind: 'wait' };
}

/**
 * Idempotency key for one payment operation, built from the business identity so a retry of
 * the same operation for the same amount reuses it.
 */
export function idempotencyKey(
  orderId: string,
  operation: 'authorize' | 'capture' | 'cancel' | 'refund',
  amountMinor: number,
): string {
  return `order:${orderId}:${operation}:${amountMinor}`;
}
