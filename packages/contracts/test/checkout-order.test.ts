import { describe, expect, it } from 'vitest';
import {
  EARLIEST_PLACED_AT,
  checkoutOrderSchema,
  toContractIssues,
  type CheckoutOrder,
} from '../src/index.js';
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
    ['empty region', (o) => (o.shipTo.region = ''), 'shipTo.region'],
    ['whitespace-only region', (o) => (o.shipTo.region = ' \t '), 'shipTo.region'],
    ['empty postal code', (o) => (o.shipTo.postalCode = ''), 'shipTo.postalCode'],
    ['whitespace-only postal code', (o) => (o.shipTo.postalCode = '   '), 'shipTo.postalCode'],
    ['whitespace-only city', (o) => (o.shipTo.city = '  '), 'shipTo.city'],
    ['placedAt without a UTC offset', (o) => (o.placedAt = '2019-01-03T00:00:00'), 'placedAt'],
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

  it.each([
    ['region', (o: CheckoutOrder) => (o.shipTo.region = '  ')],
    ['postalCode', (o: CheckoutOrder) => (o.shipTo.postalCode = '')],
    ['region', (o: CheckoutOrder) => (o.shipTo.region = '\u200b')],
    ['city', (o: CheckoutOrder) => (o.shipTo.city = '\u200b\u2060 ')],
    ['street', (o: CheckoutOrder) => (o.shipTo.street = '\u00a0\u3000')],
  ])('requires a non-blank shipTo.%s', (field, breakOrder) => {
    const order = validOrder();
    breakOrder(order);
    expect(issuesOf(order)).toEqual([{ path: `shipTo.${field}`, message: 'is required' }]);
  });

  it('trims region and postal code', () => {
    const order = validOrder();
    order.shipTo.region = ' TX ';
    order.shipTo.postalCode = ' 77095\t';
    const parsed = checkoutOrderSchema.parse(order);
    expect(parsed.shipTo.region).toBe('TX');
    expect(parsed.shipTo.postalCode).toBe('77095');
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

describe('checkout order placedAt', () => {
  const HOUR_MS = 60 * 60 * 1000;
  const RANGE_MESSAGE =
    /^must be between 2000-01-01T00:00:00Z and 24 hours after the current time \(\d{4}-\d\d-\d\dT[\d:.]+Z\)$/;

  function placedAtIssues(placedAt: string) {
    const order = validOrder();
    order.placedAt = placedAt;
    return issuesOf(order).filter((issue) => issue.path === 'placedAt');
  }

  it('accepts the earliest allowed time', () => {
    expect(placedAtIssues(EARLIEST_PLACED_AT)).toEqual([]);
  });

  it('accepts a time 23 hours ahead', () => {
    expect(placedAtIssues(new Date(Date.now() + 23 * HOUR_MS).toISOString())).toEqual([]);
  });

  it('accepts a time with a UTC offset', () => {
    expect(placedAtIssues('2019-01-03T10:15:00+01:00')).toEqual([]);
  });

  it('rejects a time before 2000', () => {
    const issues = placedAtIssues('1999-12-31T23:59:59Z');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(RANGE_MESSAGE);
  });

  it('rejects a time before 2000 given with an offset', () => {
    const issues = placedAtIssues('2000-01-01T00:30:00+01:00');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(RANGE_MESSAGE);
  });

  it('rejects a time 25 hours ahead', () => {
    const issues = placedAtIssues(new Date(Date.now() + 25 * HOUR_MS).toISOString());
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(RANGE_MESSAGE);
  });

  it('rejects a far-future year', () => {
    expect(placedAtIssues('9999-12-31T00:00:00Z').map((issue) => issue.message)).toEqual([
      expect.stringMatching(RANGE_MESSAGE),
    ]);
  });

  it('reports only the format of a malformed time', () => {
    expect(placedAtIssues('yesterday')).toEqual([
      { path: 'placedAt', message: 'must be an ISO 8601 date-time' },
    ]);
  });

  it('explains that a leap second is not accepted', () => {
    expect(placedAtIssues('2016-12-31T23:59:60Z')).toEqual([
      {
        path: 'placedAt',
        message:
          'is a leap second (seconds 60), which is not accepted; send seconds 59 instead, such as 23:59:59',
      },
    ]);
  });

  it('explains a leap second with an offset and fraction', () => {
    const issues = placedAtIssues('2016-12-31T18:59:60.5-05:00');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/^is a leap second \(seconds 60\)/);
  });

  it.each(['2016-12-31T23:59:61Z', '2016-02-30T23:59:60Z', '2016-12-31T23:59:60'])(
    'reports only the format of %s',
    (value) => {
      expect(placedAtIssues(value)).toEqual([
        { path: 'placedAt', message: 'must be an ISO 8601 date-time' },
      ]);
    },
  );

  it('does not repeat the rejected value', () => {
    const issues = placedAtIssues('1990-01-01T00:00:00.4242424242424242Z');
    expect(issues).toHaveLength(1);
    expect(JSON.stringify(issues)).not.toContain('4242');
  });
});
