import { fileURLToPath } from 'node:url';
import {
  providerUrl,
  runService,
  startEventProcessing,
  type Environment,
  type RunningService,
} from '@orderflow/service-kit';
import { AvaTaxAdapter } from './adapters/providers/avatax/avatax-adapter.js';
import { registerTaxRoutes } from './adapters/tax-routes.js';
import { loadUsStateRates } from './adapters/us-state-rates-file.js';
import { taxHandlers } from './app/tax-handlers.js';
import { taxConfigSchema } from './config.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/** Starts the tax service; `main.ts` runs it as a process, tests run it in-process. */
export function startTaxService(
  options: { env?: Environment; ownsProcess?: boolean; tracing?: boolean } = {},
): Promise<RunningService> {
  return runService({
    name: 'tax',
    version: '0.1.0',
    description:
      'Calculates order tax with AvaTax, falling back to stored US state and Canadian rates.',
    configSchema: taxConfigSchema,
    migrationsDirectory: MIGRATIONS,
    ...options,
    setup: async (context) => {
      const { config, logger, db, app } = context;
      const usStateRates = await loadUsStateRates();
      const avatax = new AvaTaxAdapter(
        {
          accountId: config.AVATAX_ACCOUNT_ID,
          licenseKey: config.AVATAX_LICENSE_KEY,
          companyCode: config.AVATAX_COMPANY_CODE,
          baseUrl: providerUrl(config.AVATAX_BASE_URL, config.SANDBOX_URL),
        },
        logger,
      );
      registerTaxRoutes(app, db);
      await startEventProcessing(context, {
        group: 'tax',
        handlers: taxHandlers(avatax, usStateRates),
      });
    },
  });
}
