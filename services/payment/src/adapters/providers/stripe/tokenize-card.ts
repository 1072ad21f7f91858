import { ProviderError } from '@orderflow/service-kit';
import { customerMessageFor } from './customer-messages.js';
import { createStripeClient, type StripeConfig } from './stripe-client.js';
import { isCardError, toProviderError } from './stripe-errors.js';

/** Card details as a storefront collects them. */
export interface TestCardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/**
 * Creates a card PaymentMethod and returns its id (`pm_...`), as Stripe.js does in a browser.
 * The replay tool uses it to play the storefront. The payment service only ever receives the id.
 * A card that Stripe rejects (wrong number, expiry or CVC) throws a final `ProviderError`
 * whose `customerMessage` says what to fix.
 *
 * NOTE: Stripe accounts reject raw card numbers from servers unless raw card data APIs are
 * enabled, so outside the sandbox this works only with such an account.
 */
export async function tokenizeTestCard(
  config: StripeConfig,
  card: TestCardDetails,
): Promise<string> {
  const stripe = createStripeClient(config);
  try {
    const paymentMethod = await stripe.paymentMethods.create({
      type: 'card',
      card: {
        number: card.number,
        exp_month: card.expMonth,
        exp_year: card.expYear,
        cvc: card.cvc,
      },
    });
    return paymentMethod.id;
  } catch (error) {
    if (isCardError(error)) {
      const code = error.code ?? 'card_declined';
      throw new ProviderError(
        'stripe',
        'STRIPE_CARD_REJECTED',
        `Stripe rejected the card: ${code}`,
        {
          retryable: false,
          statusCode: 402,
          customerMessage: customerMessageFor(code, error.decline_code),
        },
      );
    }
    throw toProviderError(error, 'tokenize card');
  }
}
