import { fileURLToPath } from 'node:url';
import {
  runService,
  startEventProcessing,
  type Environment,
  type RunningService,
} from '@orderflow/service-kit';
import { registerOrderRoutes } from './adapters/order-routes.js';
import { projectionHandlers } from './app/projection-handlers.js';
import { recordRejectedOrder } from './app/record-rejection.js';
import { gatewayConfigSchema } from './config.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/** Starts the gateway; `main.ts` runs it as a process, tests run it in-process. */
export function startGatewayService(
  options: { env?: Environment; ownsProcess?: boolean; tracing?: boolean } = {},
): Promise<RunningService> {
  return runService({
    name: 'gateway',
    version: '0.1.0',
    description: "Edge API: accepts checkout orders and serves each order's status and timeline.",
    configSchema: gatewayConfigSchema,
    migrationsDirectory: MIGRATIONS,
    ...options,
    setup: async (context) => {
      const { db, app, logger } = context;
      registerOrderRoutes(app, db);
      await startEventProcessing(context, {
        group: 'gateway',
        handlers: projectionHandlers(),
        onDeadLetter: async (notice) => {
          await recordRejectedOrder(db, notice);
          logger.warn({ topic: notice.topic, orderKey: notice.key }, 'order event rejected');
        },
      });
    },
  });
}
