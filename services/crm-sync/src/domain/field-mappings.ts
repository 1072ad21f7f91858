import type { CurrencyCode } from '@orderflow/contracts';

/** Customer fields of an order as crm-sync stores them from `order.created`. */
export interface CustomerSnapshot {
  orderId: string;
  customerId: string;
  email: string;
  /** E.164 phone number, or null when the order carries none. */
  phone: string | null;
  /** Segment such as `Consumer` or `Corporate`, or null when the order carries none. */
  segment: string | null;
}

/**
 * HubSpot contact property of each customer field. `orderflow_*` are custom properties that
 * the HubSpot portal must define.
 */
export const CONTACT_PROPERTY_MAPPINGS = {
  email: 'email',
  phone: 'phone',
  customerId: 'orderflow_customer_id',
  segment: 'orderflow_segment',
} as const satisfies Partial<Record<keyof CustomerSnapshot, string>>;

/**
 * HubSpot deal property of each order field, as `HubSpotClient.upsertDeal` writes them. The
 * amount is a decimal string in major units (`21.93`), because HubSpot's `amount` property is a
 * number in the deal currency.
 */
export const DEAL_PROPERTY_MAPPINGS = {
  orderId: 'orderflow_order_id',
  name: 'dealname',
  amount: 'amount',
  currency: 'deal_currency_code',
  stage: 'dealstage',
  pipeline: 'pipeline',
} as const;

/**
 * Order stage of a deal whose payment was captured. The HubSpot client maps it to `closedwon`
 * in HubSpot's default pipeline.
 */
export const CAPTURED_DEAL_STAGE = 'paid' as const;

/** The deal of one captured order. */
export interface DealInput {
  orderId: string;
  amountMinor: number;
  currency: CurrencyCode;
  contactId: string;
}

/**
 * Builds the HubSpot contact properties of a customer. The email is lower-cased, as HubSpot
 * stores it, and fields the order does not carry are left out so that they never clear a value.
 */
export function contactProperties(snapshot: CustomerSnapshot): Record<string, string> {
  const properties: Record<string, string> = {
    [CONTACT_PROPERTY_MAPPINGS.email]: snapshot.email.trim().toLowerCase(),
    [CONTACT_PROPERTY_MAPPINGS.customerId]: snapshot.customerId,
  };
  if (snapshot.phone) properties[CONTACT_PROPERTY_MAPPINGS.phone] = snapshot.phone;
  if (snapshot.segment) properties[CONTACT_PROPERTY_MAPPINGS.segment] = snapshot.segment;
  return properties;
}
