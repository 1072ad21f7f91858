import {
  PROVIDER_POLICY_PRESETS,
  ProviderError,
  ValidationError,
  createProviderPolicy,
  type Logger,
  type ProviderPolicyOptions,
} from '@orderflow/service-kit';
import type { IPolicy } from 'cockatiel';
import type Stripe from 'stripe';
import { customerMessageFor } from './customer-messages.js';
import { createStripeClient, type StripeConfig } from './stripe-client.js';
import { isCardError, isStripeError, toPolicyError, toProviderError } from './stripe-errors.js';

/** Logger methods the adapter uses; a pino logger fits. */
export type StripeAdapterLogger = Pick<Logger, 'info' | 'warn'>;

export interface StripeAdapterConfig extends StripeConfig {
  /** Resilience limits; defaults to `PROVIDER_POLICY_PRESETS.payment`. */
  policy?: ProviderPolicyOptions;
}

export interface AuthorizeRequest {
  orderId: string;
  amountMinor: number;
  /** ISO 4217 code in any case, such as `USD`. */
  currency: string;
  paymentMethodId: string;
  idempotencyKey: string;
  /** URL that the bank's 3-D Secure page returns the customer to. Without it, Stripe.js runs 3-D Secure. */
  returnUrl?: string;
  /** True when the customer is not present, so no 3-D Secure challenge can be shown. */
  offSession?: boolean;
}

export type AuthorizeResult =
  | { outcome: 'authorized'; paymentIntentId: string; amountMinor: number }
  | { outcome: 'requires_action'; paymentIntentId: string; nextActionUrl?: string }
  | {
      outcome: 'declined';
      paymentIntentId?: string;
      code: string;
      declineCode?: string;
      customerMessage: string;
    };

/** State of an existing PaymentIntent, such as after the customer finished 3-D Secure. */
export type PaymentStatus =
  | AuthorizeResult
  | { outcome: 'captured'; paymentIntentId: string; amountMinor: number }
  | { outcome: 'canceled'; paymentIntentId: string };

export type CaptureResult =
  | { outcome: 'captured'; paymentIntentId: string; amountMinor: number }
  | {
      outcome: 'declined';
      paymentIntentId: string;
      code: string;
      declineCode?: string;
      customerMessage: string;
    };

export type CancelResult =
  | { outcome: 'canceled'; paymentIntentId: string }
  | { outcome: 'not_cancelable'; paymentIntentId: string; status: string };

export type RefundResult =
  | { outcome: 'refunded'; paymentIntentId: string; refundId: string; amountMinor: number }
  | { outcome: 'refund_rejected'; paymentIntentId: string; code: string; message: string };

function requirePositiveInteger(path: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ValidationError([
      { path, message: `must be a positive integer in minor units, got ${value}` },
    ]);
  }
}

function nextActionUrl(intent: Stripe.PaymentIntent): string | undefined {
  const action = intent.next_action;
  const redirectUrl = action?.redirect_to_url?.url;
  if (redirectUrl) return redirectUrl;
  const stripeJs = (action?.use_stripe_sdk as { stripe_js?: unknown } | undefined)?.stripe_js;
  return typeof stripeJs === 'string' ? stripeJs : undefined;
}

/** Maps a PaymentIntent's status to the adapter's result. Statuses outside the card flow are faults. */
function toPaymentStatus(intent: Stripe.PaymentIntent): PaymentStatus {
  const paymentIntentId = intent.id;
  switch (intent.status) {
    case 'requires_capture':
      return { outcome: 'authorized', paymentIntentId, amountMinor: intent.amount_capturable };
    case 'requires_action': {
      const url = nextActionUrl(intent);
      return {
        outcome: 'requires_action',
        paymentIntentId,
        ...(url ? { nextActionUrl: url } : {}),
      };
    }
    case 'succeeded':
      return { outcome: 'captured', paymentIntentId, amountMinor: intent.amount_received };
    case 'canceled':
      return { outcome: 'canceled', paymentIntentId };
    case 'requires_payment_method': {
      const error = intent.last_payment_error;
      const code = error?.code ?? 'payment_method_required';
      const declineCode = error?.decline_code ?? undefined;
      return {
        outcome: 'declined',
        paymentIntentId,
        code,
        ...(declineCode ? { declineCode } : {}),
        customerMessage: customerMessageFor(code, declineCode),
      };
    }
    default:
      throw new ProviderError(
        'stripe',
        'STRIPE_UNEXPECTED_STATUS',
        `PaymentIntent ${paymentIntentId} has status ${intent.status}`,
        {
          retryable: intent.status === 'processing',
        },
      );
  }
}

function declinedFrom(error: {
  code?: string;
  decline_code?: string;
  payment_intent?: { id: string };
}): AuthorizeResult {
  const code = error.code ?? 'card_declined';
  return {
    outcome: 'declined',
    ...(error.payment_intent ? { paymentIntentId: error.payment_intent.id } : {}),
    code,
    ...(error.decline_code ? { declineCode: error.decline_code } : {}),
    customerMessage: customerMessageFor(code, error.decline_code),
  };
}

/**
 * Card payments through Stripe PaymentIntents with manual capture. Every call runs under the
 * payment resilience policy and carries the caller's idempotency key, so a retry cannot charge
 * twice. Declines and state conflicts come back as typed results. Faults are thrown as
 * `ProviderError`, which is retryable for timeouts, connection failures, 409, 429 and 5xx.
 *
 * Logs carry order and PaymentIntent ids, outcomes and error codes, never card data or keys.
 */
export class StripeAdapter {
  private readonly stripe: Stripe;
  private readonly policy: IPolicy;

  constructor(
    config: StripeAdapterConfig,
    private readonly log: StripeAdapterLogger,
  ) {
    const policyOptions = config.policy ?? PROVIDER_POLICY_PRESETS.payment;
    this.stripe = createStripeClient({ requestTimeoutMs: policyOptions.timeoutMs, ...config });
    this.policy = createProviderPolicy(policyOptions);
  }

  /** Authorizes the amount on the card: creates and confirms a PaymentIntent for manual capture. */
  async authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    requirePositiveInteger('amountMinor', request.amountMinor);
    const params: Stripe.PaymentIntentCreateParams = {
      amount: request.amountMinor,
      currency: request.currency.toLowerCase(),
      payment_method: request.paymentMethodId,
      confirm: true,
      capture_method: 'manual',
      metadata: { order_id: request.orderId },
      ...(request.returnUrl ? { return_url: request.returnUrl } : {}),
      ...(request.offSession ? { off_session: true } : {}),
    };

    const result = await this.call('authorize', async () => {
      try {
        const intent = await this.stripe.paymentIntents.create(params, {
          idempotencyKey: request.idempotencyKey,
        });
        return toPaymentStatus(intent);
      } catch (error) {
        if (isCardError(error)) return declinedFrom(error);
        throw error;
      }
    });
    if (result.outcome === 'captured' || result.outcome === 'canceled') {
      throw new ProviderError(
        'stripe',
        'STRIPE_UNEXPECTED_STATUS',
        `A new PaymentIntent for order ${request.orderId} is already ${result.outcome}`,
        {
          retryable: false,
        },
      );
    }

    this.logResult(request.orderId, result);
    return result;
  }

  /** Reads the current state of a PaymentIntent, for example after the customer's 3-D Secure step. */
  async retrievePaymentStatus(paymentIntentId: string): Promise<PaymentStatus> {
    const intent = await this.call('retrieve', () =>
      this.stripe.paymentIntents.retrieve(paymentIntentId),
    );
    return toPaymentStatus(intent);
  }

  /**
   * Captures `amountMinor` of an authorization. A capture of an intent that is already captured
   * returns `captured` with the amount Stripe received, so that redelivered events stay harmless.
   */
  async capture(request: {
    paymentIntentId: string;
    amountMinor: number;
    idempotencyKey: string;
  }): Promise<CaptureResult> {
    requirePositiveInteger('amountMinor', request.amountMinor);
    const { paymentIntentId } = request;
    const result = await this.call('capture', async (): Promise<CaptureResult> => {
      try {
        const intent = await this.stripe.paymentIntents.capture(
          paymentIntentId,
          { amount_to_capture: request.amountMinor },
          { idempotencyKey: request.idempotencyKey },
        );
        return { outcome: 'captured', paymentIntentId, amountMinor: intent.amount_received };
      } catch (error) {
        return this.captureFailure(error, request);
      }
    });
    this.log.info(
      { paymentIntentId, outcome: result.outcome, amountMinor: request.amountMinor },
      'stripe capture finished',
    );
    return result;
  }

  private captureFailure(
    error: unknown,
    request: { paymentIntentId: string; amountMinor: number },
  ): CaptureResult {
    const { paymentIntentId } = request;
    if (isCardError(error)) {
      const code = error.code ?? 'card_declined';
      return {
        outcome: 'declined',
        paymentIntentId,
        code,
        ...(error.decline_code ? { declineCode: error.decline_code } : {}),
        customerMessage: customerMessageFor(code, error.decline_code),
      };
    }
    if (!isStripeError(error)) throw error;
    if (error.code === 'amount_too_large') {
      throw new ProviderError(
        'stripe',
        'PAYMENT_CAPTURE_EXCEEDS_AUTHORIZATION',
        `Capture of ${request.amountMinor} exceeds the authorized amount of PaymentIntent ${paymentIntentId}`,
        {
          retryable: false,
          statusCode: 409,
          cause: error,
        },
      );
    }
    if (error.code === 'payment_intent_unexpected_state') {
      const intent = error.payment_intent;
      if (intent?.status === 'succeeded') {
        return {
          outcome: 'captured',
          paymentIntentId,
          amountMinor: intent.amount_received ?? request.amountMinor,
        };
      }
      return {
        outcome: 'declined',
        paymentIntentId,
        code: error.code,
        customerMessage: 'We could not take the payment for this order. Please pay again.',
      };
    }
    throw error;
  }

  /** Cancels an uncaptured PaymentIntent and releases the authorization. Canceling twice is harmless. */
  async cancel(request: {
    paymentIntentId: string;
    idempotencyKey: string;
  }): Promise<CancelResult> {
    const { paymentIntentId } = request;
    const result = await this.call('cancel', async (): Promise<CancelResult> => {
      try {
        await this.stripe.paymentIntents.cancel(
          paymentIntentId,
          {},
          { idempotencyKey: request.idempotencyKey },
        );
        return { outcome: 'canceled', paymentIntentId };
      } catch (error) {
        if (!isStripeError(error) || error.code !== 'payment_intent_unexpected_state') throw error;
        const status = error.payment_intent?.status ?? 'unknown';
        if (status === 'canceled') return { outcome: 'canceled', paymentIntentId };
        return { outcome: 'not_cancelable', paymentIntentId, status };
      }
    });
    this.log.info({ paymentIntentId, outcome: result.outcome }, 'stripe cancel finished');
    return result;
  }

  /** Refunds `amountMinor` of a captured payment. */
  async refund(request: {
    paymentIntentId: string;
    amountMinor: number;
    idempotencyKey: string;
  }): Promise<RefundResult> {
    requirePositiveInteger('amountMinor', request.amountMinor);
    const { paymentIntentId } = request;
    const result = await this.call('refund', async (): Promise<RefundResult> => {
      try {
        const refund = await this.stripe.refunds.create(
          { payment_intent: paymentIntentId, amount: request.amountMinor },
          { idempotencyKey: request.idempotencyKey },
        );
        return {
          outcome: 'refunded',
          paymentIntentId,
          refundId: refund.id,
          amountMinor: refund.amount,
        };
      } catch (error) {
        return refundFailure(error, request);
      }
    });
    this.log.info(
      { paymentIntentId, outcome: result.outcome, amountMinor: request.amountMinor },
      'stripe refund finished',
    );
    return result;
  }

  private logResult(orderId: string, result: AuthorizeResult): void {
    if (result.outcome === 'declined') {
      const { paymentIntentId, code, declineCode } = result;
      this.log.info(
        { orderId, paymentIntentId, code, declineCode },
        'stripe authorization declined',
      );
      return;
    }
    this.log.info(
      { orderId, paymentIntentId: result.paymentIntentId, outcome: result.outcome },
      'stripe authorization finished',
    );
  }

  /** Runs one SDK call under the policy and converts every failure into a `ProviderError`. */
  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(async () => {
        try {
          return await run();
        } catch (error) {
          throw toProviderError(error, operation);
        }
      });
    } catch (error) {
      const mapped = toPolicyError(error, operation);
      if (mapped instanceof ProviderError) {
        this.log.warn(
          { operation, code: mapped.code, retryable: mapped.retryable },
          'stripe call failed',
        );
      }
      throw mapped;
    }
  }
}

const REFUND_REJECTIONS = new Set([
  'charge_already_refunded',
  'charge_not_refundable',
  'charge_disputed',
]);

function refundFailure(
  error: unknown,
  request: { paymentIntentId: string; amountMinor: number },
): RefundResult {
  if (!isStripeError(error)) throw error;
  if (error.code === 'amount_too_large') {
    throw new ProviderError(
      'stripe',
      'PAYMENT_REFUND_EXCEEDS_CAPTURE',
      `Refund of ${request.amountMinor} exceeds the unrefunded amount of PaymentIntent ${request.paymentIntentId}`,
      {
        retryable: false,
        statusCode: 409,
        cause: error,
      },
    );
  }
  if (error.code && REFUND_REJECTIONS.has(error.code)) {
    return {
      outcome: 'refund_rejected',
      paymentIntentId: request.paymentIntentId,
      code: error.code,
      message: error.message,
    };
  }
  throw error;
}
