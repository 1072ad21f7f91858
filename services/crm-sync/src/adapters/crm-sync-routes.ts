import { ORDER_ID_PARAM } from '@orderflow/contracts';
import { NotFoundError } from '@orderflow/service-kit';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { findCustomerSnapshot, findSyncState, listConflicts } from './crm-sync-repository.js';

const nullableString = { type: ['string', 'null'] } as const;

const conflictView = {
  type: 'object',
  properties: {
    objectType: { type: 'string' },
    objectId: { type: 'string' },
    properties: {
      type: 'array',
      items: { type: 'string' },
      description: 'CRM properties whose existing values were overwritten',
    },
    resolution: { type: 'string' },
    detectedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const syncView = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    status: {
      type: 'string',
      enum: ['pending', 'synced'],
      description: '`pending` until the captured order is mirrored in the CRM',
    },
    customerId: { type: 'string' },
    provider: nullableString,
    contactId: nullableString,
    dealId: nullableString,
    syncedAt: { type: ['string', 'null'], format: 'date-time' },
    conflicts: { type: 'array', items: conflictView },
  },
} as const;

/** Read-only view of an order's CRM sync, for operators. */
export function registerCrmSyncRoutes(app: FastifyInstance, db: Knex): void {
  app.get<{ Params: { orderId: string } }>(
    '/v1/sync/:orderId',
    {
      schema: {
        summary: 'CRM sync state of one order',
        description:
          'The CRM contact and deal of the order and any conflicts met while writing them. ' +
          'Returns 404 when the order is unknown to crm-sync.',
        params: {
          type: 'object',
          properties: { orderId: ORDER_ID_PARAM },
          required: ['orderId'],
        },
        response: { 200: syncView },
      },
    },
    async (request) => {
      const { orderId } = request.params;
      const [snapshot, state, conflicts] = await Promise.all([
        findCustomerSnapshot(db, orderId),
        findSyncState(db, orderId),
        listConflicts(db, orderId),
      ]);
      const customerId = state?.customer_id ?? snapshot?.customerId;
      if (customerId === undefined) throw new NotFoundError('order', orderId);
      return {
        orderId,
        status: state ? 'synced' : 'pending',
        customerId,
        provider: state?.provider ?? null,
        contactId: state?.contact_id ?? null,
        dealId: state?.deal_id ?? null,
        syncedAt: state?.synced_at.toISOString() ?? null,
        conflicts: conflicts.map((conflict) => ({
          objectType: conflict.object_type,
          objectId: conflict.object_id,
          properties: conflict.differences.map((difference) => difference.property),
          resolution: conflict.resolution,
          detectedAt: conflict.detected_at.toISOString(),
        })),
      };
    },
  );
}
