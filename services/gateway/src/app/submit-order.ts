import { createHash } from 'node:crypto';
import {
  checkoutOrderSchema,
  findUnsafeText,
  toContractIssues,
  type CheckoutOrder,
} from '@orderflow/contracts';
import { addToOutbox } from '@orderflow/messaging';
import { AppError, ValidationError } from '@orderflow/service-kit';
import type { Knex } from 'knex';
import { findOrder } from '../adapters/order-repository.js';

export const GATEWAY_EVENT_SOURCE = '/orderflow/gateway';

/** Thrown when an order id is reused with a different body. */
export class OrderConflictError extends AppError {
  constructor(orderId: string) {
    super(
      'ORDER_ALREADY_EXISTS',
      `order ${orderId} already exists with different content; use a new orderId`,
      {
        statusCode: 409,
      },
    );
  }
}

/**
 * Returns a date-time as UTC with milliseconds, so that one instant written with another offset
 * or precision, as a client that re-serializes it on a retry may send, hashes the same.
 */
function instantOf(dateTime: string): string {
  const milliseconds = Date.parse(dateTime);
  return Number.isNaN(milliseconds) ? dateTime : new Date(milliseconds).toISOString();
}

/**
 * Validates a checkout order, then records it and its `order.created` event in one transaction.
 * Submitting the same order again is accepted without a second event, also when `placedAt`
 * names the same instant in another form. The same id with a different body is a conflict.
 * Returns whether a new order was created.
 */
export async function submitOrder(
  db: Knex,
  body: unknown,
): Promise<{ order: CheckoutOrder; created: boolean }> {
  // The whole body, unknown fields included, so a card number never reaches a log or a row.
  const unsafe = findUnsafeText(body);
  if (unsafe.length > 0) throw new ValidationError(unsafe);
  const parsed = checkoutOrderSchema.safeParse(body);
  if (!parsed.success) throw new ValidationError(toContractIssues(parsed.error));
  const order = parsed.data;
  const requestHash = createHash('sha256')
    .update(JSON.stringify({ ...order, placedAt: instantOf(order.placedAt) }))
    .digest('hex');

  return db.transaction(async (trx) => {
    const inserted = await trx('orders')
      .insert({
        order_id: order.orderId,
        intake: 'api',
        customer_id: order.customer.id,
        currency: order.currency,
        subtotal_minor: order.totals.subtotalMinor,
        request_hash: requestHash,
      })
      .onConflict('order_id')
      .ignore()
      .returning('order_id');
    if (inserted.length === 0) {
      const existing = await findOrder(trx, order.orderId);
      if (existing?.request_hash !== requestHash) throw new OrderConflictError(order.orderId);
      return { order, created: false };
    }
    await addToOutbox(trx, {
      type: 'order.created',
      source: GATEWAY_EVENT_SOURCE,
      subject: order.orderId,
      data: order,
    });
    return { order, created: true };
  });
}
