import {
  callWithPolicy,
  createProviderPolicy,
  type Logger,
  PROVIDER_POLICY_PRESETS,
  type ProviderPolicyOptions,
} from '@orderflow/service-kit';
import type { IPolicy } from 'cockatiel';
import twilio from 'twilio';
import { PinnedRequestClient } from './pinned-request-client.js';

import { twilioError } from './twilio-errors.js';

/** Settings of the Twilio adapter. */
export interface TwilioConfig {
  /** Account SID, `AC` followed by 32 hex digits. */
  accountSid: string;
  authToken: string;
  /** The sandbox's URL, or `https://api.twilio.com` for live. */
  baseUrl: string;
  /** Sender number in E.164 form, or an alphanumeric sender ID. */
  fromNumber: string;
  /** Policy limits, PROVIDER_POLICY_PRESETS.standard unless set. Tests pass shorter timeouts. */
  policy?: ProviderPolicyOptions;
}

export interface SendSmsInput {
  /** Recipient in E.164 form, such as `+12025550106`. */
  to: string;
  body: string;
  /** Used only to correlate log lines. */
  orderId?: string;
  /** URL that Twilio calls with delivery status updates. */
  statusCallbackUrl?: string;
}

export interface SentSms {
  /** Twilio's message SID, `SM` followed by 32 hex digits. */
  providerMessageId: string;
}

/**
 * Sends SMS through the `twilio` SDK with its own HTTP client pinned to `baseUrl`.
 *
 * NOTE: Twilio has no idempotency key for messages, so a send that timed out after Twilio
 * accepted it is sent again when the policy retries.
 */
export class TwilioAdapter {
  private readonly client: twilio.Twilio;
  private readonly policy: IPolicy;
  private readonly log: Logger;

  constructor(
    private readonly config: TwilioConfig,
    logger: Logger,
  ) {
    const options = config.policy ?? PROVIDER_POLICY_PRESETS.standard;
    // The SDK's own 429 retries stay off (autoRetry defaults to false) because the policy retries.
    const httpClient = new PinnedRequestClient(config.baseUrl, { timeout: options.timeoutMs });
    this.client = twilio(config.accountSid, config.authToken, { httpClient });
    this.policy = createProviderPolicy(options);
    this.log = logger.child({ provider: 'twilio' });
  }

  /** Sends one SMS and returns Twilio's message SID. Failures throw ProviderError. */
  async sendSms(input: SendSmsInput): Promise<SentSms> {
    const message = await callWithPolicy(this.policy, 'twilio', async () => {
      try {
        return await this.client.messages.create({
          to: input.to,
          from: this.config.fromNumber,
          body: input.body,
          statusCallback: input.statusCallbackUrl,
        });
      } catch (error) {
        const failure = twilioError(error);
        this.log.warn(
          { orderId: input.orderId, code: failure.code, retryable: failure.retryable },
          'twilio request failed',
        );
        throw failure;
      }
    });

    this.log.info(
      {
        orderId: input.orderId,
        recipientHint: maskPhone(input.to),
        providerMessageId: message.sid,
      },
      'sms sent',
    );
    return { providerMessageId: message.sid };
  }
}

/** Masks a phone number for logs, keeping the country and area code: `+1202555****`. */
export function maskPhone(phone: string): string {
  return phone.length > 4 ? `${phone.slice(0, -4)}****` : '****';
}
