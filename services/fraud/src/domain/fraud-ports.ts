import type { CurrencyCode } from '@orderflow/contracts';

/** The order facts sent to the risk provider. */
export interface ProviderScoreRequest {
  orderId: string;
  userId: string;
  email: string;
  ip?: string;
  amountMinor: number;
  currency: CurrencyCode;
  billingCountry?: string;
  shippingAddress: {
    name?: string;
    street?: string;
    city?: string;
    region?: string;
    postalCode?: string;
    country: string;
  };
}

/** The risk provider's score, from 0 (safe) to 1 (certain fraud), with its reasons. */
export interface ProviderScore {
  score: number;
  reasons: string[];
}

/** The risk provider as the fraud service uses it; failures are thrown as ProviderError. */
export interface RiskScorer {
  scoreOrder(request: ProviderScoreRequest): Promise<ProviderScore>;
}
