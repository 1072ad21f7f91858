import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorResponseSchema } from '../src/error-handler.js';
import { NotFoundError, ProviderError, ValidationError } from '../src/errors.js';
import { createHttpApp } from '../src/http-app.js';
import { databaseCheck, type ReadinessCheck } from '../src/readiness.js';
import { zodToRouteSchema } from '../src/route-schema.js';
import { captureLogger, type CapturedLogger } from './support/capture-logger.js';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';

const widgetRequest = z.object({
  name: z.string().min(1),
  quantity: z.number().int().min(1),
  dimensions: z.object({ widthMm: z.number().positive() }).optional(),
});

/**
 * Builds a test app. The readiness timeout is generous, so a first database connection on a
 * loaded machine passes. The test of the timeout itself passes a short one.
 */
async function buildApp(
  readiness: ReadinessCheck[] = [],
  readinessTimeoutMs = 5_000,
): Promise<{
  app: FastifyInstance;
  capture: CapturedLogger;
}> {
  const capture = captureLogger('widgets');
  const app = await createHttpApp({
    service: 'widgets',
    version: '1.2.3',
    description: 'Test service',
    logger: capture.logger,
    readiness,
    readinessTimeoutMs,
  });
  app.post(
    '/widgets',
    {
      schema: {
        body: zodToRouteSchema(widgetRequest),
        response: {
          201: zodToRouteSchema(widgetRequest, { io: 'output' }),
          400: errorResponseSchema,
        },
      },
    },
    async (request, reply) => reply.code(201).send(request.body),
  );
  app.get('/widgets/:id', async (request) => {
    const { id } = request.params as { id: string };
    throw new NotFoundError('Widget', id);
  });
  app.get('/invalid', async () => {
    throw new ValidationError([{ path: 'lines.0.quantity', message: 'must be at least 1' }]);
  });
  app.get('/provider', async () => {
    throw new ProviderError('stripe', 'STRIPE_UNAVAILABLE', 'stripe returned 503 from 10.0.0.5', {
      retryable: true,
      customerMessage: 'Payments are unavailable right now.',
    });
  });
  app.get('/crash', async () => {
    throw new Error('database password rejected for orderflow_payment');
  });
  await app.ready();
  return { app, capture };
}

describe('createHttpApp documentation', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    ({ app } = await buildApp());
  });

  afterAll(async () => {
    await app.close();
  });

  it('serves a valid OpenAPI 3 document at /docs/json', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);

    const document = response.json();
    const result = await new Validator().validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'widgets', version: '1.2.3' });
  });

  it('documents health routes and zod request bodies', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/health/live', '/health/ready', '/widgets']),
    );
    const body = document.paths['/widgets'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['name', 'quantity']);
    expect(body.properties.quantity).toMatchObject({ type: 'integer', minimum: 1 });
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
  });
});

describe('createHttpApp health routes', () => {
  let scratch: ScratchDatabase;
  let db: Knex;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    db = knex({ client: 'pg', connection: scratch.url, pool: { min: 0, max: 2 } });
  });

  afterAll(async () => {
    await db.destroy();
    await scratch.drop();
  });

  it('reports live', async () => {
    const { app } = await buildApp();
    const response = await app.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    await app.close();
  });

  it('reports ready when the database responds', async () => {
    const { app } = await buildApp([databaseCheck(db)]);
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { db: 'ok' } });
    await app.close();
  });

  it('reports not ready with the failing check message', async () => {
    // Nothing listens on loopback port 1, so the pool's connection attempt is refused.
    const unreachable = knex({
      client: 'pg',
      connection: 'postgres://postgres@127.0.0.1:1/none',
      pool: { min: 0, max: 1 },
      log: { error: () => undefined, warn: () => undefined },
    });
    const { app, capture } = await buildApp([databaseCheck(db), databaseCheck(unreachable)]);
    const failing = { name: 'kafka', check: () => Promise.reject(new Error('broker down')) };
    const { app: appWithKafka } = await buildApp([databaseCheck(db), failing]);

    const response = await appWithKafka.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'not_ready',
      checks: { db: 'ok', kafka: 'broker down' },
    });

    const unreachableResponse = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(unreachableResponse.statusCode).toBe(503);
    expect(unreachableResponse.json().checks.db).toMatch(/database query failed: .*ECONNREFUSED/);
    expect(capture.withMessage('readiness check failed')).toHaveLength(1);

    await Promise.all([app.close(), appWithKafka.close(), unreachable.destroy()]);
  });

  it('fails a check that exceeds the timeout', async () => {
    const hanging = { name: 'slow', check: () => new Promise<void>(() => undefined) };
    const { app } = await buildApp([hanging], 200);
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json().checks).toEqual({ slow: 'timed out after 200 ms' });
    await app.close();
  });

  it('logs a failing check once until it recovers', async () => {
    let healthy = false;
    const flaky = {
      name: 'flaky',
      check: async () => {
        if (!healthy) throw new Error('not yet');
      },
    };
    const { app, capture } = await buildApp([flaky]);
    await app.inject({ method: 'GET', url: '/health/ready' });
    await app.inject({ method: 'GET', url: '/health/ready' });
    healthy = true;
    const recovered = await app.inject({ method: 'GET', url: '/health/ready' });

    expect(recovered.statusCode).toBe(200);
    expect(capture.withMessage('readiness check failed')).toHaveLength(1);
    expect(capture.withMessage('readiness check recovered')).toHaveLength(1);
    await app.close();
  });
});

describe('createHttpApp errors', () => {
  let app: FastifyInstance;
  let capture: CapturedLogger;

  beforeAll(async () => {
    ({ app, capture } = await buildApp());
  });

  afterAll(async () => {
    await app.close();
  });

  it('maps schema violation to 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'x-request-id': 'req-schema-1' },
      payload: { name: 'bolt', quantity: 0 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'quantity: must be >= 1',
        requestId: 'req-schema-1',
        details: { issues: [{ path: 'quantity', message: 'must be >= 1' }] },
      },
    });
  });

  it('names a missing nested field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      payload: { name: 'bolt', quantity: 1, dimensions: {} },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues).toEqual([
      { path: 'dimensions.widthMm', message: 'is required' },
    ]);
  });

  it('maps a ValidationError to 400 with its issues', async () => {
    const response = await app.inject({ method: 'GET', url: '/invalid' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: 'lines.0.quantity', message: 'must be at least 1' }] },
    });
  });

  it('maps a NotFoundError to 404', async () => {
    const response = await app.inject({ method: 'GET', url: '/widgets/w_9' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Widget w_9 was not found',
    });
  });

  it('maps unknown route to 404', async () => {
    const response = await app.inject({ method: 'GET', url: '/nowhere?token=abc' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({
      code: 'ROUTE_NOT_FOUND',
      message: 'Route GET /nowhere not found',
    });
  });

  it('maps malformed JSON to 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_JSON');
  });

  it('returns the customer message of a provider error', async () => {
    const response = await app.inject({ method: 'GET', url: '/provider' });
    expect(response.statusCode).toBe(502);
    expect(response.json().error).toMatchObject({
      code: 'STRIPE_UNAVAILABLE',
      message: 'Payments are unavailable right now.',
    });
  });

  it('hides an unknown error behind a generic 500', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/crash',
      headers: { 'x-request-id': 'req-crash-1' },
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: { code: 'INTERNAL_ERROR', message: 'Internal server error', requestId: 'req-crash-1' },
    });
    expect(response.body).not.toContain('password');
  });

  it('logs faults at error, mistakes at warn', async () => {
    await app.inject({ method: 'GET', url: '/crash', headers: { 'x-request-id': 'req-log-500' } });
    await app.inject({
      method: 'GET',
      url: '/invalid',
      headers: { 'x-request-id': 'req-log-400' },
    });

    const [fault] = capture
      .withMessage('request failed')
      .filter((line) => line.requestId === 'req-log-500');
    expect(fault?.level).toBe('error');
    expect((fault?.err as { message: string }).message).toContain('database password rejected');

    const [mistake] = capture
      .withMessage('request rejected')
      .filter((line) => line.requestId === 'req-log-400');
    expect(mistake?.level).toBe('warn');
    expect(mistake?.code).toBe('VALIDATION_FAILED');
  });
});

describe('createHttpApp request ids', () => {
  let app: FastifyInstance;
  let capture: CapturedLogger;

  beforeAll(async () => {
    ({ app, capture } = await buildApp());
  });

  afterAll(async () => {
    await app.close();
  });

  it('echoes an incoming x-request-id', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/widgets/w_1',
      headers: { 'x-request-id': 'checkout-7f3a' },
    });
    expect(response.headers['x-request-id']).toBe('checkout-7f3a');
    expect(response.json().error.requestId).toBe('checkout-7f3a');
  });

  it('generates a UUID when none is sent', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/live' });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replaces request id with invalid characters', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'id with spaces {}' },
    });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('binds the request id in request log lines', async () => {
    await app.inject({
      method: 'GET',
      url: '/widgets/w_2',
      headers: { 'x-request-id': 'bound-1' },
    });
    const lines = capture.lines.filter((line) => line.requestId === 'bound-1');
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request rejected', 'request completed']),
    );
  });
});
