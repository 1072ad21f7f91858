import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../src/http-app.js';
import { captureLogger, type CapturedLogger } from './support/capture-logger.js';

const CARD_DIGITS = /4111[ -]?1111[ -]?1111[ -]?1111/;

describe('duplicate JSON key errors', () => {
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
    app.post('/widgets', async (request, reply) => reply.code(201).send(request.body));
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
  });

  // The key path goes into the message, details.path and the warn log line, so a card number
  // used as a key is redacted there, as card numbers in URLs are.
  it('redacts a card number key', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '{"cards":{"4111 1111 1111 1111":"a","4111 1111 1111 1111":"b"}}',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('DUPLICATE_JSON_KEY');
    expect(response.body).not.toMatch(CARD_DIGITS);
    const logged = capture.lines.filter((line) => CARD_DIGITS.test(JSON.stringify(line)));
    expect(logged).toEqual([]);
  });
});
