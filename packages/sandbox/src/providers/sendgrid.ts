import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { installFaultInjection } from './fault-injection.js';
import { validateMailSend, type SendGridFieldError } from './sendgrid/mail-send-validation.js';

/** A SendGrid API key that the sandbox accepts, for local configuration and tests. */
export const SENDGRID_SANDBOX_API_KEY = 'SG.sandbox.orderflow-local-key';

/** Matches keys as the sandbox accepts them: SendGrid's `SG.` prefix and two dot-separated parts. */
const API_KEY_PATTERN = /^SG\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * One delivered personalization. SendGrid sends one email per personalization, all of them
 * under the `X-Message-Id` of the request.
 */
export interface SentEmail {
  messageId: string;
  receivedAt: string;
  from: string;
  /** Every `to`, `cc` and `bcc` address of the personalization. */
  to: string[];
  subject?: string;
  text?: string;
  html?: string;
  templateId?: string;
  dynamicTemplateData?: Record<string, unknown>;
  customArgs: Record<string, string>;
  categories: string[];
}

type Json = Record<string, unknown>;

/**
 * Registers SendGrid's `POST /v3/mail/send`. A valid request returns 202 with an empty body and
 * an `X-Message-Id` header, and the sandbox stores one SentEmail for each personalization.
 * `mail_settings.sandbox_mode.enable` validates without sending and returns 200, as SendGrid
 * does. Sandbox-only routes: `GET /_sandbox/sendgrid/messages?to=` lists stored emails, and
 * `DELETE` on the same path clears them.
 */
export async function registerSendGrid(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    const sent: SentEmail[] = [];

    scope.setErrorHandler(async (error: { statusCode?: number }, _request, reply) => {
      const status = error.statusCode === 400 || error.statusCode === 415 ? 400 : 500;
      const message =
        status === 400 ? 'The request body could not be parsed as JSON.' : 'Internal server error';
      return reply.code(status).send(errorsBody([{ message, field: null, help: null }]));
    });
    installFaultInjection(scope, 'sendgrid', sendGridFaultBody);

    scope.post('/v3/mail/send', async (request, reply) => {
      const authFailure = checkAuthorization(request.headers.authorization);
      if (authFailure) return reply.code(401).send(errorsBody([authFailure]));

      const errors = validateMailSend(request.body);
      if (errors.length > 0) return reply.code(400).send(errorsBody(errors));

      const body = request.body as Json;
      if (isSandboxMode(body)) return reply.code(200).send();

      const messageId = randomBytes(16).toString('base64url');
      sent.push(...toSentEmails(body, messageId));
      return reply.code(202).header('x-message-id', messageId).send();
    });

    scope.get<{ Querystring: { to?: string } }>('/_sandbox/sendgrid/messages', async (request) => {
      const to = request.query.to?.toLowerCase();
      const messages = to ? sent.filter((email) => email.to.includes(to)) : sent;
      return { messages };
    });

    scope.delete('/_sandbox/sendgrid/messages', async (_request, reply) => {
      sent.length = 0;
      return reply.code(204).send();
    });
  });
}

function checkAuthorization(header: string | undefined): SendGridFieldError | undefined {
  if (!header?.startsWith('Bearer ')) {
    return { message: 'authorization required', field: null, help: null };
  }
  if (!API_KEY_PATTERN.test(header.slice('Bearer '.length))) {
    return {
      message: 'The provided authorization grant is invalid, expired, or revoked',
      field: null,
      help: null,
    };
  }
  return undefined;
}

function errorsBody(errors: SendGridFieldError[]) {
  return { errors };
}

function sendGridFaultBody(statusCode: number) {
  const message =
    statusCode === 429
      ? 'too many requests'
      : statusCode === 401 || statusCode === 403
        ? 'The provided authorization grant is invalid, expired, or revoked'
        : statusCode >= 500
          ? 'Internal server error'
          : 'Bad Request';
  return errorsBody([{ message, field: null, help: null }]);
}

function isSandboxMode(body: Json): boolean {
  const settings = body.mail_settings as { sandbox_mode?: { enable?: unknown } } | undefined;
  return settings?.sandbox_mode?.enable === true;
}

function toSentEmails(body: Json, messageId: string): SentEmail[] {
  const receivedAt = new Date().toISOString();
  const content = (body.content ?? []) as { type: string; value: string }[];
  const personalizations = body.personalizations as Json[];

  return personalizations.map((personalization) => ({
    messageId,
    receivedAt,
    from: String((body.from as Json).email).toLowerCase(),
    to: recipientsOf(personalization),
    subject: (personalization.subject ?? body.subject) as string | undefined,
    text: content.find((block) => block.type === 'text/plain')?.value,
    html: content.find((block) => block.type === 'text/html')?.value,
    templateId: body.template_id as string | undefined,
    dynamicTemplateData: personalization.dynamic_template_data as Json | undefined,
    customArgs: {
      ...(body.custom_args as Record<string, string> | undefined),
      ...(personalization.custom_args as Record<string, string> | undefined),
    },
    categories: (body.categories ?? []) as string[],
  }));
}

function recipientsOf(personalization: Json): string[] {
  const addresses: string[] = [];
  for (const kind of ['to', 'cc', 'bcc']) {
    const list = (personalization[kind] ?? []) as { email: string }[];
    for (const recipient of list) addresses.push(recipient.email.toLowerCase());
  }
  return addresses;
}
