import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpApp } from '../src/http-app.js';
import { captureLogger, type CapturedLogger } from './support/capture-logger.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A raw HTTP/1.1 response, split into status code, lower-case headers and body. */
interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

async function buildApp(): Promise<{ app: FastifyInstance; capture: CapturedLogger }> {
  const capture = captureLogger('widgets');
  const app = await createHttpApp({
    service: 'widgets',
    version: '1.0.0',
    description: 'Test service',
    logger: capture.logger,
  });
  app.post('/widgets', async (request, reply) => reply.code(201).send({ received: request.body }));
  app.get('/widgets/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  app.get('/hidden', async (_request, reply) => reply.callNotFound());
  await app.ready();
  return { app, capture };
}

/**
 * Sends `request` as it is over a new TCP connection and resolves with the raw response when
 * the server closes the connection. With `closeAfterWrite`, the client closes its side right
 * after writing, as a client that gives up in the middle of a body does.
 */
function sendRaw(port: number, request: string, closeAfterWrite = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(request, () => {
        if (closeAfterWrite) socket.destroy();
      });
    });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

function parseRawResponse(text: string): RawResponse {
  const [head = '', body = ''] = text.split('\r\n\r\n', 2);
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { statusCode: Number(statusLine.split(' ')[1]), headers, body };
}

describe('malformed URLs', () => {
  let app: FastifyInstance;
  let capture: CapturedLogger;

  beforeAll(async () => {
    ({ app, capture } = await buildApp());
  });

  afterAll(async () => {
    await app.close();
  });

  it('rejects invalid percent-encoding with 400', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/widgets/%E0%A4%A',
      headers: { 'x-request-id': 'req-bad-url-1' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.headers['x-request-id']).toBe('req-bad-url-1');
    expect(response.json()).toEqual({
      error: {
        code: 'INVALID_URL',
        message: expect.stringContaining('URL path contains invalid percent-encoding'),
        requestId: 'req-bad-url-1',
      },
    });
    expect(response.json().error.message).toContain('%C3%A9');
  });

  it('logs a rejected URL at warn', async () => {
    await app.inject({
      method: 'GET',
      url: '/widgets/%zz',
      headers: { 'x-request-id': 'req-bad-url-2' },
    });

    const [line] = capture
      .withMessage('request rejected')
      .filter((logLine) => logLine.requestId === 'req-bad-url-2');
    expect(line?.level).toBe('warn');
    expect(line?.code).toBe('INVALID_URL');
  });

  it('rejects an over-long path parameter with 414', async () => {
    const response = await app.inject({ method: 'GET', url: `/widgets/${'w'.repeat(101)}` });

    expect(response.statusCode).toBe(414);
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(response.json().error).toEqual({
      code: 'PATH_PARAMETER_TOO_LONG',
      message: 'A path parameter of the URL is longer than 100 characters; check the id in the URL',
      requestId: response.headers['x-request-id'],
    });
  });

  it('accepts a path parameter of 100 characters', async () => {
    const id = 'w'.repeat(100);
    const response = await app.inject({ method: 'GET', url: `/widgets/${id}` });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id });
  });
});

describe('request bodies', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    ({ app } = await buildApp());
  });

  afterAll(async () => {
    await app.close();
  });

  it('rejects JSON sent as text/plain with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      payload: '{"name":"bolt"}',
    });

    expect(response.statusCode).toBe(415);
    expect(response.json().error).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Content-Type text/plain is not supported; send the body as application/json',
    });
  });

  it('rejects a body without Content-Type with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      payload: Buffer.from('{"name":"bolt"}'),
    });

    expect(response.statusCode).toBe(415);
    expect(response.json().error.message).toBe(
      'Content-Type header is missing; send the body as application/json',
    );
  });

  it('rejects an unparseable Content-Type with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': '/////' },
      payload: '{"name":"bolt"}',
    });

    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects a gzip body with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync('{"name":"bolt"}'),
    });

    expect(response.statusCode).toBe(415);
    expect(response.headers['accept-encoding']).toBe('identity');
    expect(response.json().error).toMatchObject({
      code: 'UNSUPPORTED_CONTENT_ENCODING',
      message:
        'Content-Encoding gzip is not supported; send the body uncompressed and without a Content-Encoding header',
    });
  });

  it('names every coding of a stacked Content-Encoding', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json', 'content-encoding': 'deflate, BR' },
      payload: 'x',
    });

    expect(response.statusCode).toBe(415);
    expect(response.json().error.message).toMatch(/^Content-Encoding deflate, br is not supported/);
  });

  it('accepts Content-Encoding identity', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
      payload: '{"name":"bolt"}',
    });

    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ received: { name: 'bolt' } });
  });

  it('rejects truncated JSON with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'INVALID_JSON',
      message:
        'Request body is not valid JSON (the body ends before the JSON document is complete); send one JSON document encoded as UTF-8',
    });
  });

  it('gives the position of a JSON syntax error', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"bolt",}',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/ at position 15\); send one JSON document/);
  });

  it('does not quote the body in a JSON error', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '{"note":"4242424242424242", "name": bolt}',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('unexpected character "b"');
    expect(response.body).not.toContain('4242');
  });

  it('rejects an empty JSON body with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_JSON');
    expect(response.json().error.message).toMatch(/^Request body is empty but Content-Type is/);
  });

  it('rejects a __proto__ key with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"bolt","__proto__":{"admin":true}}',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_JSON');
    expect(response.json().error.message).toContain('"__proto__"');
  });

  it('rejects a body over the limit with 413', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(1_048_576) }),
    });

    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({
      code: 'BODY_TOO_LARGE',
      message: 'Request body is larger than the limit of 1048576 bytes; send a smaller body',
    });
  });

  it('rejects a duplicate key with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '{"orderId":"A","orderId":"B"}',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({
      code: 'DUPLICATE_JSON_KEY',
      message:
        'Request body contains the key "orderId" more than once in the same object; send each field once',
      requestId: response.headers['x-request-id'],
      details: { path: 'orderId' },
    });
  });

  it('names the path of a nested duplicate key', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '{"lines":[{"sku":"a"},{"sku":"b","qty":1,"sku":"c"}]}',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('DUPLICATE_JSON_KEY');
    expect(response.json().error.details).toEqual({ path: 'lines.1.sku' });
    expect(response.json().error.message).toContain('"lines.1.sku"');
  });

  it('quotes a duplicate key containing a dot', async () => {
    const dotted = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"bolt","parts":{"a.b":1,"a.b":2}}',
    });
    const nested = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"bolt","parts":{"a":{"b":1,"b":2}}}',
    });

    expect(dotted.json().error.details).toEqual({ path: 'parts["a.b"]' });
    expect(nested.json().error.details).toEqual({ path: 'parts.a.b' });
  });

  it('accepts the same key in different objects', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"bolt","parts":[{"name":"nut"},{"name":"washer"}]}',
    });

    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      received: { name: 'bolt', parts: [{ name: 'nut' }, { name: 'washer' }] },
    });
  });

  it('checks duplicate keys after the __proto__ check', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: '{"__proto__":{},"__proto__":{}}',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_JSON');
  });

  it('rejects bytes that are not UTF-8 with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.concat([
        Buffer.from('{"name":"Mess'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}'),
      ]),
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_UTF8');
  });

  it('rejects a charset other than UTF-8 with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json; charset=latin1' },
      payload: '{"name":"first"}',
    });

    expect(response.statusCode).toBe(415);
    expect(response.json().error.message).toContain('charset latin1 is not supported');
  });

  it('accepts an explicit UTF-8 charset and multi-byte text', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      payload: Buffer.from('{"name":"Crème brûlée ☕"}', 'utf8'),
    });

    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ received: { name: 'Crème brûlée ☕' } });
  });
});

describe('unmatched requests', () => {
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    ({ app } = await buildApp());
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app.close();
  });

  it('returns 404 before parsing the body', async () => {
    const request =
      'POST /nowhere HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      'Content-Length: 8\r\n\r\n{"name":';
    const response = parseRawResponse(await sendRaw(port, request));

    expect(response.statusCode).toBe(404);
    expect(response.headers['connection']).toBe('close');
    expect(JSON.parse(response.body).error).toEqual({
      code: 'ROUTE_NOT_FOUND',
      message: 'Route POST /nowhere not found',
      requestId: response.headers['x-request-id'],
    });
  });

  it('returns 405 before parsing the body', async () => {
    const request =
      'POST /widgets/w_1?page=2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      'Content-Length: 8\r\n\r\n{"name":';
    const response = parseRawResponse(await sendRaw(port, request));

    expect(response.statusCode).toBe(405);
    expect(response.headers['allow']).toBe('GET, HEAD');
    expect(JSON.parse(response.body).error).toEqual({
      code: 'METHOD_NOT_ALLOWED',
      message: 'Method POST is not allowed on /widgets/w_1; use GET or HEAD',
      requestId: response.headers['x-request-id'],
    });
  });

  it('returns 404 for an oversized body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/nowhere',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(1_048_576) }),
    });

    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('returns 404 for unsupported media types', async () => {
    const cases = [
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      { 'content-type': 'application/json; charset=latin1' },
    ];
    for (const headers of cases) {
      const response = await app.inject({
        method: 'PUT',
        url: '/nowhere',
        headers,
        payload: 'x',
      });
      expect(response.statusCode, JSON.stringify(headers)).toBe(404);
    }
  });

  it('lists a single allowed method', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/widgets' });

    expect(response.statusCode).toBe(405);
    expect(response.headers['allow']).toBe('POST');
    expect(response.json().error.message).toBe(
      'Method DELETE is not allowed on /widgets; use POST',
    );
  });

  it('keeps 404 for callNotFound', async () => {
    const response = await app.inject({ method: 'GET', url: '/hidden' });

    expect(response.statusCode).toBe(404);
    expect(response.headers['allow']).toBeUndefined();
    expect(response.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('rejects invalid JSON on a route', async () => {
    const request =
      'POST /widgets HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      'Content-Length: 8\r\n\r\n{"name":';
    const response = parseRawResponse(await sendRaw(port, request));

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).error.code).toBe('INVALID_JSON');
  });
});

describe('requests that Node rejects before Fastify', () => {
  let app: FastifyInstance;
  let capture: CapturedLogger;
  let port: number;

  beforeAll(async () => {
    ({ app, capture } = await buildApp());
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers oversized headers with 431 and the error body', async () => {
    const request = `GET /widgets/w_1 HTTP/1.1\r\nHost: localhost\r\nCookie: ${'c'.repeat(20_000)}\r\n\r\n`;
    const response = parseRawResponse(await sendRaw(port, request));

    expect(response.statusCode).toBe(431);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(JSON.parse(response.body)).toEqual({
      error: {
        code: 'HEADERS_TOO_LARGE',
        message:
          'The request line and headers together are larger than 16384 bytes; send a shorter URL or fewer and shorter headers, such as smaller cookies',
        requestId: response.headers['x-request-id'],
      },
    });
  });

  it('logs oversized headers at warn', async () => {
    const request = `GET /widgets/w_1 HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'p'.repeat(20_000)}\r\n\r\n`;
    const response = parseRawResponse(await sendRaw(port, request));
    const requestId = response.headers['x-request-id'];

    const [line] = capture
      .withMessage('request rejected')
      .filter((logLine) => logLine.requestId === requestId);
    expect(line?.level).toBe('warn');
    expect(line?.code).toBe('HEADERS_TOO_LARGE');
    expect(line?.statusCode).toBe(431);
  });

  it('answers an invalid request line with 400 and the error body', async () => {
    const response = parseRawResponse(await sendRaw(port, 'HELLO\r\n\r\n'));

    expect(response.statusCode).toBe(400);
    expect(response.headers['connection']).toBe('close');
    expect(JSON.parse(response.body).error).toMatchObject({
      code: 'MALFORMED_REQUEST',
      message:
        'The request is not valid HTTP/1.1 (HPE_INVALID_METHOD); check the request line and headers that the client sends',
    });
  });

  it('rejects a missing Host with 400', async () => {
    const response = parseRawResponse(await sendRaw(port, 'GET /widgets/w_1 HTTP/1.1\r\n\r\n'));

    expect(response.statusCode).toBe(400);
    expect(response.headers['connection']).toBe('close');
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(JSON.parse(response.body)).toEqual({
      error: {
        code: 'MISSING_HOST_HEADER',
        message:
          "Host header is missing; every HTTP/1.1 request must have one, so send Host with the server's host name and port, such as Host: localhost:8080",
        requestId: response.headers['x-request-id'],
      },
    });
  });

  it('logs a request without Host at warn', async () => {
    const request = 'GET /widgets/w_1 HTTP/1.1\r\nX-Request-Id: req-no-host-1\r\n\r\n';
    await sendRaw(port, request);

    const [line] = capture
      .withMessage('request rejected')
      .filter((logLine) => logLine.requestId === 'req-no-host-1');
    expect(line?.level).toBe('warn');
    expect(line?.code).toBe('MISSING_HOST_HEADER');
  });

  it('accepts an HTTP/1.0 request without Host', async () => {
    const response = parseRawResponse(await sendRaw(port, 'GET /widgets/w_1 HTTP/1.0\r\n\r\n'));

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ id: 'w_1' });
  });

  it('rejects an unsupported Expect with 417', async () => {
    const request =
      'GET /widgets/w_1 HTTP/1.1\r\nHost: localhost\r\nExpect: foo\r\nConnection: close\r\n\r\n';
    const response = parseRawResponse(await sendRaw(port, request));

    expect(response.statusCode).toBe(417);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(response.body)).toEqual({
      error: {
        code: 'UNSUPPORTED_EXPECTATION',
        message:
          'Expect "foo" is not supported, because 100-continue is the only supported expectation; send Expect: 100-continue or leave out the Expect header',
        requestId: response.headers['x-request-id'],
      },
    });
  });

  it('closes the connection after a 417 with an unread body', async () => {
    const request =
      'POST /widgets HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      'Content-Length: 15\r\nExpect: 200-ok\r\n\r\n';
    const response = parseRawResponse(await sendRaw(port, request));

    expect(response.statusCode).toBe(417);
    expect(response.headers['connection']).toBe('close');
    expect(JSON.parse(response.body).error.code).toBe('UNSUPPORTED_EXPECTATION');
  });

  it('accepts Expect: 100-continue', async () => {
    const request =
      'POST /widgets HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      'Content-Length: 15\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n{"name":"bolt"}';
    const raw = await sendRaw(port, request);

    expect(raw).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
    const response = parseRawResponse(raw.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, ''));
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toEqual({ received: { name: 'bolt' } });
  });

  // HTTP/1.0 has no Expect header and no 1xx responses, so the server ignores Expect there.
  it('ignores Expect in HTTP/1.0 requests', async () => {
    const request =
      'POST /widgets HTTP/1.0\r\nContent-Type: application/json\r\n' +
      'Content-Length: 15\r\nExpect: 100-continue\r\n\r\n{"name":"bolt"}';
    const raw = await sendRaw(port, request);

    expect(raw).not.toContain('100 Continue');
    expect(parseRawResponse(raw).statusCode).toBe(201);

    const other = 'GET /widgets/w_1 HTTP/1.0\r\nExpect: foo\r\n\r\n';
    expect(parseRawResponse(await sendRaw(port, other)).statusCode).toBe(200);
  });

  it('sends 100 Continue before it reads the body of a routed request', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      let received = '';
      let bodySent = false;
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          'POST /widgets HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
            'Content-Length: 15\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n',
        );
      });
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('utf8');
        if (!bodySent && received.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) {
          bodySent = true;
          socket.write('{"name":"bolt"}');
        }
      });
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });

    expect(raw).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
    const response = parseRawResponse(raw.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, ''));
    expect(response.statusCode).toBe(201);
  });

  it('answers an unrouted request that expects 100-continue without asking for its body', async () => {
    const request =
      'POST /nowhere HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      'Content-Length: 15\r\nExpect: 100-continue\r\n\r\n';
    const raw = await sendRaw(port, request);

    expect(raw).not.toContain('100 Continue');
    const response = parseRawResponse(raw);
    expect(response.statusCode).toBe(404);
    expect(response.headers['connection']).toBe('close');
  });

  it('rejects two Host headers with 400', async () => {
    const request = 'GET /widgets/w_1 HTTP/1.1\r\nHost: localhost\r\nHost: example.test\r\n\r\n';
    const response = parseRawResponse(await sendRaw(port, request));

    expect(response.statusCode).toBe(400);
    expect(response.headers['connection']).toBe('close');
    expect(JSON.parse(response.body).error).toMatchObject({
      code: 'DUPLICATE_HOST_HEADER',
      message: 'Request has 2 Host headers; send exactly one Host header',
    });
  });

  it('logs a body cut short by the client at warn', async () => {
    const request =
      'POST /widgets HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      'Content-Length: 40\r\nX-Request-Id: req-aborted-1\r\n\r\n{"name":';
    await sendRaw(port, request, true);

    await vi.waitFor(
      () => {
        const lines = capture.lines.filter((logLine) => logLine.requestId === 'req-aborted-1');
        expect(lines.map((logLine) => logLine.code)).toContain('REQUEST_ABORTED');
      },
      { timeout: 10_000, interval: 50 },
    );
    const lines = capture.lines.filter((logLine) => logLine.requestId === 'req-aborted-1');
    expect(lines.filter((logLine) => logLine.level === 'error')).toEqual([]);
  }, 20_000);
});
