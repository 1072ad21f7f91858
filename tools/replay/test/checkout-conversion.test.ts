import { readFileSync } from 'node:fs';
import { checkoutOrderSchema } from '@orderflow/contracts';
import { describe, expect, it } from 'vitest';
import {
  newRunId,
  RUN_ID_PATTERN,
  runOrderId,
  toCheckoutOrder,
  toDateTime,
} from '../src/checkout-conversion.js';
import { DEFAULT_ORDERS_FILE } from '../src/replay-options.js';
import { replayOrderSchema, type ReplayOrder } from '../src/replay-order.js';
import { dataSetLine, SAMPLE_ORDERS } from './fixtures.js';

const PAYMENT_METHOD = 'pm_test_replay_1';

function replayOrder(orderId: string): ReplayOrder {
  return replayOrderSchema.parse(JSON.parse(dataSetLine(orderId)));
}

function convert(orderId: string) {
  return toCheckoutOrder(replayOrder(orderId), {
    orderId: runOrderId(orderId, 'rtest1'),
    paymentMethodId: PAYMENT_METHOD,
  });
}

describe('toCheckoutOrder', () => {
  it('converts a data set line to a valid checkout order', () => {
    const order = convert(SAMPLE_ORDERS.captured);

    expect(checkoutOrderSchema.safeParse(order).success).toBe(true);
    expect(order).toEqual({
      orderId: 'US-2019-103800.rtest1',
      placedAt: '2019-01-03T00:00:00.000Z',
      currency: 'USD',
      shipMode: 'Standard Class',
      customer: {
        id: 'DP-13000',
        email: 'dp-13000@example.com',
        phone: '+12025550106',
        segment: 'Consumer',
      },
      shipTo: {
        street: '798 Hillcrest Road',
        city: 'Houston',
        region: 'TX',
        postalCode: '77095',
        country: 'US',
      },
      lines: [
        {
          productId: 'OFF-PA-10000174',
          name: 'Message Book, Wirebound, Four 5 1/2" X 4" Forms/Pg., 200 Dupl. Sets/Book',
          category: 'Office Supplies',
          subCategory: 'Paper',
          quantity: 2,
          discountRate: 0.2,
          lineTotalMinor: 1645,
        },
      ],
      totals: { subtotalMinor: 1645 },
      payment: { paymentMethodId: PAYMENT_METHOD },
    });
  });

  it('sums the line totals in minor units', () => {
    const order = convert(SAMPLE_ORDERS.threeLines);

    expect(order.lines.map((line) => line.lineTotalMinor)).toEqual([354, 1178, 27274]);
    expect(order.totals.subtotalMinor).toBe(28806);
  });

  it('moves client IP and billing country of a risky order', () => {
    const order = convert(SAMPLE_ORDERS.risky);

    expect(order.client).toEqual({ ip: '185.220.101.7' });
    expect(order.payment).toEqual({ paymentMethodId: PAYMENT_METHOD, billingCountry: 'NG' });
    expect(order.customer.email).toBe('rb-19465@mailinator.com');
  });

  it('keeps the currency and postal code of a Canadian order', () => {
    const order = convert(SAMPLE_ORDERS.canadian);

    expect(order.currency).toBe('CAD');
    expect(order.shipTo.postalCode).toBe('M7A');
    expect(order.shipTo.country).toBe('CA');
    expect(checkoutOrderSchema.safeParse(order).success).toBe(true);
  });

  it('leaves out a missing phone number', () => {
    const order = convert(SAMPLE_ORDERS.noPhone);

    expect(order.customer).not.toHaveProperty('phone');
    expect(checkoutOrderSchema.safeParse(order).success).toBe(true);
  });

  it('converts every data set order to a valid checkout order', () => {
    const lines = readFileSync(DEFAULT_ORDERS_FILE, 'utf8').split('\n').filter(Boolean);
    const failures: string[] = [];

    for (const line of lines) {
      const order = replayOrderSchema.parse(JSON.parse(line));
      const converted = toCheckoutOrder(order, {
        orderId: runOrderId(order.orderId, 'rtest1'),
        paymentMethodId: PAYMENT_METHOD,
      });
      const result = checkoutOrderSchema.safeParse(converted);
      if (!result.success) {
        const issues = result.error.issues.map(
          (issue) => `${issue.path.join('.')}: ${issue.message}`,
        );
        failures.push(`${order.orderId}: ${issues.join('; ')}`);
      }
    }

    expect(lines).toHaveLength(5107);
    expect(failures).toEqual([]);
  });

  it('never copies the card number', () => {
    const text = JSON.stringify(convert(SAMPLE_ORDERS.captured));

    expect(text).not.toContain('4242424242424242');
  });
});

describe('run ids', () => {
  it('newRunId matches the run id pattern', () => {
    const runId = newRunId(new Date('2026-01-01T00:00:00Z'));

    expect(runId).toMatch(RUN_ID_PATTERN);
    expect(runId).toBe(`r${Date.UTC(2026, 0, 1).toString(36)}`);
  });

  it('runOrderId appends the run id after a dot', () => {
    expect(runOrderId('US-2019-103800', 'r1')).toBe('US-2019-103800.r1');
  });
});

describe('toDateTime', () => {
  it('turns a day into midnight UTC', () => {
    expect(toDateTime('2019-01-03')).toBe('2019-01-03T00:00:00.000Z');
  });

  it('keeps a date-time', () => {
    expect(toDateTime('2019-01-03T10:15:00+01:00')).toBe('2019-01-03T10:15:00+01:00');
  });
});
