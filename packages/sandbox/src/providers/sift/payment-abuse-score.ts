import { lookupIp } from './ip-ranges.js';

/** Email domains of throwaway-mailbox services. Addresses there signal a throwaway identity. */
export const DISPOSABLE_EMAIL_DOMAINS: ReadonlySet<string> = new Set([
  '10minutemail.com',
  'discard.email',
  'dispostable.com',
  'getnada.com',
  'guerrillamail.com',
  'mailinator.com',
  'maildrop.cc',
  'sharklasers.com',
  'temp-mail.org',
  'throwawaymail.com',
  'trashmail.com',
  'yopmail.com',
]);

/** Score of an order that fires no signal. */
export const BASE_PAYMENT_ABUSE_SCORE = 0.05;

/**
 * Risk signals of the sandbox's payment abuse score, each with its weight. Weights combine like
 * independent probabilities: score = 1 - (1 - base) x product of (1 - weight) over the signals
 * that fire. An order with no signal scores 0.05, and the amount signals alone reach at most
 * 0.24. A disposable email, a Tor exit IP and billing in another country than shipping score
 * above 0.9.
 */
export const PAYMENT_ABUSE_SIGNALS = {
  disposableEmail: { weight: 0.6, reason: 'Disposable email domain' },
  anonymizingProxy: { weight: 0.6, reason: 'Anonymizing proxy IP address' },
  billingShippingMismatch: { weight: 0.4, reason: 'Billing country differs from shipping country' },
  ipCountryMismatch: { weight: 0.3, reason: 'IP country matches neither billing nor shipping' },
  veryHighOrderAmount: { weight: 0.2, reason: 'Very high order amount' },
  highOrderAmount: { weight: 0.1, reason: 'High order amount' },
} as const;

export type PaymentAbuseSignal = keyof typeof PAYMENT_ABUSE_SIGNALS;

/**
 * Order amounts, in major units of the currency, from which the amount signals fire. The amount
 * signals ignore other currencies.
 */
export const ORDER_AMOUNT_THRESHOLDS: Readonly<Record<string, { high: number; veryHigh: number }>> =
  {
    USD: { high: 1_000, veryHigh: 5_000 },
    CAD: { high: 1_350, veryHigh: 6_750 },
    EUR: { high: 900, veryHigh: 4_500 },
    GBP: { high: 800, veryHigh: 4_000 },
  };

/** The order fields that the score reads, taken from a `$create_order` event. */
export interface OrderRiskFacts {
  email?: string;
  ip?: string;
  /** Order amount in micros: millionths of the currency's major unit. */
  amountMicros?: number;
  currency?: string;
  billingCountry?: string;
  shippingCountry?: string;
}

/** One Sift score reason: what fired and the value that made it fire. */
export interface ScoreReason {
  name: string;
  value: string;
}

export interface PaymentAbuseScore {
  score: number;
  reasons: ScoreReason[];
}

/** Computes the payment abuse score of an order from the signals in PAYMENT_ABUSE_SIGNALS. */
export function scorePaymentAbuse(facts: OrderRiskFacts): PaymentAbuseScore {
  const fired = detectSignals(facts);
  fired.sort(
    (a, b) => PAYMENT_ABUSE_SIGNALS[b.signal].weight - PAYMENT_ABUSE_SIGNALS[a.signal].weight,
  );

  let clean = 1 - BASE_PAYMENT_ABUSE_SCORE;
  for (const { signal } of fired) clean *= 1 - PAYMENT_ABUSE_SIGNALS[signal].weight;

  const score = Math.round((1 - clean) * 10_000) / 10_000;
  const reasons = fired.map(({ signal, value }) => ({
    name: PAYMENT_ABUSE_SIGNALS[signal].reason,
    value,
  }));
  return { score, reasons };
}

interface FiredSignal {
  signal: PaymentAbuseSignal;
  value: string;
}

function detectSignals(facts: OrderRiskFacts): FiredSignal[] {
  const fired: FiredSignal[] = [];
  const domain = facts.email?.split('@')[1]?.toLowerCase();
  if (domain && DISPOSABLE_EMAIL_DOMAINS.has(domain)) {
    fired.push({ signal: 'disposableEmail', value: domain });
  }

  const { billingCountry, shippingCountry } = facts;
  if (billingCountry && shippingCountry && billingCountry !== shippingCountry) {
    fired.push({
      signal: 'billingShippingMismatch',
      value: `${billingCountry}, ${shippingCountry}`,
    });
  }

  fired.push(...detectIpSignals(facts));

  const amountSignal = detectAmountSignal(facts);
  if (amountSignal) fired.push(amountSignal);
  return fired;
}

function detectIpSignals(facts: OrderRiskFacts): FiredSignal[] {
  const range = facts.ip ? lookupIp(facts.ip) : undefined;
  if (!range) return [];

  const fired: FiredSignal[] = [];
  if (range.anonymizer) {
    fired.push({ signal: 'anonymizingProxy', value: `${range.anonymizer} (${range.country})` });
  }
  const orderCountries = [facts.billingCountry, facts.shippingCountry].filter(Boolean);
  if (orderCountries.length > 0 && !orderCountries.includes(range.country)) {
    fired.push({ signal: 'ipCountryMismatch', value: range.country });
  }
  return fired;
}

function detectAmountSignal(facts: OrderRiskFacts): FiredSignal | undefined {
  const thresholds = facts.currency ? ORDER_AMOUNT_THRESHOLDS[facts.currency] : undefined;
  if (!thresholds || facts.amountMicros === undefined) return undefined;

  const amount = facts.amountMicros / 1_000_000;
  const value = `${amount.toFixed(2)} ${facts.currency}`;
  if (amount >= thresholds.veryHigh) return { signal: 'veryHighOrderAmount', value };
  if (amount >= thresholds.high) return { signal: 'highOrderAmount', value };
  return undefined;
}
