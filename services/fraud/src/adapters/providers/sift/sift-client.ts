import {
  callWithPolicy,
  createProviderPolicy,
  type Logger,
  PROVIDER_POLICY_PRESETS,
  ProviderError,
  type ProviderPolicyOptions,
} from '@orderflow/service-kit';
import type { IPolicy } from 'cockatiel';

import { buildCreateOrderEvent, type ScoreOrderInput } from './sift-create-order.js';
import {
  siftNetworkError,
  siftResponseError,
  SIFT_STATUS,
  type SiftErrorBody,
} from './sift-errors.js';

export type { ScoreOrderInput, SiftAddressInput } from './sift-create-order.js';

/** Settings of the Sift client. */
export interface SiftConfig {
  apiKey: string;
  /** Base URL without the version path: the sandbox's URL, or `https://api.sift.com` for live. */
  baseUrl: string;
  /** Policy limits, PROVIDER_POLICY_PRESETS.standard unless set. Tests pass shorter timeouts. */
  policy?: ProviderPolicyOptions;
}

/** Sift's payment abuse score for an order, from 0 (safe) to 1 (certain fraud). */
export interface OrderRiskScore {
  score: number;
  /** Sift's reasons as `name: value` sentences, such as `Disposable email domain: mailinator.com`. */
  reasons: string[];
}

interface ScoreReason {
  name?: string;
  value?: string;
}

interface EventResponse extends SiftErrorBody {
  score_response?: {
    scores?: { payment_abuse?: { score?: number; reasons?: ScoreReason[] } };
  };
}

/**
 * Typed client of the Sift REST API over `fetch` (Sift publishes no Node SDK). Every call runs
 * under the provider policy. Failures are thrown as ProviderError, retryable or final.
 */
export class SiftClient {
  private readonly policy: IPolicy;
  private readonly eventsUrl: string;
  private readonly log: Logger;

  constructor(
    private readonly config: SiftConfig,
    logger: Logger,
  ) {
    this.policy = createProviderPolicy(config.policy ?? PROVIDER_POLICY_PRESETS.standard);
    this.eventsUrl = `${config.baseUrl.replace(/\/+$/, '')}/v205/events?return_score=true&abuse_types=payment_abuse`;
    this.log = logger.child({ provider: 'sift' });
  }

  /**
   * Sends a `$create_order` event with `return_score=true` and returns the payment abuse score.
   * Sift stores every event it accepts, so a retried call records the order again. The score
   * is computed the same way each time.
   */
  async scoreOrder(input: ScoreOrderInput): Promise<OrderRiskScore> {
    const body = JSON.stringify(buildCreateOrderEvent(this.config.apiKey, input));
    const response = await callWithPolicy(this.policy, 'sift', (signal) =>
      this.postEvent(body, input.orderId, signal),
    );

    const paymentAbuse = response.score_response?.scores?.payment_abuse;
    if (typeof paymentAbuse?.score !== 'number') {
      throw new ProviderError(
        'sift',
        'PROVIDER_RESPONSE_INVALID',
        'Sift returned no payment_abuse score',
        {
          retryable: false,
        },
      );
    }
    const reasons = (paymentAbuse.reasons ?? []).map((reason) => `${reason.name}: ${reason.value}`);
    this.log.info({ orderId: input.orderId, score: paymentAbuse.score }, 'order scored');
    return { score: paymentAbuse.score, reasons };
  }

  private async postEvent(
    body: string,
    orderId: string,
    signal: AbortSignal,
  ): Promise<EventResponse> {
    let response: Response;
    try {
      response = await fetch(this.eventsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      const failure = siftNetworkError(error);
      this.log.warn({ orderId, err: failure, retryable: true }, 'sift request failed');
      throw failure;
    }

    const parsed = (await response.json().catch(() => ({}))) as EventResponse;
    if (response.ok && parsed.status === SIFT_STATUS.ok) return parsed;

    const failure = siftResponseError(response.status, parsed);
    this.log.warn(
      {
        orderId,
        httpStatus: response.status,
        siftStatus: parsed.status,
        retryable: failure.retryable,
      },
      'sift request failed',
    );
    throw failure;
  }
}
