import { ORDER_ID_PARAM } from '@orderflow/contracts';
import { NotFoundError } from '@orderflow/service-kit';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { findAssessment, listOpenReviews } from './fraud-repository.js';

/** Maximum and default number of entries that `GET /v1/reviews` returns. */
const REVIEW_PAGE = { maxLimit: 200, defaultLimit: 50 } as const;

const reasonsSchema = { type: 'array', items: { type: 'string' } } as const;

const assessmentView = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    customerId: { type: 'string' },
    decision: { type: 'string', enum: ['approve', 'review', 'block'] },
    score: { type: 'number' },
    providerScore: { type: ['number', 'null'] },
    localScore: { type: 'number' },
    reasons: reasonsSchema,
    assessedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const reviewListView = {
  type: 'object',
  properties: {
    reviews: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          orderId: { type: 'string' },
          score: { type: 'number' },
          reasons: reasonsSchema,
          queuedAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;

/** Read-only views of risk assessments and the open review queue, for operators. */
export function registerFraudRoutes(app: FastifyInstance, db: Knex): void {
  app.get<{ Params: { orderId: string } }>(
    '/v1/assessments/:orderId',
    {
      schema: {
        summary: 'Risk assessment of one order',
        params: {
          type: 'object',
          properties: { orderId: ORDER_ID_PARAM },
          required: ['orderId'],
        },
        response: { 200: assessmentView },
      },
    },
    async (request) => {
      const row = await findAssessment(db, request.params.orderId);
      if (!row) throw new NotFoundError('risk assessment for order', request.params.orderId);
      return {
        orderId: row.order_id,
        customerId: row.customer_id,
        decision: row.decision,
        score: Number(row.score),
        providerScore: row.provider_score === null ? null : Number(row.provider_score),
        localScore: Number(row.local_score),
        reasons: row.reasons,
        assessedAt: row.assessed_at.toISOString(),
      };
    },
  );

  app.get<{ Querystring: { limit: number } }>(
    '/v1/reviews',
    {
      schema: {
        summary: 'Open manual review queue, oldest first',
        querystring: {
          type: 'object',
          properties: {
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: REVIEW_PAGE.maxLimit,
              default: REVIEW_PAGE.defaultLimit,
            },
          },
        },
        response: { 200: reviewListView },
      },
    },
    async (request) => {
      const rows = await listOpenReviews(db, request.query.limit);
      return {
        reviews: rows.map((row) => ({
          orderId: row.order_id,
          score: Number(row.score),
          reasons: row.reasons,
          queuedAt: row.queued_at.toISOString(),
        })),
      };
    },
  );
}
