import type { FastifyError, FastifyRequest } from 'fastify';
import { clipHeaderValue, JSON_MEDIA_TYPE } from './request-body.js';

/** Maximum length of one path parameter, such as an order id, in characters. */
export const MAX_PATH_PARAMETER_LENGTH = 100;

/** Status, code and message of an error response. */
export interface ErrorReply {
  statusCode: number;
  code: string;
  message: string;
  details?: Record<string, unknown> | undefined;
}

type Describe = (request: FastifyRequest) => Omit<ErrorReply, 'statusCode'>;

/**
 * Status and error reply for each error that Fastify raises about a malformed request, by Fastify
 * error code. Fastify 5's own messages name the failed check but not the fix.
 */
const FASTIFY_ERRORS: Record<string, { statusCode: number; describe: Describe }> = {
  FST_ERR_BAD_URL: {
    statusCode: 400,
    describe: () => ({
      code: 'INVALID_URL',
      message:
        'URL path contains invalid percent-encoding; encode each reserved or non-ASCII character as %XX bytes of its UTF-8 form, such as %C3%A9 for é',
    }),
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    statusCode: 414,
    describe: () => ({
      code: 'PATH_PARAMETER_TOO_LONG',
      message: `A path parameter of the URL is longer than ${MAX_PATH_PARAMETER_LENGTH} characters; check the id in the URL`,
    }),
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    statusCode: 415,
    describe: (request) => ({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: describeUnsupportedMediaType(request.headers['content-type']),
    }),
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    statusCode: 400,
    describe: () => ({
      code: 'INVALID_JSON',
      message: `Request body is empty but Content-Type is ${JSON_MEDIA_TYPE}; send a JSON document, or leave out the Content-Type header when there is no body`,
    }),
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    statusCode: 400,
    describe: () => ({
      code: 'INVALID_JSON',
      message: 'Request body is not valid JSON; send one JSON document encoded as UTF-8',
    }),
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    statusCode: 413,
    describe: (request) => ({
      code: 'BODY_TOO_LARGE',
      message: `Request body is larger than the limit of ${request.routeOptions.bodyLimit} bytes; send a smaller body`,
    }),
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    statusCode: 400,
    describe: () => ({
      code: 'CONTENT_LENGTH_MISMATCH',
      message:
        'Request body length does not match the Content-Length header; send the body length in bytes, or leave the header out and send the body chunked',
    }),
  },
};

/**
 * Returns the error reply for an error that Fastify raised about a malformed request, or
 * undefined for any other error. A client that closed the connection before the body was complete
 * gets 400 `REQUEST_ABORTED`. The client never receives it, but the log line stays at warn.
 */
export function describeFastifyError(
  error: FastifyError,
  request: FastifyRequest,
): ErrorReply | undefined {
  const known = Object.hasOwn(FASTIFY_ERRORS, error.code) ? FASTIFY_ERRORS[error.code] : undefined;
  if (known !== undefined) return { statusCode: known.statusCode, ...known.describe(request) };

  if (error.code === 'ECONNRESET' && request.raw.readableAborted) {
    return {
      statusCode: 400,
      code: 'REQUEST_ABORTED',
      message: 'The client closed the connection before the request body was complete',
    };
  }
  return undefined;
}

function describeUnsupportedMediaType(contentType: string | undefined): string {
  const fix = `send the body as ${JSON_MEDIA_TYPE}`;
  if (contentType === undefined) return `Content-Type header is missing; ${fix}`;
  const mediaType = clipHeaderValue(contentType.split(';')[0]?.trim() ?? '');
  return `Content-Type ${mediaType || '(empty)'} is not supported; ${fix}`;
}
