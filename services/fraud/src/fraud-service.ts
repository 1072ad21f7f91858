import { fileURLToPath } from 'node:url';
import {
  providerUrl,
  runService,
  startEventProcessing,
  type Environment,
  type RunningService,
} from '@orderflow/service-kit';
import { registerFraudRoutes } from './adapters/fraud-routes.js';
import { SiftClient } from './adapters/providers/sift/sift-client.js';
import { fraudHandlers } from './app/fraud-handlers.js';
import { fraudConfigSchema } from './config.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/** Starts the fraud service; `main.ts` runs it as a process, tests run it in-process. */
export function startFraudService(
  options: { env?: Environment; ownsProcess?: boolean; tracing?: boolean } = {},
): Promise<RunningService> {
  return runService({
    name: 'fraud',
    version: '0.1.0',
    description:
      'Scores each new order with Sift and local rules and approves, holds for review or blocks it.',
    configSchema: fraudConfigSchema,
    migrationsDirectory: MIGRATIONS,
    ...options,
    setup: async (context) => {
      const { config, logger, db, app } = context;
      const sift = new SiftClient(
        {
          apiKey: config.SIFT_API_KEY,
          baseUrl: providerUrl(config.SIFT_BASE_URL, config.SANDBOX_URL),
        },
        logger,
      );
      registerFraudRoutes(app, db);
      await startEventProcessing(context, { group: 'fraud', handlers: fraudHandlers(sift) });
    },
  });
}
