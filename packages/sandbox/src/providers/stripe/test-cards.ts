/**
 * Stripe's documented test card numbers and the outcome each one produces, as listed on
 * Stripe's testing page (docs.stripe.com/testing). The sandbox accepts only these numbers.
 */

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover';

/** Outcome of confirming a payment with the card. */
export type CardBehavior =
  | { kind: 'succeeds'; disputedAsFraud?: boolean }
  | { kind: 'declines'; code: DeclineCode; declineCode?: string }
  | { kind: 'requires_3ds'; unlessOffSession: boolean };

export type DeclineCode = 'card_declined' | 'expired_card' | 'incorrect_cvc' | 'processing_error';

export interface TestCard {
  number: string;
  brand: CardBrand;
  behavior: CardBehavior;
}

const visaDecline = (code: DeclineCode, declineCode?: string): TestCard['behavior'] => ({
  kind: 'declines',
  code,
  ...(declineCode ? { declineCode } : {}),
});

/** Catalog keyed by card number. */
export const TEST_CARDS: ReadonlyMap<string, TestCard> = new Map(
  (
    [
      ['4242424242424242', 'visa', { kind: 'succeeds' }],
      ['5555555555554444', 'mastercard', { kind: 'succeeds' }],
      ['378282246310005', 'amex', { kind: 'succeeds' }],
      ['6011111111111117', 'discover', { kind: 'succeeds' }],
      ['4000000000000002', 'visa', visaDecline('card_declined', 'generic_decline')],
      ['4000000000009995', 'visa', visaDecline('card_declined', 'insufficient_funds')],
      ['4000000000009987', 'visa', visaDecline('card_declined', 'lost_card')],
      ['4000000000009979', 'visa', visaDecline('card_declined', 'stolen_card')],
      ['4000000000000069', 'visa', visaDecline('expired_card')],
      ['4000000000000127', 'visa', visaDecline('incorrect_cvc')],
      ['4000000000000119', 'visa', visaDecline('processing_error')],
      ['4000000000000259', 'visa', { kind: 'succeeds', disputedAsFraud: true }],
      ['4000002500003155', 'visa', { kind: 'requires_3ds', unlessOffSession: true }],
      ['4000002760003184', 'visa', { kind: 'requires_3ds', unlessOffSession: false }],
      // Attaching to a customer works, but every charge is declined.
      ['4000000000000341', 'visa', visaDecline('card_declined', 'generic_decline')],
    ] as const
  ).map(([number, brand, behavior]) => [number, { number, brand, behavior }]),
);

/** Stripe's message for each decline, keyed by decline code or, failing that, by error code. */
export const DECLINE_MESSAGES: Readonly<Record<string, string>> = {
  generic_decline: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  lost_card: 'Your card was declined.',
  stolen_card: 'Your card was declined.',
  authentication_required: 'Your card was declined. This transaction requires authentication.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: "Your card's security code is incorrect.",
  processing_error: 'An error occurred while processing your card. Try again in a little bit.',
  incorrect_number: 'Your card number is incorrect.',
};

/** Tells whether a digit string passes the Luhn (mod 10) check that every card number must pass. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
