import { describe, expect, it } from 'vitest';
import { lookupIpRange } from '../src/domain/ip-ranges.js';
import {
  DECISION_THRESHOLDS,
  PROVIDER_UNAVAILABLE_REASON,
  assessRisk,
  decide,
} from '../src/domain/risk-decision.js';
import {
  LOCAL_RISK_RULES,
  evaluateLocalRules,
  type LocalRiskFacts,
} from '../src/domain/risk-rules.js';
import { VELOCITY_LIMITS, velocityWindowStart } from '../src/domain/velocity.js';

const ordinary: LocalRiskFacts = {
  email: 'dp-13000@example.com',
  shippingCountry: 'US',
  amountMinor: 2_193,
  currency: 'USD',
  ordersByCustomerInWindow: 1,
};

const risky: LocalRiskFacts = {
  email: 'rb-19465@mailinator.com',
  clientIp: '185.220.101.7',
  billingCountry: 'NG',
  shippingCountry: 'US',
  amountMinor: 58_336,
  currency: 'USD',
  ordersByCustomerInWindow: 1,
  ordersByIpInWindow: 1,
};

function firedRules(facts: LocalRiskFacts): string[] {
  return evaluateLocalRules(facts).fired.map((fired) => fired.rule);
}

describe('local risk rules', () => {
  it('fire nothing for an ordinary order', () => {
    const result = evaluateLocalRules(ordinary);
    expect(result.fired).toEqual([]);
    expect(result.score).toBe(0);
  });

  it('block the disposable-email Tor order', () => {
    const result = evaluateLocalRules(risky);
    expect(firedRules(risky)).toEqual([
      'disposableEmail',
      'anonymizingProxy',
      'ipCountryMismatch',
      'billingShippingMismatch',
    ]);
    expect(result.score).toBe(0.9055);
    expect(decide(result.score)).toBe('block');
  });

  it('review a disposable email billed abroad', () => {
    const facts = { ...risky, clientIp: undefined, ordersByIpInWindow: undefined };
    const result = evaluateLocalRules(facts);
    expect(result.score).toBe(0.7);
    expect(decide(result.score)).toBe('review');
  });

  it('keep every single rule below review', () => {
    for (const rule of Object.values(LOCAL_RISK_RULES)) {
      expect(rule.weight).toBeLessThan(DECISION_THRESHOLDS.review);
    }
  });

  it('match disposable domains case-insensitively', () => {
    expect(firedRules({ ...ordinary, email: 'someone@MailInator.COM' })).toEqual([
      'disposableEmail',
    ]);
  });

  it('flag an IP from a third country', () => {
    const facts = { ...ordinary, clientIp: '203.0.113.9', ordersByIpInWindow: 1 };
    const result = evaluateLocalRules(facts);
    expect(result.fired.map((fired) => fired.reason)).toEqual([
      'client IP country matches neither billing nor shipping country: GB',
    ]);
  });

  it('accept an IP from the shipping country', () => {
    expect(firedRules({ ...ordinary, clientIp: '192.0.2.10', ordersByIpInWindow: 1 })).toEqual([]);
  });

  it('ignore IPs outside the table', () => {
    expect(firedRules({ ...ordinary, clientIp: '10.1.2.3', ordersByIpInWindow: 1 })).toEqual([]);
    expect(firedRules({ ...ordinary, clientIp: '2001:db8::1', ordersByIpInWindow: 1 })).toEqual([]);
  });

  it('fire velocity above the limits only', () => {
    const atLimit = {
      ...ordinary,
      ordersByCustomerInWindow: VELOCITY_LIMITS.customer.maxOrders,
      clientIp: '10.0.0.1',
      ordersByIpInWindow: VELOCITY_LIMITS.ip.maxOrders,
    };
    expect(firedRules(atLimit)).toEqual([]);
    const above = {
      ...atLimit,
      ordersByCustomerInWindow: atLimit.ordersByCustomerInWindow + 1,
      ordersByIpInWindow: atLimit.ordersByIpInWindow + 1,
    };
    expect(firedRules(above)).toEqual(['customerVelocity', 'ipVelocity']);
  });

  it('flag large amounts in known currencies only', () => {
    expect(firedRules({ ...ordinary, amountMinor: 500_000 })).toEqual(['largeAmount']);
    expect(firedRules({ ...ordinary, amountMinor: 499_999 })).toEqual([]);
    expect(firedRules({ ...ordinary, amountMinor: 99_000_000, currency: 'JPY' })).toEqual([]);
  });
});

describe('ip range table', () => {
  it('marks the Tor exit block as an anonymizer', () => {
    expect(lookupIpRange('185.220.103.255')).toMatchObject({
      country: 'DE',
      anonymizer: 'Tor exit relay',
    });
    expect(lookupIpRange('185.220.104.0')).toBeUndefined();
  });
});

describe('risk decision', () => {
  const noRules = { score: 0, fired: [] };

  it('uses the higher of provider and local score', () => {
    const local = evaluateLocalRules({ ...ordinary, amountMinor: 600_000 });
    const assessment = assessRisk(local, { score: 0.65, reasons: ['Disposable email domain: x'] });
    expect(assessment.score).toBe(0.65);
    expect(assessment.localScore).toBe(0.2);
    expect(assessment.decision).toBe('review');
    expect(assessment.reasons).toEqual([
      'unusually large order amount: 600000 USD minor units',
      'provider: Disposable email domain: x',
    ]);
  });

  it('decides on local rules when the provider is down', () => {
    const assessment = assessRisk(evaluateLocalRules(risky), undefined);
    expect(assessment.decision).toBe('block');
    expect(assessment.providerScore).toBeUndefined();
    expect(assessment.reasons.at(-1)).toBe(PROVIDER_UNAVAILABLE_REASON);
  });

  it('applies the thresholds inclusively', () => {
    expect(assessRisk(noRules, { score: 0.85, reasons: [] }).decision).toBe('block');
    expect(assessRisk(noRules, { score: 0.6, reasons: [] }).decision).toBe('review');
    expect(assessRisk(noRules, { score: 0.5999, reasons: [] }).decision).toBe('approve');
  });
});

describe('velocity window', () => {
  it('aligns windows to the epoch', () => {
    const start = velocityWindowStart(new Date('2019-03-14T17:45:00Z'), 86_400);
    expect(start.toISOString()).toBe('2019-03-14T00:00:00.000Z');
    const hour = velocityWindowStart(new Date('2019-03-14T17:45:00Z'), 3_600);
    expect(hour.toISOString()).toBe('2019-03-14T17:00:00.000Z');
  });
});
