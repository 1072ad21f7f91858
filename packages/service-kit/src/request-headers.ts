import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { clipHeaderValue, hasBody } from './request-body.js';

/** Node 20's test for a 100-continue expectation (`continueExpression` in `_http_server.js`). */
const CONTINUE_EXPECTATION = /(?:^|\W)100-continue(?:$|\W)/i;

/**
 * Rejects a request with more than one Host header with 400 `DUPLICATE_HOST_HEADER`, an HTTP/1.1
 * request without one with 400 `MISSING_HOST_HEADER`, and a request whose Expect header does not
 * request 100-continue with 417 `UNSUPPORTED_EXPECTATION`. All three have the shared error body.
 * Expect is ignored in HTTP/1.0 requests, which have no such header and no 1xx responses.
 *
 * Node 20 rejects both itself with an empty body. Its Host check must be turned off with the
 * server option `requireHostHeader: false`, which `createHttpApp` passes. A request with another
 * expectation reaches Node's `checkExpectation` event instead of `request`, so this listener
 * hands it to Fastify.
 */
export function installHeaderChecks(app: FastifyInstance): void {
  app.server.on('checkExpectation', (request, response) => app.routing(request, response));
  // With this listener Node no longer sends 100 Continue by itself. `sendContinue` sends it once
  // the request matched a route, so a client never sends a body that then gets a 404.
  app.server.on('checkContinue', (request, response) => app.routing(request, response));

  app.addHook('onRequest', async (request, reply) => {
    const hosts = hostHeaderCount(request);
    if (hosts > 1) {
      reply.header('connection', 'close');
      throw new AppError(
        'DUPLICATE_HOST_HEADER',
        `Request has ${hosts} Host headers; send exactly one Host header`,
        { statusCode: 400 },
      );
    }
    if (isHttp11(request) && request.headers.host === undefined) {
      // Node closes the connection after this 400 as well.
      reply.header('connection', 'close');
      throw new AppError(
        'MISSING_HOST_HEADER',
        "Host header is missing; every HTTP/1.1 request must have one, so send Host with the server's host name and port, such as Host: localhost:8080",
        { statusCode: 400 },
      );
    }

    const expectation = isHttp11(request) ? request.headers.expect : undefined;
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

/**
 * Sends the interim 100 Continue to a client that waits for it before sending its body. Install
 * it as a `preParsing` hook after the not-found handling, so that only a request for which a
 * route exists receives it.
 */
export async function sendContinue(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const expectation = request.headers.expect;
  if (expectation === undefined || !isHttp11(request) || !hasBody(request)) return;
  if (CONTINUE_EXPECTATION.test(expectation)) reply.raw.writeContinue();
}

/** Counts the Host header lines in the raw list, because Node keeps only the first in `headers`. */
function hostHeaderCount(request: FastifyRequest): number {
  const raw = request.raw.rawHeaders;
  let count = 0;
  for (let index = 0; index < raw.length; index += 2) {
    if (raw[index]!.toLowerCase() === 'host') count += 1;
  }
  return count;
}

function isHttp11(request: FastifyRequest): boolean {
  return request.raw.httpVersionMajor === 1 && request.raw.httpVersionMinor === 1;
}
