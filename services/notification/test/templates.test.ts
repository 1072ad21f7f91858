import { describe, expect, it } from 'vitest';
import { formatAmount } from '../src/domain/money-format.js';
import {
  TEMPLATES,
  renderEmail,
  renderSms,
  type NotificationMessage,
} from '../src/domain/templates.js';

describe('formatAmount', () => {
  it.each([
    [2193, 'USD', '$21.93'],
    [5, 'USD', '$0.05'],
    [123456789, 'EUR', '€1,234,567.89'],
    [1500, 'JPY', '¥1,500'],
    [12345, 'KWD', 'KWD 12.345'],
  ] as const)('formats %i %s as %s', (amountMinor, currency, expected) => {
    expect(formatAmount(amountMinor, currency)).toBe(expected);
  });
});

describe('templates', () => {
  const messages: NotificationMessage[] = [
    { template: 'order_confirmation', orderId: 'O-1', amountMinor: 2193, currency: 'USD' },
    {
      template: 'payment_failed',
      orderId: 'O-1',
      amountMinor: 2193,
      currency: 'USD',
      customerMessage: 'Your card has expired. Please use another card.',
    },
    {
      template: 'authentication_required',
      orderId: 'O-1',
      amountMinor: 2193,
      currency: 'USD',
      customerMessage: 'Your bank asks you to confirm this payment.',
      confirmationUrl: 'https://bank.example/3ds/abc',
    },
    {
      template: 'address_correction',
      orderId: 'O-1',
      customerMessage: 'The postal code does not match the city.',
    },
    { template: 'order_in_review', orderId: 'O-1' },
    { template: 'order_cancelled', orderId: 'O-1' },
    { template: 'shipping_update', orderId: 'O-1', carrier: 'UPS', trackingCode: '1Z999' },
    {
      template: 'freight_required',
      orderId: 'O-1',
      customerMessage: 'This order would fill 267 parcels, so it has to travel by freight.',
    },
  ];

  it.each(messages)('renders $template with the order id', (message) => {
    const email = renderEmail(message);
    expect(email.subject).toContain('O-1');
    expect(email.text).toContain('O-1');
    if (TEMPLATES[message.template].channels.includes('sms')) {
      expect(renderSms(message)).toContain('O-1');
    }
  });

  it('puts the customer message in failure texts', () => {
    for (const message of messages) {
      if (!('customerMessage' in message)) continue;
      expect(renderEmail(message).text).toContain(message.customerMessage);
      expect(renderSms(message)).toContain(message.customerMessage);
    }
  });

  it('links the bank confirmation page when known', () => {
    const message = messages[2]!;
    expect(renderEmail(message).text).toContain('https://bank.example/3ds/abc');
    expect(renderSms(message)).toContain('https://bank.example/3ds/abc');
  });

  it('shows carrier and tracking code', () => {
    const text = renderEmail(messages[6]!).text;
    expect(text).toContain('UPS');
    expect(text).toContain('1Z999');
  });

  it('keeps SMS texts within one GSM segment of 160 characters', () => {
    const confirmation = renderSms(messages[0]!);
    expect(confirmation.length).toBeLessThanOrEqual(160);
    expect(confirmation).toMatch(/^[\x20-\x7e]*$/);
  });

  it('rejects SMS rendering of an email-only template', () => {
    expect(() => renderSms({ template: 'order_cancelled', orderId: 'O-1' })).toThrow(
      'template order_cancelled has no SMS text',
    );
  });

  it('sends email before SMS in every template', () => {
    for (const definition of Object.values(TEMPLATES)) {
      expect(definition.channels[0]).toBe('email');
    }
  });
});
