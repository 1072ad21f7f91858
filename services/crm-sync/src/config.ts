import { baseServiceConfig, eventServiceConfig } from '@orderflow/service-kit';
import { z } from 'zod';

export const crmSyncConfigSchema = z.object({
  ...baseServiceConfig,
  ...eventServiceConfig,
  PORT: baseServiceConfig.PORT.default(8086),
  /**
   * HubSpot private app access token. The sandbox accepts any token of the form
   * `pat-<region>-<uuid>`.
   */
  HUBSPOT_ACCESS_TOKEN: z.string().min(1).default('pat-na1-00000000-0000-4000-8000-000000000000'),
  /** HubSpot API base URL. Unset or empty means the sandbox at SANDBOX_URL. */
  HUBSPOT_BASE_URL: z.url().optional(),
});

export type CrmSyncConfig = z.output<typeof crmSyncConfigSchema>;
