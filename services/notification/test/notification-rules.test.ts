import { describe, expect, it } from 'vitest';
import { EVENT_MESSAGES } from '../src/domain/event-messages.js';
import {
  channelsFor,
  defaultPreferences,
  type Recipient,
} from '../src/domain/recipient-channels.js';

const recipient: Recipient = {
  orderId: 'O-1',
  customerId: 'C-1',
  email: 'c-1@example.com',
  phone: '+12025550106',
  emailEnabled: true,
  smsEnabled: true,
};

describe('channelsFor', () => {
  it('uses email then SMS for a two-channel template', () => {
    expect(channelsFor('order_confirmation', recipient)).toEqual(['email', 'sms']);
  });

  it('uses email only for an email-only template', () => {
    expect(channelsFor('shipping_update', recipient)).toEqual(['email']);
  });

  it('skips SMS without a phone number', () => {
    expect(channelsFor('payment_failed', { ...recipient, phone: null })).toEqual(['email']);
  });

  it('skips channels the customer turned off', () => {
    const smsOnly = { ...recipient, emailEnabled: false };
    expect(channelsFor('order_confirmation', smsOnly)).toEqual(['sms']);
    expect(channelsFor('order_cancelled', smsOnly)).toEqual([]);
  });
});

describe('defaultPreferences', () => {
  it('turns SMS on only with a phone number', () => {
    expect(defaultPreferences('+12025550106')).toEqual({ emailEnabled: true, smsEnabled: true });
    expect(defaultPreferences(undefined)).toEqual({ emailEnabled: true, smsEnabled: false });
  });
});

describe('EVENT_MESSAGES', () => {
  const assessment = { orderId: 'O-1', score: 0.5, reasons: [] };

  it('maps fraud decisions to review, cancellation or nothing', () => {
    expect(EVENT_MESSAGES['fraud.assessed']({ ...assessment, decision: 'review' })).toEqual({
      template: 'order_in_review',
      orderId: 'O-1',
    });
    expect(EVENT_MESSAGES['fraud.assessed']({ ...assessment, decision: 'block' })).toEqual({
      template: 'order_cancelled',
      orderId: 'O-1',
    });
    expect(
      EVENT_MESSAGES['fraud.assessed']({ ...assessment, decision: 'approve' }),
    ).toBeUndefined();
  });

  it('maps a capture to the order confirmation', () => {
    const message = EVENT_MESSAGES['payment.captured']({
      orderId: 'O-1',
      paymentIntentId: 'pi_1',
      amountMinor: 2193,
      currency: 'USD',
      capturedAt: '2019-01-03T00:05:00Z',
    });
    expect(message).toEqual({
      template: 'order_confirmation',
      orderId: 'O-1',
      amountMinor: 2193,
      currency: 'USD',
    });
  });

  it('passes the 3-D Secure link as the confirmation URL', () => {
    const message = EVENT_MESSAGES['payment.authentication_required']({
      orderId: 'O-1',
      paymentIntentId: 'pi_1',
      amountMinor: 2193,
      currency: 'USD',
      customerMessage: 'Please confirm.',
      nextActionUrl: 'https://bank.example/3ds',
    });
    expect(message).toMatchObject({ confirmationUrl: 'https://bank.example/3ds' });
  });
});
