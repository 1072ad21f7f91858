import { baseServiceConfig, eventServiceConfig } from '@orderflow/service-kit';
import { z } from 'zod';

export const taxConfigSchema = z.object({
  ...baseServiceConfig,
  ...eventServiceConfig,
  PORT: baseServiceConfig.PORT.default(8083),
  /** AvaTax account id, the HTTP Basic user. */
  AVATAX_ACCOUNT_ID: z.string().min(1).default('1100000000'),
  /** AvaTax license key, the HTTP Basic password. */
  AVATAX_LICENSE_KEY: z.string().min(1).default('sandbox-license-key'),
  /** AvaTax company whose nexus and settings apply to the calculation. */
  AVATAX_COMPANY_CODE: z.string().min(1).default('DEFAULT'),
  /** AvaTax API origin without `/api/v2`, such as https://rest.avatax.com; unset means the sandbox at SANDBOX_URL. */
  AVATAX_BASE_URL: z.url().optional(),
});

export type TaxConfig = z.output<typeof taxConfigSchema>;
