import { ORDER_ID_PARAM } from '@orderflow/contracts';
import { NotFoundError } from '@orderflow/service-kit';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { findCalculation } from './tax-repository.js';

const taxView = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    currency: { type: 'string' },
    subtotalMinor: { type: 'integer' },
    taxMinor: { type: 'integer' },
    totalMinor: { type: 'integer' },
    source: { type: 'string', enum: ['provider', 'fallback_rates'] },
    fallbackReason: { type: ['string', 'null'] },
    transactionCode: { type: ['string', 'null'] },
    jurisdictions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          type: { type: 'string' },
          rate: { type: 'number', description: 'Decimal fraction, such as 0.0625' },
          taxMinor: { type: 'integer' },
        },
      },
    },
    calculatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** Read-only view of an order's tax calculation, for operators. */
export function registerTaxRoutes(app: FastifyInstance, db: Knex): void {
  app.get<{ Params: { orderId: string } }>(
    '/v1/tax/:orderId',
    {
      schema: {
        summary: 'Tax calculation of one order',
        params: {
          type: 'object',
          properties: { orderId: ORDER_ID_PARAM },
          required: ['orderId'],
        },
        response: { 200: taxView },
      },
    },
    async (request) => {
      const row = await findCalculation(db, request.params.orderId);
      if (!row) throw new NotFoundError('tax calculation for order', request.params.orderId);
      return {
        orderId: row.order_id,
        currency: row.currency,
        subtotalMinor: Number(row.subtotal_minor),
        taxMinor: Number(row.tax_minor),
        totalMinor: Number(row.total_minor),
        source: row.source,
        fallbackReason: row.fallback_reason,
        transactionCode: row.transaction_code,
        jurisdictions: row.jurisdictions,
        calculatedAt: row.calculated_at.toISOString(),
      };
    },
  );
}
