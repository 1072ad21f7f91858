import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import {
  callWithPolicy,
  createProviderPolicy,
  type Logger,
  PROVIDER_POLICY_PRESETS,
  ProviderError,
  type ProviderPolicyOptions,
} from '@orderflow/service-kit';
import type { IPolicy } from 'cockatiel';

import { sendGridError } from './sendgrid-errors.js';

/** Settings of the SendGrid adapter. */
export interface SendGridConfig {
  apiKey: string;
  /** The sandbox's URL, or `https://api.sendgrid.com` for live. */
  baseUrl: string;
  /** Sender address, which must be a verified sender of the SendGrid account. */
  fromEmail: string;
  fromName?: string;
  /** Policy limits, PROVIDER_POLICY_PRESETS.standard unless set. Tests pass shorter timeouts. */
  policy?: ProviderPolicyOptions;
}

/** One transactional email to one recipient. */
export interface SendEmailInput {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** SendGrid category for statistics, such as `order-confirmation`. */
  category: string;
  /** Returned by SendGrid's event webhook with every event of this email. */
  customArgs: { orderId: string } & Record<string, string>;
}

export interface SentEmail {
  /** SendGrid's `X-Message-Id`. */
  providerMessageId: string;
}

/**
 * Sends email through `@sendgrid/mail`. Each adapter owns a `Client` and a `MailService`, so
 * adapters with different keys or base URLs can coexist in one process.
 *
 * NOTE: SendGrid has no idempotency key, so a send that timed out after SendGrid accepted it
 * is sent again when the policy retries.
 */
export class SendGridAdapter {
  private readonly mail = new MailService();
  private readonly policy: IPolicy;
  private readonly log: Logger;

  constructor(
    private readonly config: SendGridConfig,
    logger: Logger,
  ) {
    const options = config.policy ?? PROVIDER_POLICY_PRESETS.standard;
    const client = new Client();
    // setApiKey resets the base URL to the live host, so the request defaults must come after it.
    client.setApiKey(config.apiKey);
    client.setDefaultRequest(requestDefaults(config.baseUrl, options.timeoutMs));
    this.mail.setClient(client);
    this.policy = createProviderPolicy(options);
    this.log = logger.child({ provider: 'sendgrid' });
  }

  /** Sends one email and returns SendGrid's message ID. Failures throw ProviderError. */
  async sendEmail(input: SendEmailInput): Promise<SentEmail> {
    const { orderId } = input.customArgs;
    const message = {
      to: input.to,
      from: { email: this.config.fromEmail, name: this.config.fromName },
      subject: input.subject,
      text: input.text,
      html: input.html,
      categories: [input.category],
      customArgs: input.customArgs,
    };

    const [response] = await callWithPolicy(this.policy, 'sendgrid', async () => {
      try {
        return await this.mail.send(message);
      } catch (error) {
        const failure = sendGridError(error);
        this.log.warn(
          { orderId, code: failure.code, retryable: failure.retryable },
          'sendgrid request failed',
        );
        throw failure;
      }
    });

    const providerMessageId = response.headers['x-message-id'];
    if (typeof providerMessageId !== 'string' || providerMessageId === '') {
      throw new ProviderError(
        'sendgrid',
        'PROVIDER_RESPONSE_INVALID',
        'SendGrid returned no X-Message-Id',
        {
          retryable: false,
        },
      );
    }
    this.log.info(
      { orderId, category: input.category, recipientHint: maskEmail(input.to), providerMessageId },
      'email sent',
    );
    return { providerMessageId };
  }
}

/**
 * Request defaults of the adapter's client: the base URL, an axios timeout equal to the policy's
 * per-attempt timeout, and no proxy taken from the environment.
 */
function requestDefaults(baseUrl: string, timeoutMs: number) {
  return { url: '', baseUrl, timeout: timeoutMs, proxy: false as const };
}

/** Masks an address for logs, such as `d***@example.com`. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
