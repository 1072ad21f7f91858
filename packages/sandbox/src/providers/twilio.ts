import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { installFaultInjection } from './fault-injection.js';
import {
  countSegments,
  validateMessage,
  type CreateMessageParams,
  type TwilioError,
} from './twilio/message-rules.js';

/** Credentials that the sandbox accepts, in Twilio's formats, for local configuration and tests. */
export const TWILIO_SANDBOX_CREDENTIALS = {
  accountSid: 'ACfeedfacefeedfacefeedfacefeedface',
  authToken: 'cafebabecafebabecafebabecafebabe',
  /** Twilio's magic test number that every From check accepts. */
  fromNumber: '+15005550006',
} as const;

const ACCOUNT_SID_PATTERN = /^AC[0-9a-f]{32}$/;
const AUTH_TOKEN_PATTERN = /^[0-9a-f]{32}$/;
const API_VERSION = '2010-04-01';

/** The Message resource as Twilio's REST API returns it. */
export interface MessageResource {
  sid: string;
  account_sid: string;
  api_version: string;
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: 'outbound-api';
  error_code: number | null;
  error_message: string | null;
  from: string;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string;
  status: 'queued';
  subresource_uris: { media: string };
  to: string;
  uri: string;
}

interface AccountParams {
  AccountSid: string;
}

/**
 * Registers Twilio's Create Message and Fetch Message routes under
 * `/2010-04-01/Accounts/:AccountSid/Messages`. Requests use HTTP Basic auth with the account SID
 * and auth token and send form-encoded fields. Twilio's magic test numbers fail as documented.
 * The sandbox-only route `GET /_sandbox/twilio/messages?to=` lists the messages created.
 *
 * NOTE: messages stay `queued` and StatusCallback URLs are stored but never called.
 */
export async function registerTwilio(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    const messages = new Map<string, MessageResource>();

    scope.setErrorHandler(async (error: { statusCode?: number }, _request, reply) => {
      if (error.statusCode === 400 || error.statusCode === 415) {
        return sendError(reply, {
          code: 20001,
          status: 400,
          message: 'The request body could not be parsed.',
        });
      }
      return sendError(reply, {
        code: 20500,
        status: 500,
        message: 'An internal server error occurred.',
      });
    });
    installFaultInjection(scope, 'twilio', twilioFaultBody);

    const base = `/${API_VERSION}/Accounts/:AccountSid/Messages`;

    scope.post<{ Params: AccountParams; Body: CreateMessageParams }>(
      `${base}.json`,
      async (request, reply) => {
        const accessError = checkAccess(
          request.headers.authorization,
          request.params.AccountSid,
          request.url,
        );
        if (accessError) return sendError(reply, accessError);

        const params = (request.body ?? {}) as CreateMessageParams;
        const invalid = validateMessage(params);
        if (invalid) return sendError(reply, invalid);

        const message = createMessage(request.params.AccountSid, params);
        messages.set(message.sid, message);
        return reply.code(201).send(message);
      },
    );

    scope.get<{ Params: AccountParams & { MessageSid: string } }>(
      `${base}/:MessageSid.json`,
      async (request, reply) => {
        const accessError = checkAccess(
          request.headers.authorization,
          request.params.AccountSid,
          request.url,
        );
        if (accessError) return sendError(reply, accessError);

        const message = messages.get(request.params.MessageSid);
        if (!message || message.account_sid !== request.params.AccountSid) {
          return sendError(reply, notFound(request.url));
        }
        return message;
      },
    );

    scope.get<{ Querystring: { to?: string } }>('/_sandbox/twilio/messages', async (request) => {
      const all = [...messages.values()];
      const { to } = request.query;
      return { messages: to ? all.filter((message) => message.to === to) : all };
    });
  });
}

/** Checks HTTP Basic credentials and that they belong to the account in the path. */
function checkAccess(
  header: string | undefined,
  accountSid: string,
  url: string,
): TwilioError | undefined {
  const [username, password] = decodeBasic(header);
  if (
    !username ||
    !ACCOUNT_SID_PATTERN.test(username) ||
    !password ||
    !AUTH_TOKEN_PATTERN.test(password)
  ) {
    return { code: 20003, status: 401, message: 'Authenticate' };
  }
  if (username !== accountSid) return notFound(url);
  return undefined;
}

function decodeBasic(header: string | undefined): [string?, string?] {
  if (!header?.startsWith('Basic ')) return [];
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator === -1) return [];
  return [decoded.slice(0, separator), decoded.slice(separator + 1)];
}

function notFound(url: string): TwilioError {
  const path = url.split('?')[0];
  return { code: 20404, status: 404, message: `The requested resource ${path} was not found` };
}

function sendError(reply: FastifyReply, error: TwilioError) {
  return reply.code(error.status).send(errorBody(error));
}

function errorBody(error: TwilioError) {
  return {
    code: error.code,
    message: error.message,
    more_info: `https://www.twilio.com/docs/errors/${error.code}`,
    status: error.status,
  };
}

function twilioFaultBody(statusCode: number) {
  if (statusCode === 429)
    return errorBody({ code: 20429, status: 429, message: 'Too Many Requests' });
  if (statusCode === 503)
    return errorBody({ code: 20503, status: 503, message: 'Service unavailable' });
  if (statusCode >= 500) {
    return errorBody({
      code: 20500,
      status: statusCode,
      message: 'An internal server error occurred.',
    });
  }
  if (statusCode === 401) return errorBody({ code: 20003, status: 401, message: 'Authenticate' });
  return errorBody({ code: 20001, status: statusCode, message: 'Invalid parameter' });
}

function createMessage(accountSid: string, params: CreateMessageParams): MessageResource {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const now = rfc2822(new Date());
  const uri = `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}.json`;
  const mediaCount = Array.isArray(params.MediaUrl)
    ? params.MediaUrl.length
    : params.MediaUrl
      ? 1
      : 0;
  return {
    sid,
    account_sid: accountSid,
    api_version: API_VERSION,
    body: params.Body ?? '',
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: params.From ?? '',
    messaging_service_sid: params.MessagingServiceSid ?? null,
    num_media: String(mediaCount),
    num_segments: String(countSegments(params.Body ?? '')),
    price: null,
    price_unit: 'USD',
    status: 'queued',
    subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') },
    to: params.To ?? '',
    uri,
  };
}

/** Formats a date like Twilio's `date_created`: `Thu, 04 Dec 2025 15:53:00 +0000`. */
function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}
