import { formatFieldPath, redactCardNumbers } from '@orderflow/contracts';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { findDuplicateKey, type JsonPath } from './json-duplicate-keys.js';

/** The only request body media type that apps of `createHttpApp` parse. */
export const JSON_MEDIA_TYPE = 'application/json';

/** V8's `JSON.parse` messages end with the offset of the error, such as `... in JSON at position 7`. */
const JSON_ERROR_AT_POSITION = /^(.+) in JSON at position (\d+)/;

/** Decoder that throws on bytes that are not UTF-8, instead of replacing them with U+FFFD. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** V8's message for a character that cannot start a value, such as `Unexpected token 'x', ...`. */
const UNEXPECTED_TOKEN = /^Unexpected token '(.)'/u;

/**
 * Configures request body parsing so that only `application/json` bodies in UTF-8 are parsed.
 * A `Content-Encoding` other than `identity` or a charset other than UTF-8 gets 415. Bytes that
 * are not UTF-8 get 400, and so does invalid JSON, with the position where parsing failed. A
 * body in which one object has the same key twice gets 400 `DUPLICATE_JSON_KEY` with the key's
 * path, because `JSON.parse` would silently keep only the last value.
 *
 * Fastify's `text/plain` parser is removed, so a JSON document sent as `text/plain` gets 415
 * instead of reaching a handler as a string.
 */
export function installBodyParsing(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');

  // Fastify's own parser keeps its prototype poisoning checks. Its error does not tell why the
  // body is invalid, so a rejected body is parsed again with JSON.parse to find the cause.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'buffer' }, (request, body, done) => {
    const charset = charsetOf(request);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      done(
        new AppError(
          'UNSUPPORTED_CHARSET',
          `charset ${clipHeaderValue(charset)} is not supported; send the body as UTF-8 (Content-Type: application/json; charset=utf-8)`,
          { statusCode: 415 },
        ),
        undefined,
      );
      return;
    }
    let text: string;
    try {
      text = typeof body === 'string' ? body : STRICT_UTF8.decode(body);
    } catch {
      done(
        new AppError(
          'INVALID_UTF8',
          'the body is not valid UTF-8; send JSON text encoded as UTF-8',
          {
            statusCode: 400,
          },
        ),
        undefined,
      );
      return;
    }
    parseJson(request, text, (error, value) => {
      if (isFastifyError(error, 'FST_ERR_CTP_INVALID_JSON_BODY')) {
        done(invalidJsonError(text), undefined);
        return;
      }
      if (error !== null) {
        done(error, undefined);
        return;
      }
      // The check relies on the text being valid JSON, so it runs only after parsing succeeded.
      const duplicatePath = findDuplicateKey(text, value);
      if (duplicatePath !== undefined) {
        done(duplicateKeyError(duplicatePath), undefined);
        return;
      }
      done(null, value);
    });
  });

  app.addHook('preParsing', async (request, reply, payload) => {
    const encoding = contentEncodingOf(request);
    if (encoding !== undefined && hasBody(request)) {
      // RFC 9110 section 12.5.3: a 415 for an unsupported content coding should list the
      // accepted codings in Accept-Encoding.
      reply.header('accept-encoding', 'identity');
      throw new AppError(
        'UNSUPPORTED_CONTENT_ENCODING',
        `Content-Encoding ${encoding} is not supported; send the body uncompressed and without a Content-Encoding header`,
        { statusCode: 415 },
      );
    }
    return payload;
  });
}

function isFastifyError(error: Error | null, code: string): boolean {
  return error !== null && (error as Partial<FastifyError>).code === code;
}

/** Returns the request's content codings, or undefined when it has none besides `identity`. */
function contentEncodingOf(request: FastifyRequest): string | undefined {
  const header = request.headers['content-encoding'];
  if (header === undefined) return undefined;
  const codings = header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  return codings.length === 0 ? undefined : clipHeaderValue(codings.join(', '));
}

/** Returns the lower-case `charset` parameter of the request's Content-Type, if it has one. */
function charsetOf(request: FastifyRequest): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(request.headers['content-type'] ?? '');
  return match?.[1]?.toLowerCase();
}

/** Tells whether a request has a body, by the same rule that Fastify's body parsing uses. */
export function hasBody(request: FastifyRequest): boolean {
  const contentLength = request.headers['content-length'];
  const transferEncoding = request.headers['transfer-encoding'];
  return transferEncoding !== undefined || (contentLength !== undefined && contentLength !== '0');
}

/**
 * Builds the 400 for a body that Fastify's JSON parser rejected. When `JSON.parse` accepts the
 * text, the parser rejected a `__proto__` key or a `constructor` key with a `prototype`, which
 * could change the prototype of objects built from the body.
 */
function invalidJsonError(text: string): AppError {
  let syntaxError: SyntaxError | undefined;
  try {
    JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    syntaxError = error;
  }

  if (syntaxError === undefined) {
    return new AppError(
      'INVALID_JSON',
      'Request body contains a "__proto__" key or a "constructor" key with a "prototype", which is rejected because it could change object prototypes; remove or rename that key',
      { statusCode: 400 },
    );
  }
  return new AppError(
    'INVALID_JSON',
    `Request body is not valid JSON (${describeSyntaxError(syntaxError)}); send one JSON document encoded as UTF-8`,
    { statusCode: 400 },
  );
}

function duplicateKeyError(path: JsonPath): AppError {
  // A key is client data: a card number used as a key must not reach the response or the log.
  const dottedPath = clipHeaderValue(redactCardNumbers(formatFieldPath(path)));
  return new AppError(
    'DUPLICATE_JSON_KEY',
    `Request body contains the key ${JSON.stringify(dottedPath)} more than once in the same object; send each field once`,
    { statusCode: 400, details: { path: dottedPath } },
  );
}

/**
 * Describes where `JSON.parse` failed without quoting the body. V8 quotes about ten characters
 * on each side of an unexpected token, and a body may contain personal data.
 */
function describeSyntaxError(error: SyntaxError): string {
  const atPosition = JSON_ERROR_AT_POSITION.exec(error.message);
  if (atPosition !== null) return `${atPosition[1]} at position ${atPosition[2]}`;
  const token = UNEXPECTED_TOKEN.exec(error.message);
  if (token !== null) return `unexpected character ${JSON.stringify(token[1])}`;
  if (error.message.startsWith('Unexpected end of JSON input')) {
    return 'the body ends before the JSON document is complete';
  }
  return 'syntax error';
}

/** Shortens a header value to at most 100 characters and `...`, for an error message. */
export function clipHeaderValue(value: string, maxLength = 100): string {
  return value.length <= maxLength ? value : `${value.slice(0, maxLength)}...`;
}
