import { loadConfig } from '@orderflow/service-kit';
import { describe, expect, it } from 'vitest';
import { shippingConfigSchema } from '../src/config.js';

const REQUIRED = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/orderflow_shipping',
  KAFKA_BROKERS: '127.0.0.1:19092',
};

describe('shipping config', () => {
  it.each([
    [undefined, 100],
    ['1', 1],
    ['100', 100],
    ['040', 40],
  ])('reads MAX_PARCELS_PER_SHIPMENT %j as %d', (value, expected) => {
    const config = loadConfig(shippingConfigSchema, {
      ...REQUIRED,
      MAX_PARCELS_PER_SHIPMENT: value,
    });

    expect(config.MAX_PARCELS_PER_SHIPMENT).toBe(expected);
  });

  it.each(['0', '101', '1000', 'abc', ' 5', '1e2', '-1', '5.0'])(
    'rejects MAX_PARCELS_PER_SHIPMENT %j',
    (value) => {
      expect(() =>
        loadConfig(shippingConfigSchema, { ...REQUIRED, MAX_PARCELS_PER_SHIPMENT: value }),
      ).toThrow(/MAX_PARCELS_PER_SHIPMENT: expected a whole number of parcels from 1 to 100/);
    },
  );
});
