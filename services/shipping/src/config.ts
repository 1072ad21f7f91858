import { baseServiceConfig, eventServiceConfig } from '@orderflow/service-kit';
import { z } from 'zod';
import { MAX_PARCELS_PER_SHIPMENT } from './domain/freight.js';

const PARCEL_LIMIT_EXPECTED = `expected a whole number of parcels from 1 to ${MAX_PARCELS_PER_SHIPMENT}`;

export const shippingConfigSchema = z.object({
  ...baseServiceConfig,
  ...eventServiceConfig,
  PORT: baseServiceConfig.PORT.default(8082),
  /** EasyPost API key, sent as the HTTP Basic user. */
  EASYPOST_API_KEY: z.string().min(1).default('EZTK_orderflow_sandbox'),
  /** EasyPost API origin, such as https://api.easypost.com; unset means the sandbox at SANDBOX_URL. */
  EASYPOST_BASE_URL: z.url().optional(),
  /**
   * Maximum number of parcels in one shipment. An order whose items fill more is held for
   * freight and not charged.
   */
  MAX_PARCELS_PER_SHIPMENT: z
    .string()
    .regex(/^\d{1,3}$/, { error: PARCEL_LIMIT_EXPECTED })
    .transform(Number)
    .refine((parcels) => parcels >= 1 && parcels <= MAX_PARCELS_PER_SHIPMENT, {
      error: PARCEL_LIMIT_EXPECTED,
    })
    .default(MAX_PARCELS_PER_SHIPMENT),
  /** Address that labels are bought from. The defaults describe a fictional warehouse. */
  WAREHOUSE_NAME: z.string().min(1).default('Orderflow Fulfilment Center'),
  WAREHOUSE_STREET: z.string().min(1).default('500 Commerce Drive'),
  WAREHOUSE_CITY: z.string().min(1).default('Columbus'),
  WAREHOUSE_REGION: z.string().min(1).default('OH'),
  WAREHOUSE_POSTAL_CODE: z.string().min(1).default('43219'),
  WAREHOUSE_COUNTRY: z.string().length(2).default('US'),
  /** Phone number printed on labels; the default is in the 555-0100 to 555-0199 fiction range. */
  WAREHOUSE_PHONE: z.string().min(1).default('+16145550100'),
});

export type ShippingConfig = z.output<typeof shippingConfigSchema>;
