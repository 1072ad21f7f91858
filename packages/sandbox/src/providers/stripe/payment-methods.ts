import { createHash } from 'node:crypto';
import { StripeApiError, missingParameter, parameterError } from './errors.js';
import { readObject, readString, type StripeParams } from './form-params.js';
import { newId, unixSeconds, type PaymentMethodObject, type StripeState } from './state.js';
import { DECLINE_MESSAGES, TEST_CARDS, passesLuhn, type TestCard } from './test-cards.js';

function cardError(code: string, param: string, declineCode?: string): StripeApiError {
  const message =
    code === 'card_declined' && declineCode === 'test_mode_live_card'
      ? 'Your card was declined. Your request was in test mode, but used a card that is not a ' +
        'Stripe test card. Use one of the documented test card numbers.'
      : (DECLINE_MESSAGES[code] ?? 'Your card was declined.');
  return new StripeApiError(402, {
    type: 'card_error',
    code,
    param,
    message,
    ...(declineCode ? { decline_code: declineCode } : {}),
  });
}

function parseExpiry(card: StripeParams): { month: number; year: number } {
  const monthText = readString(card, 'exp_month');
  const yearText = readString(card, 'exp_year');
  if (monthText === undefined) throw missingParameter('card[exp_month]');
  if (yearText === undefined) throw missingParameter('card[exp_year]');

  const month = Number(monthText);
  const year = Number(yearText.length === 2 ? `20${yearText}` : yearText);
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new StripeApiError(402, {
      type: 'card_error',
      code: 'invalid_expiry_month',
      param: 'exp_month',
      message: "Your card's expiration month is invalid.",
    });
  }
  const now = new Date();
  const expired =
    year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1);
  if (!Number.isInteger(year) || expired || year > now.getUTCFullYear() + 50) {
    throw new StripeApiError(402, {
      type: 'card_error',
      code: 'invalid_expiry_year',
      param: 'exp_year',
      message: "Your card's expiration year is invalid.",
    });
  }
  return { month, year };
}

function findTestCard(number: string): TestCard {
  if (!passesLuhn(number)) throw cardError('incorrect_number', 'number');
  const card = TEST_CARDS.get(number);
  // Stripe's test mode declines real card numbers; the sandbox keeps none in memory.
  if (!card) throw cardError('card_declined', 'number', 'test_mode_live_card');
  return card;
}

function checkCvc(cvc: string | undefined, card: TestCard): void {
  const expectedLength = card.brand === 'amex' ? 4 : 3;
  if (cvc !== undefined && (!/^\d+$/.test(cvc) || cvc.length !== expectedLength)) {
    throw new StripeApiError(402, {
      type: 'card_error',
      code: 'invalid_cvc',
      param: 'cvc',
      message: "Your card's security code is invalid.",
    });
  }
}

/**
 * Creates a card PaymentMethod from `type=card` and `card[...]` parameters. The number must be
 * one of Stripe's test cards. The sandbox keeps it only inside the stored payment method.
 */
export function createPaymentMethod(state: StripeState, params: StripeParams): PaymentMethodObject {
  const type = readString(params, 'type');
  if (type === undefined) throw missingParameter('type');
  if (type !== 'card')
    throw parameterError('type', `The sandbox supports only type=card, not ${type}.`);

  const cardParams = readObject(params, 'card');
  const number = readString(cardParams, 'number')?.replace(/[\s-]/g, '');
  if (!number) throw missingParameter('card[number]');

  const testCard = findTestCard(number);
  const expiry = parseExpiry(cardParams);
  const cvc = readString(cardParams, 'cvc');
  checkCvc(cvc, testCard);

  const billing = readObject(params, 'billing_details');
  const paymentMethod: PaymentMethodObject = {
    id: newId('pm'),
    object: 'payment_method',
    type: 'card',
    card: {
      brand: testCard.brand,
      display_brand: testCard.brand,
      last4: number.slice(-4),
      exp_month: expiry.month,
      exp_year: expiry.year,
      funding: 'credit',
      country: 'US',
      fingerprint: createHash('sha256')
        .update(state.fingerprintSalt + number)
        .digest('base64url')
        .slice(0, 16),
      checks: { cvc_check: cvc === undefined ? 'unchecked' : 'pass' },
    },
    billing_details: {
      name: readString(billing, 'name') ?? null,
      email: readString(billing, 'email') ?? null,
    },
    created: unixSeconds(),
    customer: null,
    livemode: false,
    metadata: stringMap(readObject(params, 'metadata')),
  };
  state.paymentMethods.set(paymentMethod.id, { object: paymentMethod, card: testCard });
  return paymentMethod;
}

/** Keeps the string values of a nested parameter such as `metadata`. */
export function stringMap(params: StripeParams): Record<string, string> {
  const entries = Object.entries(params).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return Object.fromEntries(entries);
}
