import { describe, expect, it } from 'vitest';
import {
  IllegalTransitionError,
  decideNextStep,
  idempotencyKey,
  transition,
  type PaymentChecks,
} from '../src/domain/payment-state.js';

const allPassed: PaymentChecks = {
  orderReceived: true,
  taxMinor: 120,
  fraudDecision: 'approve',
  addressVerified: true,
  freightRequired: false,
};

describe('decideNextStep', () => {
  it('authorizes once every check passed', () => {
    expect(decideNextStep(allPassed)).toEqual({ kind: 'authorize' });
  });

  it.each([
    ['the order', { orderReceived: false }],
    ['tax', { taxMinor: null }],
    ['the fraud decision', { fraudDecision: null }],
    ['the address check', { addressVerified: null }],
  ])('waits for %s', (_name, missing) => {
    expect(decideNextStep({ ...allPassed, ...missing })).toEqual({ kind: 'wait' });
  });

  it('holds a bad address before anything else is known', () => {
    expect(
      decideNextStep({
        orderReceived: false,
        taxMinor: null,
        fraudDecision: null,
        addressVerified: false,
        freightRequired: false,
      }),
    ).toEqual({
      kind: 'hold',
      state: 'held_for_address',
    });
  });

  it('holds freight before other checks', () => {
    expect(
      decideNextStep({
        orderReceived: false,
        taxMinor: null,
        fraudDecision: null,
        addressVerified: null,
        freightRequired: true,
      }),
    ).toEqual({ kind: 'hold', state: 'held_for_freight' });
  });

  it('prefers freight over a fraud block', () => {
    expect(decideNextStep({ ...allPassed, fraudDecision: 'block', freightRequired: true })).toEqual(
      { kind: 'hold', state: 'held_for_freight' },
    );
  });

  it('blocks and reviews without waiting for tax', () => {
    expect(decideNextStep({ ...allPassed, taxMinor: null, fraudDecision: 'block' })).toEqual({
      kind: 'hold',
      state: 'blocked',
    });
    expect(decideNextStep({ ...allPassed, taxMinor: null, fraudDecision: 'review' })).toEqual({
      kind: 'hold',
      state: 'in_review',
    });
  });

  it('prefers the address hold over a fraud block', () => {
    expect(
      decideNextStep({ ...allPassed, fraudDecision: 'block', addressVerified: false }),
    ).toEqual({
      kind: 'hold',
      state: 'held_for_address',
    });
  });
});

describe('transition', () => {
  it('allows capture after authorization', () => {
    expect(transition('authorized', 'captured')).toEqual({ from: 'authorized', to: 'captured' });
  });

  it('rejects capture before authorization', () => {
    expect(() => transition('awaiting_checks', 'captured')).toThrow(IllegalTransitionError);
  });

  it('lets a hold give way to a higher hold', () => {
    expect(transition('blocked', 'held_for_freight')).toEqual({
      from: 'blocked',
      to: 'held_for_freight',
    });
    expect(transition('in_review', 'held_for_address')).toEqual({
      from: 'in_review',
      to: 'held_for_address',
    });
  });

  it('keeps a hold above lower holds', () => {
    expect(() => transition('held_for_freight', 'blocked')).toThrow(IllegalTransitionError);
    expect(() => transition('held_for_address', 'in_review')).toThrow(IllegalTransitionError);
  });

  it('rejects leaving a final state', () => {
    expect(() => transition('blocked', 'authorized')).toThrow(
      'payment cannot move from blocked to authorized',
    );
  });
});

describe('idempotencyKey', () => {
  it('is stable for the same order, operation and amount', () => {
    expect(idempotencyKey('US-1', 'authorize', 1234)).toBe(
      idempotencyKey('US-1', 'authorize', 1234),
    );
  });

  it('differs when the amount changes', () => {
    expect(idempotencyKey('US-1', 'capture', 1234)).not.toBe(
      idempotencyKey('US-1', 'capture', 1235),
    );
  });
});
