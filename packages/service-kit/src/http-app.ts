import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { CardSafeLogController, rejectCardNumbersInUrls } from './card-safe-urls.js';
import { createClientErrorHandler } from './client-errors.js';
import { handleFrameworkError, installErrorHandlers } from './error-handler.js';
import { MAX_PATH_PARAMETER_LENGTH } from './fastify-errors.js';
import type { Logger } from './logger.js';
import { installBodyParsing } from './request-body.js';
import { installHeaderChecks, sendContinue } from './request-headers.js';
import { installRequestTracing } from './request-tracing.js';
import {
  DEFAULT_READINESS_TIMEOUT_MS,
  runReadinessChecks,
  type ReadinessCheck,
} from './readiness.js';

/** Options of `createHttpApp`. */
export interface HttpAppOptions {
  /** Service name, used as the OpenAPI title. */
  service: string;
  version: string;
  description: string;
  logger: Logger;
  /** Checks that `GET /health/ready` runs. Without any, the service is always ready. */
  readiness?: readonly ReadinessCheck[];
  /** Timeout of each readiness check, in milliseconds. */
  readinessTimeoutMs?: number;
}

/** Header that carries the request id in both directions. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Incoming request ids are kept only in this form, which keeps arbitrary text out of logs. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const readinessResponseSchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    checks: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: '`ok` or the failure message of each check',
    },
  },
} as const;

/**
 * Creates the Fastify app that every service serves: OpenAPI 3.1 at `/docs/json` with Swagger UI
 * at `/docs`, liveness and readiness probes, request ids, a server span per request (see
 * `installRequestTracing`) and one error body shape. Register routes on the returned app; they
 * appear in the OpenAPI document.
 *
 * Every error response has the `ErrorResponseBody` shape, including Fastify's and Node's own
 * rejections of malformed requests: invalid URL encoding, over-long path parameters, oversized
 * headers and bodies, a missing or repeated Host header, an Expect header other than
 * 100-continue (see `installHeaderChecks`), and bodies that are not uncompressed
 * `application/json` or repeat a key (see `installBodyParsing`). A request that matches no route gets 404, or 405 when its path
 * has routes for other methods, whatever its body.
 *
 * `GET /health/live` returns 200 while the process runs. `GET /health/ready` runs every readiness
 * check at once and returns 200 `{ status: 'ready', checks }`, or 503 with `status: 'not_ready'`
 * and each failed check's message in `checks`.
 *
 * An incoming `x-request-id` header is kept when it is 1 to 128 characters of letters, digits and
 * `._:-`; otherwise a UUID is generated. The id is returned in the `x-request-id` response header,
 * written as `requestId` on each request log line and included in error bodies.
 *
 * @example
 * const app = await createHttpApp({ service: 'payment', version: '0.1.0', description, logger,
 *   readiness: [databaseCheck(db)] });
 * app.get('/payments/:id', handler);
 * await app.listen({ host: '127.0.0.1', port: 8081 });
 */
export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  // Typed as Fastify's base logger, so the app is a plain FastifyInstance that route modules and
  // plugins accept. The object is still the pino logger.
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance,
    genReqId: requestIdOf,
    requestIdHeader: false,
    logController: new CardSafeLogController({
      requestIdLogLabel: 'requestId',
      // Probes arrive every few seconds, so they get no request log lines. The readiness route
      // still logs failed checks.
      disableRequestLogging: (request) => request.url.startsWith('/health/'),
    }),
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: createClientErrorHandler(options.logger),
    // `installHeaderChecks` rejects requests without Host with the shared error body instead.
    http: { requireHostHeader: false },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  installHeaderChecks(app);
  rejectCardNumbersInUrls(app);
  // Its preParsing hook responds to unmatched requests, so it comes before body parsing.
  installErrorHandlers(app);
  app.addHook('preParsing', sendContinue);
  installBodyParsing(app);
  installRequestTracing(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.service, version: options.version, description: options.description },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerHealthRoutes(app, options);
  return app;
}

function requestIdOf(request: IncomingMessage): string {
  const header = request.headers[REQUEST_ID_HEADER];
  if (typeof header === 'string' && ACCEPTED_REQUEST_ID.test(header)) return header;
  return randomUUID();
}

function registerHealthRoutes(app: FastifyInstance, options: HttpAppOptions): void {
  const checks = options.readiness ?? [];
  const timeoutMs = options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
  // Last known outcome per check, so that a failure is logged when it starts or changes rather
  // than on every probe.
  const lastOutcomes = new Map<string, string>();

  app.get(
    '/health/live',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness probe',
        response: {
          200: {
            type: 'object',
            required: ['status'],
            properties: { status: { type: 'string', enum: ['ok'] } },
          },
        },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness probe: 503 while a dependency fails',
        response: { 200: readinessResponseSchema, 503: readinessResponseSchema },
      },
    },
    async (request, reply) => {
      const report = await runReadinessChecks(checks, timeoutMs);
      for (const [check, outcome] of Object.entries(report.checks)) {
        const previous = lastOutcomes.get(check);
        lastOutcomes.set(check, outcome);
        if (outcome === previous) continue;
        if (outcome !== 'ok')
          request.log.warn({ check, reason: outcome }, 'readiness check failed');
        else if (previous !== undefined) request.log.info({ check }, 'readiness check recovered');
      }
      const status = report.ready ? 'ready' : 'not_ready';
      return reply.code(report.ready ? 200 : 503).send({ status, checks: report.checks });
    },
  );
}
