import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { clipHeaderValue, hasBody } from './request-body.js';

/** Node 20's test for a 100-continue expectation (`continueExpression` in `_http_server.js`). */
const CONTINUE_EXPECTATION = /(?:^|\W)100-continue(?:$|\W)/i;

/**
 * Rejects an HTTP/1.1 request without a Host header with 400 `MISSING_HOST_HEADER`, and a
 * request whose Expect header does not request 100-continue with 417 `UNSUPPORTED_EXPECTATION`.
 * Both responses have the shared error body.
 *
 * Node 20 rejects both itself with an empty body. Its Host check must be turned off with the
 * server option `requireHostHeader: false`, which `createHttpApp` passes. A request with another
 * expectation reaches Node's `checkExpectation` event instead of `request`, so this listener
 * hands it to Fastify.
 */
export function installHeaderChecks(app: FastifyInstance): void {
  app.server.on('checkExpectation', (request, response) => app.routing(request, response));

  app.addHook('onRequest', async (request, reply) => {
    if (isHttp11(request) && request.headers.host === undefined) {
      // Node closes the connection after this 400 as well.
      reply.header('connection', 'close');
      throw new AppError(
        'MISSING_HOST_HEADER',
        "Host header is missing; every HTTP/1.1 request must have one, so send Host with the server's host name and port, such as Host: localhost:8080",
        { statusCode: 400 },
      );
    }

    const expectation = request.headers.expect;
    if (expectation !== undefined && !CONTINUE_EXPECTATION.test(expectation)) {
      // Node would keep the connection and wait for the unread body to discard it, so a client
      // that drops the body after the 417 would have its next request read as that body.
      if (hasBody(request)) reply.header('connection', 'close');
      throw new AppError(
        'UNSUPPORTED_EXPECTATION',
        `Expect ${JSON.stringify(clipHeaderValue(expectation))} is not supported, because 100-continue is the only supported expectation; send Expect: 100-continue or leave out the Expect header`,
        { statusCode: 417 },
      );
    }
  });
}

function isHttp11(request: FastifyRequest): boolean {
  return request.raw.httpVersionMajor === 1 && request.raw.httpVersionMinor === 1;
}
