/**
 * PaymentIntent lifecycle as Stripe runs it for cards:
 * requires_payment_method -> requires_confirmation -> (requires_action) -> requires_capture
 * -> succeeded, with canceled reachable from every state before succeeded. The outcome of a
 * confirmation comes from the test card behind the payment method.
 */
import { StripeApiError, missingParameter, parameterError, resourceMissing } from './errors.js';
import { readBoolean, readObject, readString, type StripeParams } from './form-params.js';
import { stringMap } from './payment-methods.js';
import {
  newId,
  unixSeconds,
  type ChargeObject,
  type PaymentIntentObject,
  type PaymentIntentStatus,
  type StripeState,
} from './state.js';
import { DECLINE_MESSAGES, type TestCard } from './test-cards.js';

/** Currency rules that Stripe enforces on `amount`, in minor units. */
const CURRENCY_RULES = {
  zeroDecimal: new Set([
    'bif',
    'clp',
    'djf',
    'gnf',
    'jpy',
    'kmf',
    'krw',
    'mga',
    'pyg',
    'rwf',
    'ugx',
    'vnd',
    'vuv',
    'xaf',
    'xof',
    'xpf',
  ]),
  // Three-decimal currencies take amounts whose last digit is 0.
  threeDecimal: new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']),
  minimumAmount: { usd: 50, cad: 50, eur: 50, aud: 50, gbp: 30, jpy: 50 } as Record<string, number>,
  maximumAmount: 99_999_999,
} as const;

const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'] as const;

const ALLOWED_FROM: Record<'confirm' | 'capture' | 'cancel', PaymentIntentStatus[]> = {
  confirm: ['requires_payment_method', 'requires_confirmation', 'requires_action'],
  capture: ['requires_capture'],
  cancel: [
    'requires_payment_method',
    'requires_capture',
    'requires_confirmation',
    'requires_action',
    'processing',
  ],
};

const AUTHENTICATION_FAILURE_MESSAGE =
  'The provided PaymentMethod has failed authentication. You can provide payment_method_data ' +
  'or a new PaymentMethod to attempt to fulfill this PaymentIntent again.';

/** Options of a confirmation that are not stored on the PaymentIntent. */
export interface ConfirmOptions {
  offSession: boolean;
  returnUrl: string | undefined;
  /** Base URL of the sandbox, for the 3-D Secure page in `next_action`. */
  origin: string;
}

export function getPaymentIntent(state: StripeState, id: string): PaymentIntentObject {
  const intent = state.paymentIntents.get(id);
  if (!intent) throw resourceMissing('intent', 'payment_intent', id);
  return intent;
}

function assertStatus(intent: PaymentIntentObject, action: keyof typeof ALLOWED_FROM): void {
  const allowed = ALLOWED_FROM[action];
  if (allowed.includes(intent.status)) return;
  const participle = { confirm: 'confirmed', capture: 'captured', cancel: 'canceled' }[action];
  throw new StripeApiError(400, {
    type: 'invalid_request_error',
    code: 'payment_intent_unexpected_state',
    message:
      `This PaymentIntent has status ${intent.status}, so you cannot ${action} it. Only a ` +
      `PaymentIntent with one of these statuses can be ${participle}: ${allowed.join(', ')}.`,
    payment_intent: intent,
  });
}

function parseAmount(raw: string | undefined, currency: string, param: string): number {
  if (raw === undefined) throw missingParameter(param);
  if (!/^\d+$/.test(raw)) {
    throw parameterError(param, `Invalid integer: ${raw}`, 'parameter_invalid_integer');
  }
  const amount = Number(raw);
  if (amount > CURRENCY_RULES.maximumAmount) {
    throw parameterError(
      param,
      `Amount must be no more than ${CURRENCY_RULES.maximumAmount}.`,
      'amount_too_large',
    );
  }
  const minimum = CURRENCY_RULES.minimumAmount[currency] ?? 1;
  if (amount < minimum) {
    throw parameterError(
      param,
      `Amount must be at least ${minimum} in the minor unit of ${currency}.`,
      'amount_too_small',
    );
  }
  if (CURRENCY_RULES.threeDecimal.has(currency) && amount % 10 !== 0) {
    throw parameterError(param, `Amounts in ${currency} must be divisible by 10.`);
  }
  return amount;
}

/** Returns the currency's number of decimals, which decides how `amount` reads. */
export function currencyDecimals(currency: string): number {
  if (CURRENCY_RULES.zeroDecimal.has(currency)) return 0;
  return CURRENCY_RULES.threeDecimal.has(currency) ? 3 : 2;
}

function parseCaptureMethod(raw: string | undefined): PaymentIntentObject['capture_method'] {
  if (raw === undefined) return 'automatic';
  const method = CAPTURE_METHODS.find((candidate) => candidate === raw);
  if (!method) throw parameterError('capture_method', `Invalid capture_method: ${raw}`);
  return method;
}

function requirePaymentMethod(state: StripeState, id: string): TestCard {
  const stored = state.paymentMethods.get(id);
  if (!stored) throw resourceMissing('payment_method', 'PaymentMethod', id);
  return stored.card;
}

/** Creates a PaymentIntent and, with `confirm=true`, confirms it in the same request. */
export function createPaymentIntent(
  state: StripeState,
  params: StripeParams,
  origin: string,
): PaymentIntentObject {
  const currency = readString(params, 'currency')?.toLowerCase();
  if (!currency) throw missingParameter('currency');
  if (!/^[a-z]{3}$/.test(currency))
    throw parameterError('currency', `Invalid currency: ${currency}`);
  const amount = parseAmount(readString(params, 'amount'), currency, 'amount');
  const captureMethod = parseCaptureMethod(readString(params, 'capture_method'));
  const confirm = readBoolean(params, 'confirm') ?? false;
  const offSession = readBoolean(params, 'off_session') ?? false;
  if (offSession && !confirm) {
    throw parameterError('off_session', 'off_session can be set only when confirm=true.');
  }
  const paymentMethod = readString(params, 'payment_method');
  if (paymentMethod) requirePaymentMethod(state, paymentMethod);

  const id = newId('pi');
  const intent: PaymentIntentObject = {
    id,
    object: 'payment_intent',
    amount,
    amount_capturable: 0,
    amount_received: 0,
    currency,
    capture_method: captureMethod,
    confirmation_method: 'automatic',
    client_secret: `${id}_secret_${newId('cs').slice(3)}`,
    created: unixSeconds(),
    canceled_at: null,
    cancellation_reason: null,
    description: readString(params, 'description') ?? null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: stringMap(readObject(params, 'metadata')),
    next_action: null,
    payment_method: paymentMethod ?? null,
    payment_method_types: ['card'],
    status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
  };
  state.paymentIntents.set(id, intent);

  if (confirm) {
    confirmPaymentIntent(state, intent, params, {
      offSession,
      returnUrl: readString(params, 'return_url'),
      origin,
    });
  }
  return intent;
}

/**
 * Confirms a PaymentIntent with its payment method. A decline sets the intent back to
 * requires_payment_method and throws the 402 card error that carries the intent.
 */
export function confirmPaymentIntent(
  state: StripeState,
  intent: PaymentIntentObject,
  params: StripeParams,
  options: ConfirmOptions,
): PaymentIntentObject {
  assertStatus(intent, 'confirm');
  const newMethod = readString(params, 'payment_method');
  if (newMethod) {
    requirePaymentMethod(state, newMethod);
    intent.payment_method = newMethod;
  }
  if (!intent.payment_method) {
    throw parameterError(
      'payment_method',
      'You cannot confirm this PaymentIntent because it has no payment method. Pass payment_method.',
      'payment_intent_unexpected_state',
    );
  }

  const card = requirePaymentMethod(state, intent.payment_method);
  const behavior = card.behavior;
  if (behavior.kind === 'declines') {
    return decline(state, intent, behavior.code, behavior.declineCode);
  }
  if (behavior.kind === 'requires_3ds') {
    if (!options.offSession) return requireAction(intent, options);
    // Off-session payments cannot show a challenge: cards set up for it pass, others decline.
    if (!behavior.unlessOffSession) {
      return decline(state, intent, 'authentication_required', 'authentication_required');
    }
  }
  return authorize(state, intent);
}

function newCharge(intent: PaymentIntentObject, status: ChargeObject['status']): ChargeObject {
  return {
    id: newId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: 0,
    amount_refunded: 0,
    captured: false,
    currency: intent.currency,
    created: unixSeconds(),
    disputed: false,
    failure_code: null,
    failure_message: null,
    paid: status === 'succeeded',
    payment_intent: intent.id,
    payment_method: intent.payment_method ?? '',
    refunded: false,
    status,
  };
}

function authorize(state: StripeState, intent: PaymentIntentObject): PaymentIntentObject {
  const charge = newCharge(intent, 'succeeded');
  state.charges.set(charge.id, charge);
  intent.latest_charge = charge.id;
  intent.last_payment_error = null;
  intent.next_action = null;

  if (intent.capture_method === 'manual') {
    intent.status = 'requires_capture';
    intent.amount_capturable = intent.amount;
  } else {
    captureCharge(state, intent, charge, intent.amount);
  }
  return intent;
}

function decline(
  state: StripeState,
  intent: PaymentIntentObject,
  code: string,
  declineCode: string | undefined,
): never {
  const charge = newCharge(intent, 'failed');
  charge.failure_code = code;
  charge.failure_message = DECLINE_MESSAGES[declineCode ?? code] ?? 'Your card was declined.';
  state.charges.set(charge.id, charge);

  const paymentMethod = intent.payment_method
    ? state.paymentMethods.get(intent.payment_method)?.object
    : undefined;
  const error = {
    type: 'card_error' as const,
    code,
    ...(declineCode ? { decline_code: declineCode } : {}),
    message: charge.failure_message,
    charge: charge.id,
    payment_method: paymentMethod,
  };
  intent.status = 'requires_payment_method';
  intent.latest_charge = charge.id;
  intent.last_payment_error = error;
  intent.next_action = null;
  throw new StripeApiError(402, { ...error, payment_intent: intent });
}

function requireAction(intent: PaymentIntentObject, options: ConfirmOptions): PaymentIntentObject {
  const challengeUrl = `${options.origin}/_sandbox/stripe/3ds/${intent.id}`;
  intent.status = 'requires_action';
  intent.next_action = options.returnUrl
    ? {
        type: 'redirect_to_url',
        redirect_to_url: { url: challengeUrl, return_url: options.returnUrl },
      }
    : {
        type: 'use_stripe_sdk',
        use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: challengeUrl },
      };
  return intent;
}

/**
 * Finishes the 3-D Secure challenge of an intent in requires_action, as the customer would
 * on the bank's page: `complete` authorizes it, `fail` returns it to requires_payment_method.
 */
export function finishAuthentication(
  state: StripeState,
  intent: PaymentIntentObject,
  outcome: 'complete' | 'fail',
): PaymentIntentObject {
  if (intent.status !== 'requires_action') {
    throw parameterError(
      'intent',
      `PaymentIntent ${intent.id} has status ${intent.status}, so it has no 3-D Secure challenge.`,
      'payment_intent_unexpected_state',
    );
  }
  if (outcome === 'complete') return authorize(state, intent);

  intent.status = 'requires_payment_method';
  intent.next_action = null;
  intent.last_payment_error = {
    type: 'invalid_request_error',
    code: 'payment_intent_authentication_failure',
    message: AUTHENTICATION_FAILURE_MESSAGE,
  };
  return intent;
}

function captureCharge(
  state: StripeState,
  intent: PaymentIntentObject,
  charge: ChargeObject,
  amount: number,
): void {
  intent.status = 'succeeded';
  intent.amount_received = amount;
  intent.amount_capturable = 0;
  charge.captured = true;
  charge.amount_captured = amount;
  const card = state.paymentMethods.get(charge.payment_method)?.card;
  if (card?.behavior.kind === 'succeeds' && card.behavior.disputedAsFraud) charge.disputed = true;
}

/** Captures up to `amount_capturable`; without `amount_to_capture` the whole amount. */
export function capturePaymentIntent(
  state: StripeState,
  intent: PaymentIntentObject,
  params: StripeParams,
): PaymentIntentObject {
  assertStatus(intent, 'capture');
  const raw = readString(params, 'amount_to_capture');
  const amount = raw === undefined ? intent.amount_capturable : Number(raw);
  if (!Number.isInteger(amount) || amount < 1) {
    throw parameterError(
      'amount_to_capture',
      `Invalid integer: ${raw}`,
      'parameter_invalid_integer',
    );
  }
  if (amount > intent.amount_capturable) {
    throw new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'amount_too_large',
      param: 'amount_to_capture',
      message:
        `The amount to capture (${amount}) is greater than the amount capturable ` +
        `(${intent.amount_capturable}) of this PaymentIntent.`,
    });
  }
  const charge = intent.latest_charge ? state.charges.get(intent.latest_charge) : undefined;
  if (!charge) throw new Error(`PaymentIntent ${intent.id} in requires_capture has no charge`);
  captureCharge(state, intent, charge, amount);
  return intent;
}

const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'];

/** Cancels an intent that has not succeeded and releases any authorized amount. */
export function cancelPaymentIntent(
  intent: PaymentIntentObject,
  params: StripeParams,
): PaymentIntentObject {
  const reason = readString(params, 'cancellation_reason');
  if (reason !== undefined && !CANCELLATION_REASONS.includes(reason)) {
    throw parameterError('cancellation_reason', `Invalid cancellation_reason: ${reason}`);
  }
  assertStatus(intent, 'cancel');
  intent.status = 'canceled';
  intent.canceled_at = unixSeconds();
  intent.cancellation_reason = reason ?? null;
  intent.amount_capturable = 0;
  intent.next_action = null;
  return intent;
}
