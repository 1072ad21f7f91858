import { createHash } from 'node:crypto';
import { ORDER_ID_PATTERN, redactCardNumbers } from '@orderflow/contracts';
import type { DeadLetterNotice } from '@orderflow/messaging';
import type { Knex } from 'knex';
import { projectEvent } from '../adapters/order-repository.js';

interface LooseEnvelope {
  id?: unknown;
  type?: unknown;
  time?: unknown;
  data?: { orderId?: unknown };
}

const ORDER_ID = new RegExp(ORDER_ID_PATTERN);

/** Reads the rejected order's id and event id from the envelope, or from the Kafka key. */
function identify(notice: DeadLetterNotice): { orderId: string; eventId: string } | undefined {
  let envelope: LooseEnvelope | undefined;
  try {
    envelope = JSON.parse(notice.value?.toString('utf8') ?? '') as LooseEnvelope;
  } catch {
    envelope = undefined;
  }
  // Without an envelope id, a hash of the value keeps the entry the same if the hook runs again.
  const sourceId =
    typeof envelope?.id === 'string'
      ? envelope.id
      : createHash('sha256')
          .update(notice.value ?? '')
          .digest('hex');
  const eventId = `rejected:${sourceId}`;
  const orderId = envelope?.data?.orderId;
  if (envelope?.type === 'order.created' && typeof orderId === 'string' && orderId.length <= 64)
    return { orderId, eventId };
  // A value that is not an order.created envelope, such as text that is not JSON, still names
  // its order in the key, because checkout keys order.created by order id.
  if (notice.topic.endsWith('order.created') && notice.key !== null && ORDER_ID.test(notice.key))
    return { orderId: notice.key, eventId };
  return undefined;
}

/**
 * Shows an `order.created` that failed validation on Kafka as a rejected order with the
 * validation message, so checkout can look the order up and see which field to fix. The order
 * id comes from the event, or from the message key when the value cannot be read. Messages
 * without either stay only on the dead-letter topic.
 */
export async function recordRejectedOrder(db: Knex, notice: DeadLetterNotice): Promise<void> {
  const identity = identify(notice);
  if (identity === undefined) return;
  const message = notice.error instanceof Error ? notice.error.message : String(notice.error);
  const reason = redactCardNumbers(message);
  await db.transaction((trx) =>
    projectEvent(
      trx,
      {
        orderId: identity.orderId,
        eventId: identity.eventId,
        eventType: 'order.rejected',
        occurredAt: new Date().toISOString(),
        summary: `Order rejected: ${reason}`,
      },
      { rejection_reason: reason },
    ),
  );
}
