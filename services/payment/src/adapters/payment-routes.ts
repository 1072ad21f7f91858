import { ORDER_ID_PARAM } from '@orderflow/contracts';
import { NotFoundError } from '@orderflow/service-kit';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { findPayment } from './payment-repository.js';

const paymentView = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    state: { type: 'string' },
    amountMinor: { type: ['integer', 'null'] },
    currency: { type: ['string', 'null'] },
    paymentIntentId: { type: ['string', 'null'] },
    checks: {
      type: 'object',
      properties: {
        orderReceived: { type: 'boolean' },
        taxCalculated: { type: 'boolean' },
        fraudDecision: { type: ['string', 'null'] },
        addressVerified: { type: ['boolean', 'null'] },
        freightRequired: { type: 'boolean' },
      },
    },
  },
} as const;

/** Read-only view of an order's payment, for operators. */
export function registerPaymentRoutes(app: FastifyInstance, db: Knex): void {
  app.get<{ Params: { orderId: string } }>(
    '/v1/payments/:orderId',
    {
      schema: {
        summary: 'Payment state of one order',
        params: {
          type: 'object',
          properties: { orderId: ORDER_ID_PARAM },
          required: ['orderId'],
        },
        response: { 200: paymentView },
      },
    },
    async (request) => {
      const row = await findPayment(db, request.params.orderId);
      if (!row) throw new NotFoundError('payment for order', request.params.orderId);
      return {
        orderId: row.order_id,
        state: row.state,
        amountMinor: row.amount_minor === null ? null : Number(row.amount_minor),
        currency: row.currency,
        paymentIntentId: row.payment_intent_id,
        checks: {
          orderReceived: row.order_received,
          taxCalculated: row.tax_minor !== null,
          fraudDecision: row.fraud_decision,
          addressVerified: row.address_verified,
          freightRequired: row.freight_required,
        },
      };
    },
  );
}
