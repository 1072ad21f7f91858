import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { installFaultInjection } from './fault-injection.js';
import { scorePaymentAbuse, type PaymentAbuseScore } from './sift/payment-abuse-score.js';
import {
  readRiskFacts,
  SIFT_API_KEY_PATTERN,
  SIFT_STATUS,
  validateEvent,
} from './sift/sift-event.js';
import {
  httpStatusFor,
  scoreResponse,
  siftErrorBody,
  siftFaultBody,
  unixSeconds,
  workflowStatus,
} from './sift/sift-responses.js';

export { SIFT_SANDBOX_API_KEY } from './sift/sift-event.js';
export { PAYMENT_ABUSE_SIGNALS, BASE_PAYMENT_ABUSE_SCORE } from './sift/payment-abuse-score.js';

/** An event as the sandbox stores it, without its API key. */
interface StoredEvent {
  receivedAt: string;
  type: string;
  userId?: string;
  orderId?: string;
  event: Record<string, unknown>;
}

interface EventQuery {
  return_score?: string;
  return_workflow_status?: string;
  abuse_types?: string;
}

/**
 * Registers the Sift Events API (`POST /v205/events`) and Score API routes. Scores come from
 * the sandbox's payment abuse rules in `sift/payment-abuse-score.ts`. The sandbox-only route
 * `GET /_sandbox/sift/events?orderId=&userId=` lists the events received.
 *
 * NOTE: the HTTP status of each Sift error (400 for request errors, 429, 5xx) follows how Sift's
 * Java client reads errors. It has not been checked against the live API.
 */
export async function registerSift(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    const events: StoredEvent[] = [];
    const latestScores = new Map<string, PaymentAbuseScore>();

    scope.setErrorHandler(async (error: { statusCode?: number }, _request, reply) => {
      const bodyError = error.statusCode === 400 || error.statusCode === 415;
      const status = bodyError ? SIFT_STATUS.invalidJson : SIFT_STATUS.unexpectedServerError;
      const message = bodyError ? 'Invalid JSON in request' : 'Unexpected server error';
      return reply.code(httpStatusFor(status)).send(siftErrorBody(status, message));
    });
    installFaultInjection(scope, 'sift', siftFaultBody);

    scope.post<{ Querystring: EventQuery }>('/v205/events', async (request, reply) => {
      const failure = validateEvent(request.body);
      const echo = echoRequest(request.body);
      if (failure) {
        return reply
          .code(httpStatusFor(failure.status))
          .send(siftErrorBody(failure.status, failure.message, echo));
      }

      const event = withoutApiKey(request.body as Record<string, unknown>);
      const stored = storeEvent(events, event);
      const score = scorePaymentAbuse(readRiskFacts(event));
      if (stored.userId) latestScores.set(stored.userId, score);

      return reply.send(eventResponse(request.query, stored, score, echo));
    });

    const scoreHandler = async (
      request: FastifyRequest<{ Params: { userId: string }; Querystring: { api_key?: string } }>,
      reply: FastifyReply,
    ) => {
      if (!hasValidScoreKey(request)) {
        return reply.code(400).send(siftErrorBody(SIFT_STATUS.invalidApiKey, 'Invalid API key'));
      }
      const { userId } = request.params;
      const score = latestScores.get(userId) ?? scorePaymentAbuse({});
      return reply.send(scoreResponse(userId, score));
    };
    scope.get('/v205/score/:userId', scoreHandler);
    scope.get('/v205/users/:userId/score', scoreHandler);

    scope.get<{ Querystring: { orderId?: string; userId?: string } }>(
      '/_sandbox/sift/events',
      async (request) => {
        const { orderId, userId } = request.query;
        const matches = events.filter(
          (stored) =>
            (orderId === undefined || stored.orderId === orderId) &&
            (userId === undefined || stored.userId === userId),
        );
        return { events: matches };
      },
    );
  });
}

function eventResponse(
  query: EventQuery,
  stored: StoredEvent,
  score: PaymentAbuseScore,
  echo: string,
) {
  const wantsScore = query.return_score === 'true';
  const wantsWorkflow = query.return_workflow_status === 'true';
  const body: Record<string, unknown> = {
    status: SIFT_STATUS.ok,
    error_message: 'OK',
    time: unixSeconds(),
    request: echo,
  };
  if (!wantsScore && !wantsWorkflow) return body;

  const abuseTypes = query.abuse_types?.split(',');
  const includesPaymentAbuse = !abuseTypes || abuseTypes.includes('payment_abuse');
  const scoreBody: Record<string, unknown> = scoreResponse(
    stored.userId ?? '',
    includesPaymentAbuse ? score : undefined,
  );
  if (wantsWorkflow) scoreBody.workflow_statuses = [workflowStatus(stored.orderId, score.score)];
  body.score_response = scoreBody;
  return body;
}

function storeEvent(events: StoredEvent[], event: Record<string, unknown>): StoredEvent {
  const stored: StoredEvent = {
    receivedAt: new Date().toISOString(),
    type: String(event.$type),
    userId: typeof event.$user_id === 'string' ? event.$user_id : undefined,
    orderId: typeof event.$order_id === 'string' ? event.$order_id : undefined,
    event,
  };
  events.push(stored);
  return stored;
}

/**
 * Sift echoes the request body in `request`. The sandbox leaves the API key out, so that an
 * adapter that logs the response cannot leak it.
 */
function echoRequest(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  return JSON.stringify(withoutApiKey(body as Record<string, unknown>));
}

function withoutApiKey(event: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...event };
  delete rest.$api_key;
  return rest;
}

/** Accepts the key as the `api_key` query parameter or as the user of HTTP Basic auth. */
function hasValidScoreKey(request: FastifyRequest<{ Querystring: { api_key?: string } }>): boolean {
  const fromQuery = request.query.api_key;
  const authorization = request.headers.authorization ?? '';
  const fromBasic = authorization.startsWith('Basic ')
    ? Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':')[0]
    : undefined;
  const key = fromQuery ?? fromBasic;
  return key !== undefined && SIFT_API_KEY_PATTERN.test(key);
}
