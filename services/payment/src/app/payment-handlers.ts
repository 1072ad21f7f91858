import type { EventHandlers } from '@orderflow/messaging';
import { recordCheck } from '../adapters/payment-repository.js';
import type { PaymentGateway } from '../domain/payment-ports.js';
import { advancePayment } from './take-payment.js';

/**
 * Handlers of the payment service. Each records one input of the payment decision (the order,
 * its tax, its fraud decision, its address check or freight hold) and then tries to move the
 * payment forward, so the order in which these events arrive does not matter.
 */
export function paymentHandlers(gateway: PaymentGateway): EventHandlers {
  return {
    'order.created': async (event, ctx) => {
      const order = event.data;
      const known = await ctx
        .trx('payments')
        .where({ order_id: order.orderId, order_received: true })
        .first();
      if (known) {
        // A second order.created (new event id, maybe other content) never changes what is charged.
        ctx.log.warn({ state: known.state }, 'order.created for a known order ignored');
        return;
      }
      const row = await recordCheck(ctx.trx, order.orderId, {
        order_received: true,
        currency: order.currency,
        subtotal_minor: order.totals.subtotalMinor,
        payment_method_id: order.payment.paymentMethodId,
      });
      await advancePayment(row, gateway, ctx);
    },
    'tax.calculated': async (event, ctx) => {
      const row = await recordCheck(ctx.trx, event.data.orderId, {
        tax_minor: event.data.taxMinor,
      });
      await advancePayment(row, gateway, ctx);
    },
    'fraud.assessed': async (event, ctx) => {
      const row = await recordCheck(ctx.trx, event.data.orderId, {
        fraud_decision: event.data.decision,
      });
      await advancePayment(row, gateway, ctx);
    },
    'shipment.address_verified': async (event, ctx) => {
      const row = await recordCheck(ctx.trx, event.data.orderId, { address_verified: true });
      await advancePayment(row, gateway, ctx);
    },
    'shipment.address_rejected': async (event, ctx) => {
      const row = await recordCheck(ctx.trx, event.data.orderId, { address_verified: false });
      await advancePayment(row, gateway, ctx);
    },
    'shipment.freight_required': async (event, ctx) => {
      const row = await recordCheck(ctx.trx, event.data.orderId, { freight_required: true });
      await advancePayment(row, gateway, ctx);
    },
  };
}
