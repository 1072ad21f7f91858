import { fileURLToPath } from 'node:url';
import {
  runService,
  startEventProcessing,
  type Environment,
  type RunningService,
} from '@orderflow/service-kit';
import { registerCrmSyncRoutes } from './adapters/crm-sync-routes.js';
import { HubSpotCrmGateway } from './adapters/hubspot-crm-gateway.js';
import { crmSyncHandlers } from './app/crm-sync-handlers.js';
import { crmSyncConfigSchema } from './config.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/** Starts the crm-sync service. `main.ts` runs it as a process, and tests run it in-process. */
export function startCrmSyncService(
  options: { env?: Environment; ownsProcess?: boolean; tracing?: boolean } = {},
): Promise<RunningService> {
  return runService({
    name: 'crm-sync',
    version: '0.1.0',
    description: 'Mirrors the customer and the deal of every captured order in HubSpot.',
    configSchema: crmSyncConfigSchema,
    migrationsDirectory: MIGRATIONS,
    ...options,
    setup: async (context) => {
      const { config, logger, db, app } = context;
      const crm = new HubSpotCrmGateway(
        {
          accessToken: config.HUBSPOT_ACCESS_TOKEN,
          baseUrl: config.HUBSPOT_BASE_URL ?? config.SANDBOX_URL,
        },
        logger,
      );
      registerCrmSyncRoutes(app, db);
      await startEventProcessing(context, { group: 'crm-sync', handlers: crmSyncHandlers(crm) });
    },
  });
}
