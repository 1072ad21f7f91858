import { describe, expect, it } from 'vitest';
import { checkoutOrderSchema, toContractIssues } from '../src/index.js';
import { validOrder } from './fixtures.js';

function issuesOf(order: unknown) {
  const result = checkoutOrderSchema.safeParse(order);
  return result.success ? [] : toContractIssues(result.error);
}

describe('checkout order', () => {
  it('accepts a valid order', () => {
    expect(issuesOf(validOrder())).toEqual([]);
  });

  const cases: Array<[string, (order: ReturnType<typeof validOrder>) => void, string]> = [
    ['negative quantity', (o) => (o.lines[0]!.quantity = -2), 'lines.0.quantity'],
    ['fractional quantity', (o) => (o.lines[0]!.quantity = 1.5), 'lines.0.quantity'],
    ['unknown currency', (o) => ((o as { currency: string }).currency = 'XYZ'), 'currency'],
    [
      'subtotal that does not add up',
      (o) => (o.totals.subtotalMinor = 9999),
      'totals.subtotalMinor',
    ],
    ['malformed email', (o) => (o.customer.email = 'not-an-email'), 'customer.email'],
    ['malformed phone', (o) => (o.customer.phone = '202-555-0106'), 'customer.phone'],
    ['unknown country', (o) => (o.shipTo.country = 'XX'), 'shipTo.country'],
    ['lower-case country', (o) => (o.shipTo.country = 'us'), 'shipTo.country'],
    [
      'card number instead of a token',
      (o) => (o.payment.paymentMethodId = '4242424242424242'),
      'payment.paymentMethodId',
    ],
    ['missing street', (o) => (o.shipTo.street = ''), 'shipTo.street'],
    ['no lines', (o) => (o.lines = []), 'lines'],
    [
      'amount in major units',
      (o) => (o.lines[0]!.lineTotalMinor = 16.45),
      'lines.0.lineTotalMinor',
    ],
  ];

  it.each(cases)('rejects %s and names the field', (_name, breakOrder, path) => {
    const order = validOrder();
    breakOrder(order);
    const issues = issuesOf(order);
    expect(issues.map((issue) => issue.path)).toContain(path);
  });

  it('explains the expected sum when totals do not add up', () => {
    const order = validOrder();
    order.totals.subtotalMinor = 1;
    const [issue] = issuesOf(order);
    expect(issue?.message).toContain('must equal the sum of the line totals (2193)');
  });

  it('rejects a missing customer email', () => {
    const order = validOrder() as unknown as { customer: Record<string, unknown> };
    delete order.customer.email;
    expect(issuesOf(order).map((issue) => issue.path)).toContain('customer.email');
  });
});

describe('unsafe text in a checkout order', () => {
  const cases: Array<[string, (order: ReturnType<typeof validOrder>) => void, string]> = [
    [
      'a card number inside a name',
      (o) => (o.shipTo.name = 'pay with 4242 4242 4242 4242 thanks'),
      'shipTo.name',
    ],
    ['a dotted card number', (o) => (o.shipTo.street = '4242.4242.4242.4242'), 'shipTo.street'],
    [
      'full-width digits',
      (o) => (o.shipTo.street = '４２４２４２４２４２４２４２４２'),
      'shipTo.street',
    ],
    ['a card number in the order id', (o) => (o.orderId = 'BRK-4242424242424242'), 'orderId'],
    [
      'a card number in the email',
      (o) => (o.customer.email = '4242424242424242@example.com'),
      'customer.email',
    ],
    ['a NUL character', (o) => (o.lines[0]!.name = 'a\u0000b'), 'lines.0.name'],
    ['an unpaired surrogate', (o) => (o.lines[0]!.name = 'a\ud800b'), 'lines.0.name'],
  ];

  it.each(cases)('rejects %s', (_name, breakOrder, path) => {
    const order = validOrder();
    breakOrder(order);
    const issues = issuesOf(order);
    expect(issues.map((issue) => issue.path)).toContain(path);
    expect(JSON.stringify(issues)).not.toMatch(/4242/);
  });

  it('accepts phone numbers, postal codes and product ids', () => {
    expect(issuesOf(validOrder())).toEqual([]);
  });

  it('accepts a token whose random part holds a long digit run', () => {
    const order = validOrder();
    order.payment.paymentMethodId = 'pm_3f90424242424242424242ab';
    expect(issuesOf(order)).toEqual([]);
  });

  it('rejects an order without a charge', () => {
    const order = validOrder();
    order.lines = [{ ...order.lines[0]!, lineTotalMinor: 0 }];
    order.totals.subtotalMinor = 0;
    expect(issuesOf(order).map((issue) => issue.path)).toContain('totals.subtotalMinor');
  });

  it('does not repeat an invalid currency in the message', () => {
    const order = validOrder() as unknown as { currency: string };
    order.currency = 'card 4242 4242 4242 4242';
    expect(JSON.stringify(issuesOf(order))).not.toMatch(/4242/);
  });
});
