import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../src/errors.js';
import { createHttpApp } from '../src/http-app.js';
import { captureLogger, type CapturedLogger } from './support/capture-logger.js';

const CARD = '4242424242424242';
const SPACED_CARD_DIGITS = /4111[ -]?1111[ -]?1111[ -]?1111/;

describe('card numbers in requests', () => {
  let app: FastifyInstance;
  let capture: CapturedLogger;

  beforeAll(async () => {
    capture = captureLogger('widgets');
    app = await createHttpApp({
      service: 'widgets',
      version: '1.0.0',
      description: 'Test service',
      logger: capture.logger,
    });
    app.get('/widgets/:id', async (request) => {
      throw new NotFoundError('widget', (request.params as { id: string }).id);
    });
    app.post('/widgets', async (request, reply) => reply.code(201).send(request.body));
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['in a path parameter', `/widgets/${CARD}`],
    ['with dashes', '/widgets/4242-4242-4242-4242'],
    ['percent-encoded', `/widgets/${[...CARD].map((digit) => `%3${digit}`).join('')}`],
    ['in the query string', `/widgets/w-1?card=${CARD}`],
    ['on an unknown route', `/gadgets/${CARD}`],
  ])('rejects a card number %s without repeating it', async (_case, url) => {
    const response = await app.inject({ method: 'GET', url });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('CARD_NUMBER_IN_URL');
    expect(response.body).not.toMatch(/4242.?4242/);
  });

  it('keeps card numbers out of the log lines', async () => {
    await app.inject({ method: 'GET', url: `/widgets/${CARD}` });

    const logged = JSON.stringify(capture.lines);
    expect(logged).not.toContain(CARD);
    expect(logged).toContain('/widgets/[card number]');
  });

  // A duplicate-key error repeats the key path in its message, details.path and the warn log.
  it('redacts a card number key', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '{"cards":{"4111 1111 1111 1111":"a","4111 1111 1111 1111":"b"}}',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('DUPLICATE_JSON_KEY');
    expect(response.body).not.toMatch(SPACED_CARD_DIGITS);
    const logged = capture.lines.filter((line) => SPACED_CARD_DIGITS.test(JSON.stringify(line)));
    expect(logged).toEqual([]);
  });

  it('passes ordinary ids to the route', async () => {
    const response = await app.inject({ method: 'GET', url: '/widgets/US-2019-103800.run1' });

    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toBe('widget US-2019-103800.run1 was not found');
  });
});
