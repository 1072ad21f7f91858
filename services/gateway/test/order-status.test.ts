import { describe, expect, it } from 'vitest';
import { deriveStatus, isSettled, type OrderFacts } from '../src/domain/order-status.js';

const base: OrderFacts = {
  rejected: false,
  addressRejected: false,
  freightRequired: false,
  fraudDecision: null,
  paymentState: null,
  labelCreated: false,
  notifiedTemplates: [],
};

describe('deriveStatus', () => {
  it('is processing before any outcome', () => {
    expect(deriveStatus(base)).toBe('processing');
  });

  it('lets an address hold win over a captured payment', () => {
    expect(deriveStatus({ ...base, addressRejected: true, paymentState: 'captured' })).toBe(
      'held_for_address',
    );
  });

  it('ranks freight above address and block', () => {
    expect(
      deriveStatus({
        ...base,
        freightRequired: true,
        addressRejected: true,
        fraudDecision: 'block',
      }),
    ).toBe('held_for_freight');
  });

  it('lets a fraud block win over authentication', () => {
    expect(
      deriveStatus({ ...base, fraudDecision: 'block', paymentState: 'authentication_required' }),
    ).toBe('blocked');
  });

  it('maps a failed payment to declined', () => {
    expect(deriveStatus({ ...base, fraudDecision: 'approve', paymentState: 'failed' })).toBe(
      'declined',
    );
  });

  it('reports captured once captured', () => {
    expect(deriveStatus({ ...base, paymentState: 'captured' })).toBe('captured');
  });
});

describe('isSettled', () => {
  it('waits for the label and the confirmation of a captured order', () => {
    const captured = { ...base, paymentState: 'captured' as const };
    expect(isSettled('captured', { ...captured, notifiedTemplates: ['order_confirmation'] })).toBe(
      false,
    );
    expect(isSettled('captured', { ...captured, labelCreated: true })).toBe(false);
    expect(
      isSettled('captured', {
        ...captured,
        labelCreated: true,
        notifiedTemplates: ['order_confirmation'],
      }),
    ).toBe(true);
  });

  it('settles a decline once the customer was told', () => {
    const declined = { ...base, paymentState: 'failed' as const };
    expect(isSettled('declined', declined)).toBe(false);
    expect(isSettled('declined', { ...declined, notifiedTemplates: ['payment_failed'] })).toBe(
      true,
    );
  });

  it('settles a freight hold after notice', () => {
    const freightHeld = { ...base, freightRequired: true };
    expect(isSettled('held_for_freight', freightHeld)).toBe(false);
    expect(
      isSettled('held_for_freight', { ...freightHeld, notifiedTemplates: ['freight_required'] }),
    ).toBe(true);
  });

  it('does not settle an order still processing', () => {
    expect(isSettled('processing', { ...base, notifiedTemplates: ['order_confirmation'] })).toBe(
      false,
    );
  });
});
