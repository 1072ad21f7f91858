import { StripeApiError, missingParameter, parameterError, resourceMissing } from './errors.js';
import { readObject, readString, type StripeParams } from './form-params.js';
import { getPaymentIntent } from './payment-intents.js';
import { stringMap } from './payment-methods.js';
import {
  newId,
  unixSeconds,
  type ChargeObject,
  type RefundObject,
  type StripeState,
} from './state.js';

const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];

function findCapturedCharge(state: StripeState, params: StripeParams): ChargeObject {
  const intentId = readString(params, 'payment_intent');
  const chargeId = readString(params, 'charge');
  if (!intentId && !chargeId) throw missingParameter('payment_intent');

  const resolvedChargeId = intentId ? getPaymentIntent(state, intentId).latest_charge : chargeId;
  const charge = resolvedChargeId ? state.charges.get(resolvedChargeId) : undefined;
  if (!charge && chargeId) throw resourceMissing('charge', 'charge', chargeId);
  if (!charge || !charge.captured) {
    throw new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'charge_not_refundable',
      message:
        'This PaymentIntent has no captured charge to refund. Cancel an uncaptured ' +
        'PaymentIntent instead of refunding it.',
    });
  }
  return charge;
}

/**
 * Refunds a captured charge, found by `payment_intent` or `charge`. Without `amount` the
 * whole unrefunded amount is refunded; partial refunds add up to at most the captured amount.
 */
export function createRefund(state: StripeState, params: StripeParams): RefundObject {
  const charge = findCapturedCharge(state, params);
  const remaining = charge.amount_captured - charge.amount_refunded;
  if (remaining === 0) {
    throw new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'charge_already_refunded',
      message: `Charge ${charge.id} has already been refunded.`,
      charge: charge.id,
    });
  }

  const raw = readString(params, 'amount');
  const amount = raw === undefined ? remaining : Number(raw);
  if (!Number.isInteger(amount) || amount < 1) {
    throw parameterError('amount', `Invalid integer: ${raw}`, 'parameter_invalid_integer');
  }
  if (amount > remaining) {
    throw new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'amount_too_large',
      param: 'amount',
      message: `Refund amount (${amount}) is greater than the unrefunded amount (${remaining}) of charge ${charge.id}.`,
    });
  }
  const reason = readString(params, 'reason');
  if (reason !== undefined && !REFUND_REASONS.includes(reason)) {
    throw parameterError('reason', `Invalid reason: ${reason}`);
  }

  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount_captured;
  const refund: RefundObject = {
    id: newId('re'),
    object: 'refund',
    amount,
    charge: charge.id,
    created: unixSeconds(),
    currency: charge.currency,
    metadata: stringMap(readObject(params, 'metadata')),
    payment_intent: charge.payment_intent,
    reason: reason ?? null,
    status: 'succeeded',
  };
  state.refunds.set(refund.id, refund);
  return refund;
}
