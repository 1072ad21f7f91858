import { fileURLToPath } from 'node:url';
import {
  providerUrl,
  runService,
  startEventProcessing,
  type Environment,
  type RunningService,
} from '@orderflow/service-kit';
import { EasyPostAdapter } from './adapters/providers/easypost/easypost-adapter.js';
import { registerShippingRoutes } from './adapters/shipping-routes.js';
import { shippingHandlers } from './app/shipping-handlers.js';
import { shippingConfigSchema, type ShippingConfig } from './config.js';
import type { CarrierAddress } from './domain/shipping-ports.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/** Starts the shipping service; `main.ts` runs it as a process, tests run it in-process. */
export function startShippingService(
  options: { env?: Environment; ownsProcess?: boolean; tracing?: boolean } = {},
): Promise<RunningService> {
  return runService({
    name: 'shipping',
    version: '0.1.0',
    description:
      'Verifies shipping addresses with EasyPost and buys a label once the payment is captured.',
    configSchema: shippingConfigSchema,
    migrationsDirectory: MIGRATIONS,
    ...options,
    setup: async (context) => {
      const { config, logger, db, app } = context;
      const carrier = new EasyPostAdapter(
        {
          apiKey: config.EASYPOST_API_KEY,
          baseUrl: providerUrl(config.EASYPOST_BASE_URL, config.SANDBOX_URL),
        },
        logger,
      );
      registerShippingRoutes(app, db);
      await startEventProcessing(context, {
        group: 'shipping',
        handlers: shippingHandlers(
          carrier,
          warehouseAddress(config),
          db,
          config.MAX_PARCELS_PER_SHIPMENT,
        ),
      });
    },
  });
}

function warehouseAddress(config: ShippingConfig): CarrierAddress {
  return {
    name: config.WAREHOUSE_NAME,
    street: config.WAREHOUSE_STREET,
    city: config.WAREHOUSE_CITY,
    region: config.WAREHOUSE_REGION,
    postalCode: config.WAREHOUSE_POSTAL_CODE,
    country: config.WAREHOUSE_COUNTRY,
    phone: config.WAREHOUSE_PHONE,
  };
}
