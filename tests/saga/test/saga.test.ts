import { tokenizeTestCard } from '@orderflow/payment';
import type { CheckoutOrder } from '@orderflow/contracts';
import { readTopicsToEnd, waitFor } from '@orderflow/test-support';
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './platform.js';

interface Scenario {
  orderId: string;
  card: string;
  expected: string[];
  email?: string;
  clientIp?: string;
  billingCountry?: string;
  shipTo?: CheckoutOrder['shipTo'];
  currency?: CheckoutOrder['currency'];
  lines?: CheckoutOrder['lines'];
}

const US_ADDRESS = {
  street: '245 Elm Street',
  city: 'Naperville',
  region: 'IL',
  postalCode: '60540',
  country: 'US',
};

// Cards and signals as in the replayed data set; the expected status comes from the card
// issuer's documented behaviour, the risk signals and the address.
const SCENARIOS: Scenario[] = [
  { orderId: 'SAGA-VISA', card: '4242424242424242', expected: ['captured'] },
  { orderId: 'SAGA-MASTERCARD', card: '5555555555554444', expected: ['captured'] },
  { orderId: 'SAGA-AMEX', card: '378282246310005', expected: ['captured'] },
  { orderId: 'SAGA-FUNDS', card: '4000000000009995', expected: ['declined'] },
  { orderId: 'SAGA-GENERIC', card: '4000000000000002', expected: ['declined'] },
  { orderId: 'SAGA-EXPIRED', card: '4000000000000069', expected: ['declined'] },
  { orderId: 'SAGA-3DS', card: '4000002760003184', expected: ['authentication_required'] },
  {
    orderId: 'SAGA-RISKY',
    card: '4242424242424242',
    email: 'rb-19465@mailinator.com',
    clientIp: '185.220.101.7',
    billingCountry: 'NG',
    expected: ['blocked', 'in_review'],
  },
  {
    orderId: 'SAGA-CANADA',
    card: '4000000000000002',
    currency: 'CAD',
    shipTo: {
      street: '12 King Street',
      city: 'Toronto',
      region: 'ON',
      postalCode: 'M7A',
      country: 'CA',
    },
    expected: ['held_for_address'],
  },
  {
    // 1,500 chairs at 7 a parcel fill 215 parcels, more than the 100 of one shipment.
    orderId: 'SAGA-FREIGHT',
    card: '4242424242424242',
    lines: [
      {
        productId: 'FUR-CH-10004063',
        name: 'Manager Chair',
        category: 'Furniture',
        quantity: 1_500,
        discountRate: 0,
        lineTotalMinor: 1_500 * 28_598,
      },
    ],
    expected: ['held_for_freight'],
  },
];

const DEFAULT_LINES: CheckoutOrder['lines'] = [
  {
    productId: 'OFF-BI-10004094',
    name: 'GBC Binding Combs',
    category: 'Office Supplies',
    quantity: 2,
    discountRate: 0.8,
    lineTotalMinor: 354,
  },
  {
    productId: 'FUR-CH-10004063',
    name: 'Manager Chair',
    category: 'Furniture',
    quantity: 1,
    discountRate: 0,
    lineTotalMinor: 28598,
  },
];

function checkoutOrder(scenario: Scenario, paymentMethodId: string): CheckoutOrder {
  const lines = scenario.lines ?? DEFAULT_LINES;
  return {
    orderId: scenario.orderId,
    placedAt: '2021-03-14T00:00:00Z',
    currency: scenario.currency ?? 'USD',
    shipMode: 'Second Class',
    customer: {
      id: `C-${scenario.orderId}`,
      email: scenario.email ?? `${scenario.orderId.toLowerCase()}@example.com`,
      phone: '+12025550139',
    },
    shipTo: scenario.shipTo ?? US_ADDRESS,
    lines,
    totals: { subtotalMinor: lines.reduce((sum, line) => sum + line.lineTotalMinor, 0) },
    payment: {
      paymentMethodId,
      ...(scenario.billingCountry ? { billingCountry: scenario.billingCountry } : {}),
    },
    ...(scenario.clientIp ? { client: { ip: scenario.clientIp } } : {}),
  };
}

describe('order saga', () => {
  let platform: TestPlatform;
  const gatewayUrl = () => platform.services.gateway!.url;

  async function view(orderId: string): Promise<Record<string, any> | undefined> {
    const response = await fetch(`${gatewayUrl()}/v1/orders/${orderId}`);
    return response.status === 200 ? ((await response.json()) as Record<string, any>) : undefined;
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    for (const scenario of SCENARIOS) {
      // The storefront turns the card into a token at the payment provider; services see only the token.
      const paymentMethodId = await tokenizeTestCard(
        { apiKey: 'sk_test_orderflow_sandbox', baseUrl: platform.sandbox.url },
        {
          number: scenario.card,
          expMonth: 12,
          expYear: 2034,
          cvc: /^3[47]/.test(scenario.card) ? '1234' : '123',
        },
      );
      const response = await fetch(`${gatewayUrl()}/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(checkoutOrder(scenario, paymentMethodId)),
      });
      expect(response.status, `POST ${scenario.orderId}`).toBe(202);
    }
    await waitFor(
      async () => {
        const views = await Promise.all(SCENARIOS.map((scenario) => view(scenario.orderId)));
        return views.every((orderView) => orderView?.settled === true);
      },
      { timeoutMs: 120_000, intervalMs: 500, description: 'every scenario settled' },
    );
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it.each(SCENARIOS)('$orderId ends as $expected', async (scenario) => {
    const orderView = await view(scenario.orderId);
    expect(scenario.expected).toContain(orderView?.status);
  });

  it('captures, labels, confirms and mirrors an approved order', async () => {
    const orderView = await view('SAGA-VISA');
    expect(orderView?.fulfilment.labelCreated).toBe(true);
    expect(orderView?.fulfilment.notifiedTemplates).toContain('order_confirmation');
    await waitFor(async () => (await view('SAGA-VISA'))?.fulfilment.crmSynced === true, {
      timeoutMs: 30_000,
      description: 'SAGA-VISA mirrored to the CRM',
    });
    const types = (await view('SAGA-VISA'))!.timeline.map((entry: { type: string }) => entry.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'order.created',
        'tax.calculated',
        'fraud.assessed',
        'shipment.address_verified',
        'payment.authorized',
        'payment.captured',
        'shipment.label_created',
        'notification.sent',
        'crm.synced',
      ]),
    );
    expect(orderView?.stageTimesMs['payment.captured']).toBeGreaterThanOrEqual(0);
  });

  it('tells a declined customer why in plain words', async () => {
    const orderView = await view('SAGA-FUNDS');
    expect(orderView?.customerMessage).toMatch(/insufficient funds/i);
    expect(orderView?.fulfilment.notifiedTemplates).toContain('payment_failed');
    expect(orderView?.fulfilment.labelCreated).toBe(false);
  });

  it('charges nothing for an address it cannot ship to', async () => {
    const orderView = await view('SAGA-CANADA');
    expect(orderView?.fulfilment.notifiedTemplates).toContain('address_correction');
    expect(orderView?.customerMessage).toMatch(/postal code/i);
    const payments = knex({ client: 'pg', connection: platform.databases.payment!.url });
    try {
      const attempts = await payments('payment_attempts').where({ order_id: 'SAGA-CANADA' });
      expect(attempts).toEqual([]);
    } finally {
      await payments.destroy();
    }
  });

  it('holds a freight order uncharged', async () => {
    const orderView = await view('SAGA-FREIGHT');
    expect(orderView?.fulfilment.notifiedTemplates).toContain('freight_required');
    expect(orderView?.customerMessage).toContain('215 parcels');
    expect(orderView?.fulfilment.labelCreated).toBe(false);
    const payments = knex({ client: 'pg', connection: platform.databases.payment!.url });
    try {
      const payment = await payments('payments').where({ order_id: 'SAGA-FREIGHT' }).first();
      expect(payment?.state).toBe('held_for_freight');
      const attempts = await payments('payment_attempts').where({ order_id: 'SAGA-FREIGHT' });
      expect(attempts).toEqual([]);
    } finally {
      await payments.destroy();
    }
  });

  it('never stores or publishes a card number', async () => {
    const cards = [...new Set(SCENARIOS.map((scenario) => scenario.card))];
    const holders: string[] = [];
    for (const [name, database] of Object.entries(platform.databases)) {
      const db = knex({ client: 'pg', connection: database.url });
      try {
        const tables = await db('information_schema.tables')
          .where({ table_schema: 'public', table_type: 'BASE TABLE' })
          .pluck('table_name');
        for (const table of tables) {
          const rows = await db.raw<{ rows: Array<{ text: string }> }>(
            'SELECT t::text AS text FROM ?? AS t',
            [table],
          );
          const text = rows.rows.map((row) => row.text).join('\n');
          for (const card of cards) if (text.includes(card)) holders.push(`${name}.${table}`);
        }
      } finally {
        await db.destroy();
      }
    }
    const messages = await readTopicsToEnd(platform.topics);
    expect(messages.length).toBeGreaterThan(SCENARIOS.length);
    for (const message of messages) {
      const text = message.toString('utf8');
      for (const card of cards) if (text.includes(card)) holders.push('a Kafka message');
    }
    expect(holders).toEqual([]);
  });
});
