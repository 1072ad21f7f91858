import { ORDER_ID_PARAM } from '@orderflow/contracts';
import { NotFoundError } from '@orderflow/service-kit';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { findRecipient, listMessages } from './notification-repository.js';

const messageView = {
  type: 'object',
  properties: {
    template: { type: 'string' },
    channel: { type: 'string', enum: ['email', 'sms'] },
    status: { type: 'string', enum: ['sent', 'failed', 'suppressed'] },
    recipientHint: { type: 'string', description: 'Masked address, such as d***@example.com' },
    providerMessageId: { type: ['string', 'null'] },
    failureReason: { type: ['string', 'null'] },
    eventId: { type: 'string', description: 'Id of the event that asked for the message' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const communicationLogView = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    messages: { type: 'array', items: messageView },
  },
} as const;

/** Read-only view of the messages sent for an order, for operators and support staff. */
export function registerNotificationRoutes(app: FastifyInstance, db: Knex): void {
  app.get<{ Params: { orderId: string } }>(
    '/v1/notifications/:orderId',
    {
      schema: {
        summary: 'Communication log of one order',
        description:
          'Every email and SMS sent, failed or suppressed for the order, oldest first. ' +
          'Returns 404 when the order is unknown to the notification service.',
        params: {
          type: 'object',
          properties: { orderId: ORDER_ID_PARAM },
          required: ['orderId'],
        },
        response: { 200: communicationLogView },
      },
    },
    async (request) => {
      const { orderId } = request.params;
      const [recipient, rows] = await Promise.all([
        findRecipient(db, orderId),
        listMessages(db, orderId),
      ]);
      if (!recipient && rows.length === 0) throw new NotFoundError('order', orderId);
      return {
        orderId,
        messages: rows.map((row) => ({
          template: row.template,
          channel: row.channel,
          status: row.status,
          recipientHint: row.recipient_hint,
          providerMessageId: row.provider_message_id,
          failureReason: row.failure_reason,
          eventId: row.event_id,
          createdAt: row.created_at.toISOString(),
          updatedAt: row.updated_at.toISOString(),
        })),
      };
    },
  );
}
