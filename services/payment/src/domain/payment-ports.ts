import type { CurrencyCode } from '@orderflow/contracts';

export type FraudDecision = 'approve' | 'review' | 'block';

export interface AuthorizeRequest {
  orderId: string;
  amountMinor: number;
  currency: CurrencyCode;
  paymentMethodId: string;
  idempotencyKey: string;
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

export type CaptureResult =
  | { outcome: 'captured'; paymentIntentId: string; amountMinor: number }
  | {
      outcome: 'declined';
      paymentIntentId?: string;
      code: string;
      declineCode?: string;
      customerMessage: string;
    };

/** The payment provider as the payment service uses it; faults are thrown as ProviderError. */
export interface PaymentGateway {
  authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;
  capture(request: {
    paymentIntentId: string;
    amountMinor: number;
    idempotencyKey: string;
  }): Promise<CaptureResult>;
}
