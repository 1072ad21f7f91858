import { toMinorUnits, type CheckoutOrder } from '@orderflow/contracts';
import type { ReplayOrder } from './replay-order.js';

/** Maximum length of an order id in the checkout contract. */
export const MAX_ORDER_ID_LENGTH = 64;

/** A run id: a letter, then letters and digits. It becomes part of every order id of the run. */
export const RUN_ID_PATTERN = /^[A-Za-z][A-Za-z0-9]{0,19}$/;

/**
 * Returns a new run id such as `r1a2b3c4d`: `r` and the current time in milliseconds in base 36,
 * so ids of later runs sort after earlier ones.
 */
export function newRunId(now: Date = new Date()): string {
  return `r${now.getTime().toString(36)}`;
}

/**
 * Returns the order id that one replay run submits: the input id, a dot and the run id, such as
 * `US-2019-103800.r1a2b3c4d`. Each run gets fresh ids, so a second run does not meet the orders
 * that an earlier run already settled.
 *
 * NOTE: customer ids and order dates stay the same, so every run adds to the fraud service's
 * per-customer velocity counts for the same days.
 */
export function runOrderId(orderId: string, runId: string): string {
  return `${orderId}.${runId}`;
}

/**
 * Converts a date such as `2019-01-03` to midnight UTC of that day; a date-time is kept. The
 * data set records only the day an order was placed.
 */
export function toDateTime(placedAt: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(placedAt) ? `${placedAt}T00:00:00.000Z` : placedAt;
}

/**
 * Converts a replay input line to the checkout order contract: line totals become minor units,
 * the subtotal is their sum, and the synthetic street, email, phone, client IP and billing
 * country move to the fields checkout fills. The card number is not copied: `paymentMethodId`
 * is the token the storefront obtained for it.
 */
export function toCheckoutOrder(
  order: ReplayOrder,
  ids: { orderId: string; paymentMethodId: string },
): CheckoutOrder {
  const lines = order.lines.map((line) => ({
    productId: line.productId,
    name: line.name,
    ...(line.category === undefined ? {} : { category: line.category }),
    ...(line.subCategory === undefined ? {} : { subCategory: line.subCategory }),
    quantity: line.quantity,
    discountRate: line.discountRate,
    lineTotalMinor: toMinorUnits(line.lineTotal, order.currency),
  }));
  const subtotalMinor = lines.reduce((sum, line) => sum + line.lineTotalMinor, 0);
  const { synthetic } = order;

  return {
    orderId: ids.orderId,
    placedAt: toDateTime(order.placedAt),
    currency: order.currency,
    shipMode: order.shipMode,
    customer: {
      id: order.customer.id,
      email: synthetic.email,
      ...(synthetic.phone ? { phone: synthetic.phone } : {}),
      ...(order.customer.segment === undefined ? {} : { segment: order.customer.segment }),
    },
    shipTo: {
      street: synthetic.street,
      city: order.shipTo.city,
      region: order.shipTo.region,
      postalCode: order.shipTo.postalCode,
      country: order.shipTo.country,
    },
    lines,
    totals: { subtotalMinor },
    payment: {
      paymentMethodId: ids.paymentMethodId,
      ...(synthetic.billingCountry === undefined
        ? {}
        : { billingCountry: synthetic.billingCountry }),
    },
    ...(synthetic.clientIp === undefined ? {} : { client: { ip: synthetic.clientIp } }),
  };
}
