import type { ExpectedOutcome } from './replay-order.js';

/**
 * Final outcomes that the summary counts. `failed` covers orders the gateway rejected, orders
 * not settled before the timeout, and orders that were never submitted.
 */
export const OUTCOMES = [
  'captured',
  'declined',
  'authentication_required',
  'in_review',
  'blocked',
  'held_for_address',
  'held_for_freight',
  'failed',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

/** Outcomes that satisfy each `expected` value of the input. */
export const EXPECTED_TO_OUTCOMES = {
  captured: ['captured'],
  declined: ['declined'],
  authentication_required: ['authentication_required'],
  fraud_review_or_block: ['in_review', 'blocked'],
  held_for_address: ['held_for_address'],
  held_for_freight: ['held_for_freight'],
} as const satisfies Record<ExpectedOutcome, readonly Outcome[]>;

/** Gateway statuses that are final outcomes once the order is settled. */
const SETTLED_STATUS_OUTCOMES: Readonly<Record<string, Outcome>> = {
  captured: 'captured',
  declined: 'declined',
  authentication_required: 'authentication_required',
  in_review: 'in_review',
  blocked: 'blocked',
  held_for_address: 'held_for_address',
  held_for_freight: 'held_for_freight',
};

/**
 * Maps a gateway status to an outcome. Only a settled order has one of the seven final outcomes;
 * a rejected order, an unsettled one and any other status count as `failed`.
 */
export function outcomeOf(status: string, settled: boolean): Outcome {
  if (!settled) return 'failed';
  return SETTLED_STATUS_OUTCOMES[status] ?? 'failed';
}

/** Tells whether `outcome` is what `expected` names. */
export function matchesExpected(expected: ExpectedOutcome, outcome: Outcome): boolean {
  return (EXPECTED_TO_OUTCOMES[expected] as readonly Outcome[]).includes(outcome);
}
