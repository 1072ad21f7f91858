import type { EventHandlers } from '@orderflow/messaging';
import { saveCustomerSnapshot } from '../adapters/crm-sync-repository.js';
import type { CrmGateway } from '../domain/crm-ports.js';
import { syncCapturedOrder } from './sync-order.js';

/**
 * Handlers of the crm-sync service: `order.created` stores the customer of the order, and
 * `payment.captured` mirrors the customer and the order in the CRM.
 */
export function crmSyncHandlers(crm: CrmGateway): EventHandlers {
  return {
    'order.created': async (event, ctx) => {
      const { orderId, customer } = event.data;
      await saveCustomerSnapshot(ctx.trx, {
        orderId,
        customerId: customer.id,
        email: customer.email,
        phone: customer.phone ?? null,
        segment: customer.segment ?? null,
      });
      ctx.log.info({ customerId: customer.id }, 'customer snapshot stored');
    },
    'payment.captured': (event, ctx) => syncCapturedOrder(event.data, crm, ctx),
  };
}
