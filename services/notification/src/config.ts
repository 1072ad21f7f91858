import { baseServiceConfig, eventServiceConfig } from '@orderflow/service-kit';
import { z } from 'zod';

export const notificationConfigSchema = z.object({
  ...baseServiceConfig,
  ...eventServiceConfig,
  PORT: baseServiceConfig.PORT.default(8085),
  /** SendGrid API key. The sandbox accepts any key of the form `SG.<id>.<secret>`. */
  SENDGRID_API_KEY: z.string().min(1).default('SG.orderflow-sandbox.local-key'),
  /** SendGrid API base URL. Unset or empty means the sandbox at SANDBOX_URL. */
  SENDGRID_BASE_URL: z.url().optional(),
  /** Sender address. Live SendGrid accepts only a verified sender of the account. */
  SENDGRID_FROM_EMAIL: z.email().default('orders@orderflow.example'),
  /** Twilio account SID, `AC` followed by 32 hex digits. The default is the sandbox's. */
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-f]{32}$/, { error: 'expected AC followed by 32 lower-case hex digits' })
    .default('ACfeedfacefeedfacefeedfacefeedface'),
  TWILIO_AUTH_TOKEN: z.string().min(1).default('cafebabecafebabecafebabecafebabe'),
  /** Twilio API base URL. Unset or empty means the sandbox at SANDBOX_URL. */
  TWILIO_BASE_URL: z.url().optional(),
  /**
   * SMS sender in E.164 form. The default is Twilio's magic test number that passes every From
   * check.
   */
  TWILIO_FROM_NUMBER: z.string().min(1).default('+15005550006'),
});

export type NotificationConfig = z.output<typeof notificationConfigSchema>;
