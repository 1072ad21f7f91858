import type { EventData } from '@orderflow/contracts';
import type { HandlerContext } from '@orderflow/messaging';
import {
  findCustomerSnapshot,
  findSyncState,
  recordConflict,
  saveSyncState,
} from '../adapters/crm-sync-repository.js';
import type { CrmGateway } from '../domain/crm-ports.js';

/**
 * Mirrors a captured order in the CRM: upserts the customer's contact, then the order's deal
 * associated with it, records the sync and emits `crm.synced`, all inside the handler's
 * transaction. An order that is already synced is skipped.
 *
 * Defers the event while the order's `order.created` has not been handled, so it runs once the
 * customer snapshot is stored. Provider faults are thrown so that the transaction rolls back and
 * the event is retried. The retry updates the records of the failed attempt: the deal through
 * HubSpot's upsert by its unique order ID, the contact through the email search or the conflict
 * of its create.
 */
export async function syncCapturedOrder(
  capture: EventData<'payment.captured'>,
  crm: CrmGateway,
  ctx: HandlerContext,
): Promise<void> {
  const { orderId } = capture;
  const snapshot = await findCustomerSnapshot(ctx.trx, orderId);
  if (!snapshot) {
    await ctx.defer('customer snapshot not stored yet');
    return;
  }
  const existing = await findSyncState(ctx.trx, orderId);
  if (existing) {
    ctx.log.info({ dealId: existing.deal_id }, 'order already synced');
    return;
  }

  const contact = await crm.upsertContact(snapshot);
  if (contact.conflict) {
    await recordConflict(ctx.trx, orderId, crm.provider, contact.conflict);
    ctx.log.warn(
      {
        contactId: contact.contactId,
        properties: contact.conflict.differences.map((difference) => difference.property),
      },
      'crm contact conflict resolved',
    );
  }
  const deal = await crm.upsertDeal({
    orderId,
    amountMinor: capture.amountMinor,
    currency: capture.currency,
    contactId: contact.contactId,
  });

  await saveSyncState(ctx.trx, {
    orderId,
    customerId: snapshot.customerId,
    provider: crm.provider,
    contactId: contact.contactId,
    dealId: deal.dealId,
    contactCreated: contact.created,
    dealCreated: deal.created,
  });
  await ctx.publish({
    type: 'crm.synced',
    subject: orderId,
    data: {
      orderId,
      customerId: snapshot.customerId,
      provider: crm.provider,
      contactId: contact.contactId,
      dealId: deal.dealId,
    },
  });
  ctx.log.info(
    {
      contactId: contact.contactId,
      dealId: deal.dealId,
      contactCreated: contact.created,
      dealCreated: deal.created,
    },
    'order synced to crm',
  );
}
