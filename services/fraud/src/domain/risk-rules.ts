import type { CurrencyCode } from '@orderflow/contracts';
import { disposableDomainOf } from './disposable-email-domains.js';
import { lookupIpRange } from './ip-ranges.js';
import { VELOCITY_LIMITS } from './velocity.js';

/**
 * Local risk rules with their weights. Weights combine like independent probabilities:
 * local score = 1 - product of (1 - weight) over the rules that fire. One rule alone stays
 * below the review threshold (0.6). A disposable email with a billing country other than the
 * shipping country reaches review (0.7). Adding a Tor exit IP reaches block (0.865, or 0.9055
 * when the relay's country is neither the billing nor the shipping country).
 */
export const LOCAL_RISK_RULES = {
  disposableEmail: { weight: 0.5, reason: 'disposable email domain' },
  anonymizingProxy: { weight: 0.55, reason: 'client IP is an anonymizing proxy' },
  ipCountryMismatch: {
    weight: 0.3,
    reason: 'client IP country matches neither billing nor shipping country',
  },
  billingShippingMismatch: { weight: 0.4, reason: 'billing country differs from shipping country' },
  customerVelocity: { weight: 0.35, reason: 'too many orders by this customer' },
  ipVelocity: { weight: 0.35, reason: 'too many orders from this client IP' },
  largeAmount: { weight: 0.2, reason: 'unusually large order amount' },
} as const;

export type LocalRiskRule = keyof typeof LOCAL_RISK_RULES;

/**
 * Order amounts in minor units from which the large-amount rule fires (5,000 US dollars and
 * about the same in the other currencies). Orders in a currency not listed here are not checked.
 */
export const LARGE_ORDER_THRESHOLDS_MINOR: Partial<Record<CurrencyCode, number>> = {
  USD: 500_000,
  CAD: 675_000,
  EUR: 450_000,
  GBP: 400_000,
};

/** Order fields that the local rules read, plus the velocity counts including this order. */
export interface LocalRiskFacts {
  email: string;
  clientIp?: string;
  billingCountry?: string;
  shippingCountry: string;
  amountMinor: number;
  currency: CurrencyCode;
  ordersByCustomerInWindow: number;
  /** Unset when the order has no client IP. */
  ordersByIpInWindow?: number;
}

/** A rule that fired, with the reason as it appears in `fraud.assessed`. */
export interface FiredRule {
  rule: LocalRiskRule;
  reason: string;
}

export interface LocalRiskResult {
  score: number;
  fired: FiredRule[];
}

/** Evaluates every local rule and combines the weights of those that fire into one score. */
export function evaluateLocalRules(facts: LocalRiskFacts): LocalRiskResult {
  const fired = [
    ...emailRules(facts),
    ...ipRules(facts),
    ...countryRules(facts),
    ...velocityRules(facts),
    ...amountRules(facts),
  ];
  const clean = fired.reduce(
    (product, { rule }) => product * (1 - LOCAL_RISK_RULES[rule].weight),
    1,
  );
  return { score: roundScore(1 - clean), fired };
}

/** Rounds a score to 4 decimals, so stored and emitted scores compare exactly. */
export function roundScore(score: number): number {
  return Math.round(score * 10_000) / 10_000;
}

function fire(rule: LocalRiskRule, detail: string): FiredRule {
  return { rule, reason: `${LOCAL_RISK_RULES[rule].reason}: ${detail}` };
}

function emailRules(facts: LocalRiskFacts): FiredRule[] {
  const domain = disposableDomainOf(facts.email);
  return domain ? [fire('disposableEmail', domain)] : [];
}

function ipRules(facts: LocalRiskFacts): FiredRule[] {
  const range = facts.clientIp ? lookupIpRange(facts.clientIp) : undefined;
  if (!range) return [];
  const fired: FiredRule[] = [];
  if (range.anonymizer) fired.push(fire('anonymizingProxy', `${range.anonymizer} (${range.cidr})`));
  const orderCountries = [facts.billingCountry, facts.shippingCountry].filter(Boolean);
  if (!orderCountries.includes(range.country)) {
    fired.push(fire('ipCountryMismatch', range.country));
  }
  return fired;
}

function countryRules(facts: LocalRiskFacts): FiredRule[] {
  const { billingCountry, shippingCountry } = facts;
  if (!billingCountry || billingCountry === shippingCountry) return [];
  return [
    fire('billingShippingMismatch', `billing ${billingCountry}, shipping ${shippingCountry}`),
  ];
}

function velocityRules(facts: LocalRiskFacts): FiredRule[] {
  const fired: FiredRule[] = [];
  const { customer, ip } = VELOCITY_LIMITS;
  if (facts.ordersByCustomerInWindow > customer.maxOrders) {
    fired.push(
      fire(
        'customerVelocity',
        `${facts.ordersByCustomerInWindow} orders within ${customer.windowSeconds} s, limit ${customer.maxOrders}`,
      ),
    );
  }
  if (facts.ordersByIpInWindow !== undefined && facts.ordersByIpInWindow > ip.maxOrders) {
    fired.push(
      fire(
        'ipVelocity',
        `${facts.ordersByIpInWindow} orders within ${ip.windowSeconds} s, limit ${ip.maxOrders}`,
      ),
    );
  }
  return fired;
}

function amountRules(facts: LocalRiskFacts): FiredRule[] {
  const threshold = LARGE_ORDER_THRESHOLDS_MINOR[facts.currency];
  if (threshold === undefined || facts.amountMinor < threshold) return [];
  return [fire('largeAmount', `${facts.amountMinor} ${facts.currency} minor units`)];
}
