import { fileURLToPath } from 'node:url';
import {
  runService,
  startEventProcessing,
  type Environment,
  type RunningService,
} from '@orderflow/service-kit';
import { registerNotificationRoutes } from './adapters/notification-routes.js';
import { SendGridAdapter } from './adapters/providers/sendgrid/sendgrid-adapter.js';
import { TwilioAdapter } from './adapters/providers/twilio/twilio-adapter.js';
import { notificationHandlers } from './app/notification-handlers.js';
import { notificationConfigSchema } from './config.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Starts the notification service. `main.ts` runs it as a process, and tests run it in-process.
 */
export function startNotificationService(
  options: { env?: Environment; ownsProcess?: boolean; tracing?: boolean } = {},
): Promise<RunningService> {
  return runService({
    name: 'notification',
    version: '0.1.0',
    description:
      'Tells customers about their orders by email (SendGrid) and SMS (Twilio) ' +
      'as the order saga advances.',
    configSchema: notificationConfigSchema,
    migrationsDirectory: MIGRATIONS,
    ...options,
    setup: async (context) => {
      const { config, logger, db, app } = context;
      const email = new SendGridAdapter(
        {
          apiKey: config.SENDGRID_API_KEY,
          baseUrl: config.SENDGRID_BASE_URL ?? config.SANDBOX_URL,
          fromEmail: config.SENDGRID_FROM_EMAIL,
        },
        logger,
      );
      const sms = new TwilioAdapter(
        {
          accountSid: config.TWILIO_ACCOUNT_SID,
          authToken: config.TWILIO_AUTH_TOKEN,
          baseUrl: config.TWILIO_BASE_URL ?? config.SANDBOX_URL,
          fromNumber: config.TWILIO_FROM_NUMBER,
        },
        logger,
      );
      registerNotificationRoutes(app, db);
      await startEventProcessing(context, {
        group: 'notification',
        handlers: notificationHandlers({ email, sms }),
      });
    },
  });
}
