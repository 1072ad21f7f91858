import { formatFieldPath } from '@orderflow/contracts';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HTTPMethods,
} from 'fastify';
import { AppError, ProviderError, ValidationError, type FieldIssue } from './errors.js';
import { describeFastifyError, type ErrorReply } from './fastify-errors.js';
import { REQUEST_ID_HEADER } from './http-app.js';
import { hasBody } from './request-body.js';

/** The body of every error response. */
export interface ErrorResponseBody {
  error: {
    code: string;
    message: string;
    requestId: string;
    details?: Record<string, unknown>;
  };
}

/**
 * JSON Schema of `ErrorResponseBody`, for the error responses of route schemas, so that the
 * OpenAPI document shows them.
 */
export const errorResponseSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { type: 'string', examples: ['VALIDATION_FAILED'] },
        message: { type: 'string' },
        requestId: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
      },
    },
  },
} as const;

const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/** Prefix of issue paths for each request part, by Fastify's name for it. Body fields have none. */
const VALIDATION_PATH_PREFIX: Record<string, string> = {
  body: '',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

/**
 * Installs the error and not-found handlers, which give every error response the
 * `ErrorResponseBody` shape. Caller mistakes (4xx) are logged at warn. Faults are logged at error
 * with the error as `err`, and an unknown error reaches the client only as a generic message.
 *
 * A request that matches no route gets 404 `ROUTE_NOT_FOUND`, or 405 `METHOD_NOT_ALLOWED` with an
 * `Allow` header when its path has routes for other methods. Either is sent before the body is
 * read, so the body's size, media type and syntax do not change the response. Install this before
 * any other `preParsing` hook, so that those hooks do not run for unmatched requests.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const errorReply = toErrorReply(error, request);
    logError(request, error, errorReply);
    return sendError(request, reply, errorReply);
  });

  // Fastify runs the not-found handler after it has parsed the body with the parser for the
  // Content-Type, so without this hook an unmatched POST with invalid JSON would get 400. The
  // hook does not call `done` for such a request, which ends its lifecycle here.
  app.addHook('preParsing', (request, reply, payload, done) => {
    if (!request.is404) {
      done(null, payload);
      return;
    }
    // Node would otherwise read and discard the whole unread body to keep the connection.
    if (hasBody(request)) reply.header('connection', 'close');
    void sendRouteNotFound(request, reply);
  });

  // Reached only through `reply.callNotFound()`, because the hook above responds to every request
  // that matches no route.
  app.setNotFoundHandler(sendRouteNotFound);
}

function sendRouteNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0];
  const allowedMethods = allowedMethodsOf(request);
  // A route handler that calls `reply.callNotFound()` reaches here with a method that has a
  // route, which gets 404.
  if (allowedMethods.length === 0 || allowedMethods.includes(request.method)) {
    const errorReply = {
      statusCode: 404,
      code: 'ROUTE_NOT_FOUND',
      message: `Route ${request.method} ${path} not found`,
    };
    request.log.warn({ code: errorReply.code, statusCode: 404 }, 'route not found');
    return sendError(request, reply, errorReply);
  }

  const last = allowedMethods.at(-1);
  const choices =
    allowedMethods.length === 1 ? last : `${allowedMethods.slice(0, -1).join(', ')} or ${last}`;
  const errorReply = {
    statusCode: 405,
    code: 'METHOD_NOT_ALLOWED',
    message: `Method ${request.method} is not allowed on ${path}; use ${choices}`,
  };
  request.log.warn({ code: errorReply.code, statusCode: 405 }, 'method not allowed');
  reply.header('allow', allowedMethods.join(', '));
  return sendError(request, reply, errorReply);
}

/** Returns the methods that have a route matching the request's path, in Fastify's order. */
function allowedMethodsOf(request: FastifyRequest): string[] {
  const app = request.server;
  return app.supportedMethods.filter(
    (method) => app.findRoute({ method: method as HTTPMethods, url: request.url }) !== null,
  );
}

/**
 * Sends the error response for the errors that Fastify raises before routing, through its
 * `frameworkErrors` option: invalid percent-encoding in the URL path, path parameters over
 * `maxParamLength` and failed asynchronous route constraints. Fastify skips the `onRequest` hooks for these requests, so the request id
 * header is set here.
 */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  reply.header(REQUEST_ID_HEADER, request.id);
  const errorReply = toErrorReply(error, request);
  logError(request, error, errorReply);
  return sendError(request, reply, errorReply);
}

function toErrorReply(error: FastifyError, request: FastifyRequest): ErrorReply {
  if (error.validation !== undefined) {
    const issues = error.validation.map((item) => toFieldIssue(item, error.validationContext));
    const validationError = new ValidationError(issues);
    return fromAppError(validationError);
  }
  if (error instanceof AppError) return fromAppError(error);

  const fastifyReply = describeFastifyError(error, request);
  if (fastifyReply !== undefined) return fastifyReply;

  // Other Fastify errors for malformed requests carry an FST_ code and a 4xx status, and their
  // messages are safe to return.
  const statusCode = error.statusCode ?? 500;
  const isFastifyError = typeof error.code === 'string' && error.code.startsWith('FST_');
  if (isFastifyError && statusCode >= 400 && statusCode < 500) {
    return { statusCode, code: error.code, message: error.message };
  }
  return { statusCode: 500, code: 'INTERNAL_ERROR', message: INTERNAL_ERROR_MESSAGE };
}

function fromAppError(error: AppError): ErrorReply {
  if (error instanceof ValidationError) {
    return {
      statusCode: error.statusCode,
      code: error.code,
      message: error.message,
      details: { issues: error.issues },
    };
  }
  // A provider's own message may name hosts or internal codes, so clients get the sentence
  // written for customers.
  const message = error instanceof ProviderError ? error.customerMessage : error.message;
  return { statusCode: error.statusCode, code: error.code, message, details: error.details };
}

type AjvError = NonNullable<FastifyError['validation']>[number];

function toFieldIssue(item: AjvError, context: string | undefined): FieldIssue {
  const segments = item.instancePath.split('/').slice(1).map(decodePointerSegment);
  const missing = item.params.missingProperty;
  if (item.keyword === 'required' && typeof missing === 'string') segments.push(missing);

  const prefix = VALIDATION_PATH_PREFIX[context ?? 'body'] ?? context ?? '';
  const path = formatFieldPath(prefix === '' ? segments : [prefix, ...segments]);
  const message = item.keyword === 'required' ? 'is required' : (item.message ?? 'is invalid');
  return { path, message };
}

/** Undoes JSON Pointer escaping (RFC 6901): `~1` is `/` and `~0` is `~`. */
function decodePointerSegment(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

function logError(request: FastifyRequest, error: Error, errorReply: ErrorReply): void {
  const { statusCode, code } = errorReply;
  if (statusCode < 500) {
    request.log.warn({ code, statusCode, reason: errorReply.message }, 'request rejected');
    return;
  }
  request.log.error({ err: error, code, statusCode }, 'request failed');
}

function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  errorReply: ErrorReply,
): FastifyReply {
  const body: ErrorResponseBody = {
    error: {
      code: errorReply.code,
      message: errorReply.message,
      requestId: request.id,
      ...(errorReply.details === undefined ? {} : { details: errorReply.details }),
    },
  };
  return reply.code(errorReply.statusCode).send(body);
}
