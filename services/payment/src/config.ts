import { baseServiceConfig, eventServiceConfig } from '@orderflow/service-kit';
import { z } from 'zod';

export const paymentConfigSchema = z.object({
  ...baseServiceConfig,
  ...eventServiceConfig,
  PORT: baseServiceConfig.PORT.default(8081),
  /** A Stripe secret key; the sandbox accepts any key starting with sk_test_. */
  STRIPE_API_KEY: z.string().min(1).default('sk_test_orderflow_sandbox'),
  /** Stripe API base URL; empty means the sandbox at SANDBOX_URL. */
  STRIPE_BASE_URL: z.url().optional(),
});

export type PaymentConfig = z.output<typeof paymentConfigSchema>;
