import { randomUUID } from 'node:crypto';
import { STATUS_CODES, maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError } from 'fastify';
import type { ErrorResponseBody } from './error-handler.js';
import type { ErrorReply } from './fastify-errors.js';
import type { Logger } from './logger.js';

/** Error codes of a connection that the client reset or closed before the request was complete. */
const CLIENT_GONE_CODES = new Set(['ECONNRESET', 'HPE_INVALID_EOF_STATE']);

/**
 * Creates the handler of the HTTP server's `clientError` event, which Node emits when its HTTP
 * parser rejects a request before Fastify receives it, such as headers over `http.maxHeaderSize`
 * (431). The handler writes the shared error body with a new request id straight to the socket,
 * logs the rejection at warn and closes the connection, as Node's own handler does.
 */
export function createClientErrorHandler(
  logger: Logger,
): (error: ConnectionError, socket: Socket) => void {
  return (error, socket) => {
    // The client reset or closed the connection in the middle of a request, so no response is
    // sent. Node leaves the socket open when a `clientError` listener exists, and destroying
    // it aborts a request that Fastify already has, whose error handler logs REQUEST_ABORTED.
    if (CLIENT_GONE_CODES.has(error.code) || socket.destroyed) {
      socket.destroy();
      return;
    }

    const requestId = randomUUID();
    const errorReply = describeClientError(error);
    logger.warn(
      {
        requestId,
        code: errorReply.code,
        statusCode: errorReply.statusCode,
        reason: error.message,
      },
      'request rejected',
    );

    if (socket.writable) socket.write(formatResponse(errorReply, requestId));
    socket.destroy();
  };
}

function describeClientError(error: ConnectionError): ErrorReply {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        statusCode: 431,
        code: 'HEADERS_TOO_LARGE',
        message: `The request line and headers together are larger than ${maxHeaderSize} bytes; send a shorter URL or fewer and shorter headers, such as smaller cookies`,
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        statusCode: 413,
        code: 'CHUNK_EXTENSIONS_TOO_LARGE',
        message:
          'Chunk extensions of the request body are too large; send chunks without extensions',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        statusCode: 408,
        code: 'REQUEST_TIMEOUT',
        message: 'The request was not received completely in time; send it again',
      };
    default:
      return {
        statusCode: 400,
        code: 'MALFORMED_REQUEST',
        message: `The request is not valid HTTP/1.1 (${error.code}); check the request line and headers that the client sends`,
      };
  }
}

function formatResponse(errorReply: ErrorReply, requestId: string): string {
  const body: ErrorResponseBody = {
    error: { code: errorReply.code, message: errorReply.message, requestId },
  };
  const text = JSON.stringify(body);
  return [
    `HTTP/1.1 ${errorReply.statusCode} ${STATUS_CODES[errorReply.statusCode] ?? ''}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(text)}`,
    `x-request-id: ${requestId}`,
    'connection: close',
    '',
    text,
  ].join('\r\n');
}
