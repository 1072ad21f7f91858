import { randomUUID } from 'node:crypto';
import type { DeadLetterNotice } from '@orderflow/messaging';
import type { Knex } from 'knex';
import { projectEvent } from '../adapters/order-repository.js';

interface LooseEnvelope {
  id?: unknown;
  type?: unknown;
  time?: unknown;
  data?: { orderId?: unknown };
}

/**
 * Shows an `order.created` that failed validation on Kafka as a rejected order with the
 * validation message, so checkout can look the order up and see which field to fix. Messages
 * without a readable order id stay only on the dead-letter topic.
 */
export async function recordRejectedOrder(db: Knex, notice: DeadLetterNotice): Promise<void> {
  let envelope: LooseEnvelope;
  try {
    envelope = JSON.parse(notice.value?.toString('utf8') ?? '') as LooseEnvelope;
  } catch {
    return;
  }
  const orderId = envelope.data?.orderId;
  if (envelope.type !== 'order.created' || typeof orderId !== 'string' || orderId.length > 64)
    return;
  const reason = notice.error instanceof Error ? notice.error.message : String(notice.error);
  await db.transaction((trx) =>
    projectEvent(
      trx,
      {
        orderId,
        eventId:
          typeof envelope.id === 'string' ? `rejected:${envelope.id}` : `rejected:${randomUUID()}`,
        eventType: 'order.rejected',
        occurredAt: new Date().toISOString(),
        summary: `Order rejected: ${reason}`,
      },
      { rejection_reason: reason },
    ),
  );
}
