import { checkoutOrderSchema, ORDER_ID_PARAM, ORDER_ID_PATTERN } from '@orderflow/contracts';
import { errorResponseSchema, NotFoundError, ValidationError } from '@orderflow/service-kit';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { z } from 'zod';
import { loadOrderView, loadOrderViews } from '../app/order-view.js';
import { submitOrder } from '../app/submit-order.js';
import { ORDER_STATUSES } from '../domain/order-status.js';

const MAX_IDS_PER_LOOKUP = 200;

const orderViewSchema = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    status: { type: 'string', enum: [...ORDER_STATUSES] },
    settled: { type: 'boolean' },
    intake: { type: 'string', enum: ['api', 'kafka'] },
    customerMessage: { type: ['string', 'null'] },
    rejectionReason: { type: ['string', 'null'] },
    amountMinor: { type: ['integer', 'null'] },
    currency: { type: ['string', 'null'] },
    fulfilment: {
      type: 'object',
      properties: {
        labelCreated: { type: 'boolean' },
        trackingCode: { type: ['string', 'null'] },
        crmSynced: { type: 'boolean' },
        notifiedTemplates: { type: 'array', items: { type: 'string' } },
      },
    },
    stageTimesMs: { type: 'object', additionalProperties: { type: 'number' } },
    timeline: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          at: { type: 'string' },
          summary: { type: 'string' },
        },
      },
    },
  },
} as const;

const checkoutOrderJsonSchema = z.toJSONSchema(checkoutOrderSchema, {
  io: 'input',
  unrepresentable: 'any',
});
delete (checkoutOrderJsonSchema as { $schema?: string }).$schema;

/** Returns the shared error body schema with a description of what that status means here. */
function errorResponse(description: string) {
  return { ...errorResponseSchema, description };
}

/** Order intake and the order status API. */
export function registerOrderRoutes(app: FastifyInstance, db: Knex): void {
  app.post(
    '/v1/orders',
    {
      schema: {
        summary: 'Submit a checkout order',
        description:
          'Validates the order and publishes order.created. Resubmitting the same order is safe; the same orderId with other content returns 409.',
        // Documented for OpenAPI only: the zod schema validates, so errors name the field the same way on HTTP and Kafka.
        body: checkoutOrderJsonSchema,
        response: {
          202: {
            type: 'object',
            properties: {
              orderId: { type: 'string' },
              status: { type: 'string' },
              href: { type: 'string' },
            },
          },
          200: {
            type: 'object',
            properties: {
              orderId: { type: 'string' },
              status: { type: 'string' },
              href: { type: 'string' },
            },
          },
          400: errorResponse(
            "The body is not valid JSON (INVALID_JSON), repeats a key in one object (DUPLICATE_JSON_KEY, with the key's path in details.path), or the order is invalid (VALIDATION_FAILED, with each field's path and problem in details.issues)",
          ),
          409: errorResponse('The orderId was already used for an order with other content'),
          413: errorResponse('The body is larger than the limit'),
          415: errorResponse('The body is not uncompressed application/json in UTF-8'),
          417: errorResponse('The Expect header does not request 100-continue'),
        },
      },
      validatorCompiler: () => (data) => ({ value: data }),
    },
    async (request, reply) => {
      const { order, created } = await submitOrder(db, request.body);
      const href = `/v1/orders/${encodeURIComponent(order.orderId)}`;
      reply.header('location', href);
      reply.code(created ? 202 : 200);
      return { orderId: order.orderId, status: created ? 'accepted' : 'already_accepted', href };
    },
  );

  app.get<{ Params: { orderId: string } }>(
    '/v1/orders/:orderId',
    {
      schema: {
        summary: 'Status and timeline of one order',
        params: {
          type: 'object',
          properties: { orderId: ORDER_ID_PARAM },
          required: ['orderId'],
        },
        response: {
          200: orderViewSchema,
          400: errorResponse('The order id is malformed or looks like a card number'),
          404: errorResponse('No order has this id'),
        },
      },
    },
    async (request) => {
      const view = await loadOrderView(db, request.params.orderId);
      if (!view) throw new NotFoundError('order', request.params.orderId);
      return view;
    },
  );

  app.get<{ Querystring: { ids: string } }>(
    '/v1/orders',
    {
      schema: {
        summary: `Status of up to ${MAX_IDS_PER_LOOKUP} orders at once`,
        querystring: {
          type: 'object',
          properties: { ids: { type: 'string', description: 'Comma-separated order ids' } },
          required: ['ids'],
        },
        response: {
          200: {
            type: 'object',
            properties: { orders: { type: 'array', items: orderViewSchema } },
          },
          400: errorResponse('An id is malformed, or there are too many ids'),
        },
      },
    },
    async (request) => {
      const ids = request.query.ids.split(',').filter(Boolean);
      const pattern = new RegExp(ORDER_ID_PATTERN);
      const invalid = ids.findIndex((id) => !pattern.test(id));
      if (invalid >= 0) {
        throw new ValidationError([
          {
            path: `ids.${invalid}`,
            message: 'must be 1 to 64 letters, digits, dots, dashes or underscores',
          },
        ]);
      }
      if (ids.length > MAX_IDS_PER_LOOKUP) {
        throw new ValidationError([
          {
            path: 'ids',
            message: `must list at most ${MAX_IDS_PER_LOOKUP} order ids; received ${ids.length}`,
          },
        ]);
      }
      return { orders: await loadOrderViews(db, ids) };
    },
  );
}
