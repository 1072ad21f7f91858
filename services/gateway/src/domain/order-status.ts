/** Facts the read model has recorded for one order, gathered from the saga's events. */
export interface OrderFacts {
  rejected: boolean;
  addressRejected: boolean;
  freightRequired: boolean;
  fraudDecision: 'approve' | 'review' | 'block' | null;
  paymentState: 'authorized' | 'captured' | 'failed' | 'authentication_required' | null;
  labelCreated: boolean;
  notifiedTemplates: readonly string[];
}

export const ORDER_STATUSES = [
  'processing',
  'rejected',
  'held_for_address',
  'held_for_freight',
  'blocked',
  'in_review',
  'declined',
  'authentication_required',
  'authorized',
  'captured',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Template whose delivery notifies the customer of each outcome. */
const CUSTOMER_NOTICE: Partial<Record<OrderStatus, string>> = {
  held_for_address: 'address_correction',
  held_for_freight: 'freight_required',
  blocked: 'order_cancelled',
  in_review: 'order_in_review',
  declined: 'payment_failed',
  authentication_required: 'authentication_required',
  captured: 'order_confirmation',
};

/**
 * Derives the order's status from its facts rather than from the last event, because events of
 * one order travel on different topics and may be projected in any order. Checks that stop an
 * order before payment win over later stages.
 */
export function deriveStatus(facts: OrderFacts): OrderStatus {
  if (facts.rejected) return 'rejected';
  if (facts.freightRequired) return 'held_for_freight';
  if (facts.addressRejected) return 'held_for_address';
  if (facts.fraudDecision === 'block') return 'blocked';
  if (facts.fraudDecision === 'review') return 'in_review';
  if (facts.paymentState === 'failed') return 'declined';
  if (facts.paymentState === 'authentication_required') return 'authentication_required';
  if (facts.paymentState === 'captured') return 'captured';
  if (facts.paymentState === 'authorized') return 'authorized';
  return 'processing';
}

/**
 * Returns whether the order reached its final state: the outcome is known and the customer was
 * notified of it. A captured order also needs its shipping label.
 */
export function isSettled(status: OrderStatus, facts: OrderFacts): boolean {
  if (status === 'rejected') return true;
  const notice = CUSTOMER_NOTICE[status];
  if (!notice || !facts.notifiedTemplates.includes(notice)) return false;
  return status !== 'captured' || facts.labelCreated;
}
