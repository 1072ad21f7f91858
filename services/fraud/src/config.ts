import { baseServiceConfig, eventServiceConfig } from '@orderflow/service-kit';
import { z } from 'zod';

export const fraudConfigSchema = z.object({
  ...baseServiceConfig,
  ...eventServiceConfig,
  PORT: baseServiceConfig.PORT.default(8084),
  /** Sift REST API key; the sandbox accepts any key of 16 or more letters and digits. */
  SIFT_API_KEY: z.string().min(1).default('sandbox0sift0key0000001'),
  /** Sift API base URL without the version path; unset means the sandbox at SANDBOX_URL. */
  SIFT_BASE_URL: z.url().optional(),
});

export type FraudConfig = z.output<typeof fraudConfigSchema>;
