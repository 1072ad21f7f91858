import { baseServiceConfig, eventServiceConfig } from '@orderflow/service-kit';
import { z } from 'zod';

export const gatewayConfigSchema = z.object({
  ...baseServiceConfig,
  ...eventServiceConfig,
  PORT: baseServiceConfig.PORT.default(8080),
});
