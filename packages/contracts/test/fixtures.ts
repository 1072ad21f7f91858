import type { CheckoutOrder } from '../src/index.js';

/** Builds a valid checkout order; tests break one field of a fresh copy at a time. */
export function validOrder(): CheckoutOrder {
  return {
    orderId: 'US-2019-103800',
    placedAt: '2019-01-03T00:00:00Z',
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
        name: 'Message Book',
        quantity: 2,
        discountRate: 0.2,
        lineTotalMinor: 1645,
      },
      {
        productId: 'OFF-AR-10001662',
        name: 'Pencil Sharpener',
        quantity: 1,
        discountRate: 0,
        lineTotalMinor: 548,
      },
    ],
    totals: { subtotalMinor: 2193 },
    payment: { paymentMethodId: 'pm_sandbox_4242abcd' },
  };
}
