import Stripe from 'stripe';

/** Settings of the storefront's Stripe client. */
export interface StorefrontStripeConfig {
  /** A test-mode secret key (`sk_test_...`). Never logged. */
  apiKey: string;
  /** API origin without a path, such as `http://127.0.0.1:4010`. */
  baseUrl: string;
}

/** Result of tokenizing one card: a payment method id, or Stripe's rejection of the card. */
export type TokenizeResult =
  | { kind: 'tokenized'; paymentMethodId: string }
  | { kind: 'rejected'; code: string; customerMessage: string };

/** Turns a card number into a payment method id for one order. */
export type CardTokenizer = (orderId: string, cardNumber: string) => Promise<TokenizeResult>;

/** Retries of the SDK for connection failures and for 409, 429 and 5xx responses. */
const SDK_NETWORK_RETRIES = 2;
const REQUEST_TIMEOUT_MS = 10_000;
/** Stripe's test cards accept any future expiry date. */
const EXPIRY_YEARS_AHEAD = 3;

/**
 * Returns a CVC of the length the card brand uses: 4 digits for American Express (numbers
 * starting with 34 or 37), 3 for the others.
 */
export function testCvcFor(cardNumber: string): string {
  return /^3[47]/.test(cardNumber) ? '1234' : '123';
}

/** Returns the message of Stripe's error object; the SDK's `message` starts with the request id. */
function providerMessage(error: InstanceType<typeof Stripe.errors.StripeError>): string {
  const raw = error.raw as { message?: unknown } | undefined;
  return typeof raw?.message === 'string' ? raw.message : error.message;
}

function createClient(config: StorefrontStripeConfig): Stripe {
  if (/^(sk|rk)_live_/.test(config.apiKey)) {
    throw new Error(
      'STRIPE_API_KEY is a live key, but the replay sends Stripe test card numbers, which only ' +
        'test mode accepts. Use a test key (sk_test_...) or leave it unset for the sandbox.',
    );
  }
  const url = new URL(config.baseUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(config.apiKey, {
    // URL keeps the brackets of an IPv6 literal, which the SDK's HTTP client does not accept.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port || (protocol === 'http' ? 80 : 443),
    protocol,
    maxNetworkRetries: SDK_NETWORK_RETRIES,
    timeout: REQUEST_TIMEOUT_MS,
    telemetry: false,
  });
}

/**
 * Creates the storefront's card tokenizer. It creates a card PaymentMethod with the real
 * `stripe` SDK, as Stripe.js does in the customer's browser, so no service receives the number.
 * A card that Stripe rejects (a wrong number, for example) is returned as `rejected`, and any
 * other failure is thrown. The idempotency key is derived from the order id, so an SDK retry
 * does not create a second payment method.
 */
export function createCardTokenizer(config: StorefrontStripeConfig): CardTokenizer {
  const stripe = createClient(config);
  const expYear = new Date().getUTCFullYear() + EXPIRY_YEARS_AHEAD;

  return async (orderId, cardNumber) => {
    try {
      const paymentMethod = await stripe.paymentMethods.create(
        {
          type: 'card',
          card: {
            number: cardNumber,
            exp_month: 12,
            exp_year: expYear,
            cvc: testCvcFor(cardNumber),
          },
        },
        { idempotencyKey: `replay-tokenize-${orderId}` },
      );
      return { kind: 'tokenized', paymentMethodId: paymentMethod.id };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) {
        return {
          kind: 'rejected',
          code: error.code ?? 'card_declined',
          customerMessage: providerMessage(error),
        };
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `creating a payment method for order ${orderId} at ${config.baseUrl} failed: ${message}`,
        { cause: error },
      );
    }
  };
}
