/**
 * Sentences shown to the customer when a card payment fails. Lost, stolen and fraud declines
 * read as a generic decline, as Stripe advises, so that the message gives nothing to a fraudster.
 */
const MESSAGES_BY_CODE = {
  insufficient_funds: 'Your card has insufficient funds. Please use another card.',
  expired_card: 'Your card has expired. Please use another card.',
  incorrect_cvc:
    'The security code (CVC) of your card is incorrect. Please check it and try again.',
  invalid_cvc: 'The security code (CVC) of your card is invalid. Please check it and try again.',
  incorrect_number: 'Your card number is incorrect. Please check it and try again.',
  invalid_number: 'Your card number is invalid. Please check it and try again.',
  invalid_expiry_month: 'The expiry month of your card is invalid. Please check it and try again.',
  invalid_expiry_year: 'The expiry year of your card is invalid. Please check it and try again.',
  processing_error:
    'Your bank could not process the card because of an error on its side. Please try again in a few minutes.',
  authentication_required:
    'Your bank asks you to confirm this payment. Please pay again and complete the verification step.',
  payment_intent_authentication_failure:
    'Your bank could not verify this payment. Please try again or use another card.',
} as const satisfies Record<string, string>;

const GENERIC_DECLINE = 'Your card was declined. Please use another card or contact your bank.';

/** Returns the customer message for a Stripe error code and, for `card_declined`, its decline code. */
export function customerMessageFor(code: string, declineCode?: string): string {
  const messages: Record<string, string> = MESSAGES_BY_CODE;
  return messages[declineCode ?? ''] ?? messages[code] ?? GENERIC_DECLINE;
}
