import { CURRENCY_MINOR_DIGITS, type CurrencyCode } from '@orderflow/contracts';

/** Shipping address fields that Sift reads. Only `country` is required. */
export interface SiftAddressInput {
  name?: string;
  street?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country: string;
}

/** The order facts sent to Sift for scoring. */
export interface ScoreOrderInput {
  orderId: string;
  /** The customer's stable ID. Sift keeps its score history per user. */
  userId: string;
  email: string;
  /** The shopper's IP address as seen by the storefront, when known. */
  ip?: string;
  amountMinor: number;
  currency: CurrencyCode;
  /** ISO 3166-1 alpha-2 country of the card's billing address, when known. */
  billingCountry?: string;
  shippingAddress: SiftAddressInput;
  /** Card brand such as `visa`, sent as the custom field `card_brand`. */
  paymentMethodBrand?: string;
}

/** Sift amounts are micros: millionths of the currency's major unit. */
const MICROS_PER_MAJOR_UNIT = 1_000_000;

/** Converts an amount in the currency's minor unit to Sift micros (1234 USD cents -> 12340000). */
export function toMicros(amountMinor: number, currency: CurrencyCode): number {
  const minorPerMajor = 10 ** CURRENCY_MINOR_DIGITS[currency];
  return amountMinor * (MICROS_PER_MAJOR_UNIT / minorPerMajor);
}

/** Builds a Sift `$create_order` event body. The API key is part of the body, as Sift requires. */
export function buildCreateOrderEvent(
  apiKey: string,
  input: ScoreOrderInput,
): Record<string, unknown> {
  const event: Record<string, unknown> = {
    $type: '$create_order',
    $api_key: apiKey,
    $user_id: input.userId,
    $order_id: input.orderId,
    $user_email: input.email,
    $amount: toMicros(input.amountMinor, input.currency),
    $currency_code: input.currency,
    $shipping_address: toSiftAddress(input.shippingAddress),
  };
  if (input.ip) event.$ip = input.ip;
  if (input.billingCountry) event.$billing_address = { $country: input.billingCountry };
  if (input.paymentMethodBrand) {
    event.$payment_methods = [{ $payment_type: '$credit_card' }];
    event.card_brand = input.paymentMethodBrand;
  }
  return event;
}

function toSiftAddress(address: SiftAddressInput): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    $name: address.name,
    $address_1: address.street,
    $city: address.city,
    $region: address.region,
    $zipcode: address.postalCode,
    $country: address.country,
  };
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
