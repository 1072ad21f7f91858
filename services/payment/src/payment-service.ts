import { fileURLToPath } from 'node:url';
import {
  runService,
  startEventProcessing,
  type Environment,
  type RunningService,
} from '@orderflow/service-kit';
import { registerPaymentRoutes } from './adapters/payment-routes.js';
import { StripeAdapter } from './adapters/providers/stripe/stripe-adapter.js';
import { paymentHandlers } from './app/payment-handlers.js';
import { paymentConfigSchema } from './config.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/** Starts the payment service; `main.ts` runs it as a process, tests run it in-process. */
export function startPaymentService(
  options: { env?: Environment; ownsProcess?: boolean; tracing?: boolean } = {},
): Promise<RunningService> {
  return runService({
    name: 'payment',
    version: '0.1.0',
    description:
      'Authorizes and captures order payments with Stripe once tax, fraud and address checks pass.',
    configSchema: paymentConfigSchema,
    migrationsDirectory: MIGRATIONS,
    ...options,
    setup: async (context) => {
      const { config, logger, db, app } = context;
      const gateway = new StripeAdapter(
        { apiKey: config.STRIPE_API_KEY, baseUrl: config.STRIPE_BASE_URL ?? config.SANDBOX_URL },
        logger,
      );
      registerPaymentRoutes(app, db);
      await startEventProcessing(context, { group: 'payment', handlers: paymentHandlers(gateway) });
    },
  });
}
