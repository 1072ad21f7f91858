import { CONSUMER_GROUPS, EVENT_TYPES, deadLetterTopic } from '@orderflow/contracts';
import { startCrmSyncService } from '@orderflow/crm-sync';
import { startFraudService } from '@orderflow/fraud';
import { startGatewayService } from '@orderflow/gateway';
import { startNotificationService } from '@orderflow/notification';
import { startPaymentService } from '@orderflow/payment';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import type { RunningService } from '@orderflow/service-kit';
import { startShippingService } from '@orderflow/shipping';
import { startTaxService } from '@orderflow/tax';
import {
  createScratchDatabase,
  createTopic,
  deleteTopics,
  uniqueName,
  type ScratchDatabase,
} from '@orderflow/test-support';

type StartService = (options: {
  env: Record<string, string>;
  ownsProcess: boolean;
  tracing: boolean;
}) => Promise<RunningService>;

const SERVICES: Record<string, StartService> = {
  gateway: startGatewayService,
  tax: startTaxService,
  fraud: startFraudService,
  shipping: startShippingService,
  payment: startPaymentService,
  notification: startNotificationService,
  'crm-sync': startCrmSyncService,
};

/** Every service of the platform in this process, on its own topics and scratch databases. */
export interface TestPlatform {
  sandbox: RunningSandbox;
  services: Record<string, RunningService>;
  databases: Record<string, ScratchDatabase>;
  topicPrefix: string;
  /** Every topic of the platform, with the prefix. */
  topics: string[];
  stop(): Promise<void>;
}

/** Starts the sandbox and all seven services with a fresh topic prefix and scratch databases. */
export async function startTestPlatform(): Promise<TestPlatform> {
  const topicPrefix = `${uniqueName('saga', '')}.`;
  const topics = [...EVENT_TYPES, ...CONSUMER_GROUPS.map(deadLetterTopic)].map(
    (topic) => topicPrefix + topic,
  );
  for (const topic of topics) await createTopic(topic, 3);
  const sandbox = await startSandbox({ port: 0 });
  const databases: Record<string, ScratchDatabase> = {};
  const services: Record<string, RunningService> = {};
  for (const [name, start] of Object.entries(SERVICES)) {
    databases[name] = await createScratchDatabase(`saga_${name.replace('-', '_')}`);
    services[name] = await start({
      env: {
        PORT: '0',
        DATABASE_URL: databases[name].url,
        KAFKA_TOPIC_PREFIX: topicPrefix,
        SANDBOX_URL: sandbox.url,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      },
      ownsProcess: false,
      tracing: false,
    });
  }
  return {
    sandbox,
    services,
    databases,
    topicPrefix,
    topics,
    async stop() {
      for (const service of Object.values(services).reverse()) await service.stop();
      await sandbox.close();
      for (const database of Object.values(databases)) await database.drop();
      await deleteTopics(topics);
    },
  };
}
