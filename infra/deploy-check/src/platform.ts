/** A service of the platform, as the deployment files must describe it. */
export interface ServiceSpec {
  /** Folder under `services/`, and the name in docker-compose.yml and Kubernetes. */
  readonly name: string;
  readonly port: number;
  /** Provider variables that this service reads besides `COMMON_SERVICE_ENV`. */
  readonly providerEnv: readonly string[];
  /** Other settings of this service, which all have defaults in its config. */
  readonly settingsEnv: readonly string[];
}

/** The seven services with their fixed ports and the variables that only they read. */
export const SERVICES: readonly ServiceSpec[] = [
  { name: 'gateway', port: 8080, providerEnv: [], settingsEnv: [] },
  {
    name: 'payment',
    port: 8081,
    providerEnv: ['STRIPE_API_KEY', 'STRIPE_BASE_URL'],
    settingsEnv: [],
  },
  {
    name: 'shipping',
    port: 8082,
    providerEnv: ['EASYPOST_API_KEY', 'EASYPOST_BASE_URL'],
    // The parcel limit of one shipment and the ship-from address printed on labels.
    settingsEnv: [
      'MAX_PARCELS_PER_SHIPMENT',
      'WAREHOUSE_NAME',
      'WAREHOUSE_STREET',
      'WAREHOUSE_CITY',
      'WAREHOUSE_REGION',
      'WAREHOUSE_POSTAL_CODE',
      'WAREHOUSE_COUNTRY',
      'WAREHOUSE_PHONE',
    ],
  },
  {
    name: 'tax',
    port: 8083,
    providerEnv: [
      'AVATAX_ACCOUNT_ID',
      'AVATAX_LICENSE_KEY',
      'AVATAX_COMPANY_CODE',
      'AVATAX_BASE_URL',
    ],
    settingsEnv: [],
  },
  {
    name: 'fraud',
    port: 8084,
    providerEnv: ['SIFT_API_KEY', 'SIFT_BASE_URL'],
    settingsEnv: [],
  },
  {
    name: 'notification',
    port: 8085,
    providerEnv: [
      'SENDGRID_API_KEY',
      'SENDGRID_BASE_URL',
      'SENDGRID_FROM_EMAIL',
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_BASE_URL',
      'TWILIO_FROM_NUMBER',
    ],
    settingsEnv: [],
  },
  {
    name: 'crm-sync',
    port: 8086,
    providerEnv: ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_BASE_URL'],
    settingsEnv: [],
  },
];

/** The provider sandbox, which has an image and a compose service but no database. */
export const SANDBOX = { name: 'sandbox', port: 4010, packageDir: 'packages/sandbox' } as const;

/**
 * Variables that every service container gets. `PGPASSWORD` carries the database password,
 * because node-postgres reads it when `DATABASE_URL` has none, which keeps the URL free of secrets.
 */
export const COMMON_SERVICE_ENV = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'PGPASSWORD',
  'KAFKA_BROKERS',
  'LOG_LEVEL',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'SANDBOX_URL',
] as const;

/** Names of variables with credentials, which Kubernetes must take from a Secret. */
export const CREDENTIAL_NAME = /KEY|TOKEN|SECRET|PASSWORD|SID|ACCOUNT_ID/;

/** Fixed values of the container and cluster setup. */
export const DEPLOYMENT = {
  namespace: 'orderflow',
  /** Image names are `orderflow/<name>:<version of the package>`. */
  imageRepositoryPrefix: 'orderflow/',
  /** Partitions per topic; consumer replicas beyond this count get no partition. */
  topicPartitions: 6,
  /** User id of `node` in the official node images, which the Dockerfiles switch to. */
  nodeUserId: 1000,
  containerHost: '0.0.0.0',
  liveRoute: '/health/live',
  readyRoute: '/health/ready',
} as const;

/** Database and role name of a service: `orderflow_<name>` with `-` turned into `_`. */
export function databaseName(service: string): string {
  return `orderflow_${service.replaceAll('-', '_')}`;
}

/** Name of the variable with a service's database password in docker-compose.yml and the init SQL. */
export function passwordVariable(service: string): string {
  return `ORDERFLOW_${service.replaceAll('-', '_').toUpperCase()}_DB_PASSWORD`;
}

/** Expected environment variable names of a service container, sorted. */
export function expectedServiceEnv(service: ServiceSpec): string[] {
  return [...COMMON_SERVICE_ENV, ...service.providerEnv, ...service.settingsEnv].sort();
}
