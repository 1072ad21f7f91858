import { describe, expect, it } from 'vitest';
import { edit, findingsWith, rulesOf } from './helpers.js';

const COMPOSE = 'docker-compose.yml';

describe('docker-compose.yml check', () => {
  it.each([
    {
      change: 'an unknown service property',
      search: '    restart: unless-stopped\n    environment:\n      POSTGRES_PASSWORD',
      replacement: '    restarts: unless-stopped\n    environment:\n      POSTGRES_PASSWORD',
      rules: ['compose/schema'],
      message: /\/services\/postgres: unknown property "restarts" \(Compose Specification schema\)/,
    },
    {
      change: 'an invalid depends_on condition',
      search: 'condition: service_completed_successfully',
      replacement: 'condition: service_done',
      rules: ['compose/schema', 'cross/compose'],
      message: /must be equal to one of the allowed values/,
    },
    {
      change: 'an unpinned image',
      search: 'image: postgres:16-bookworm',
      replacement: 'image: postgres',
      rules: ['compose/image'],
      message: /service postgres: image postgres is not pinned/,
    },
    {
      change: 'a dependency on a service that does not exist',
      search: '    depends_on:\n      kafka:\n',
      replacement: '    depends_on:\n      broker:\n',
      rules: ['compose/depends-on'],
      message: /service kafka-topics: depends on broker, which is not a service/,
    },
    {
      change: 'waiting for a one-shot service that restarts',
      search: "    restart: 'no'",
      replacement: '    restart: on-failure',
      rules: ['compose/depends-on', 'compose/healthcheck'],
      message: /waits for kafka-topics to complete, but its restart policy on-failure restarts it/,
    },
    {
      change: 'a bind mount of a missing file',
      search: './infra/kafka/topics.txt:/topics.txt:ro',
      replacement: './infra/kafka/topic-list.txt:/topics.txt:ro',
      rules: ['compose/bind-mount'],
      message: /bind mount source .\/infra\/kafka\/topic-list.txt does not exist/,
    },
    {
      change: 'a port published on every interface',
      search: '- 127.0.0.1:8083:8083',
      replacement: '- 8083:8083',
      rules: ['compose/ports'],
      message: /service tax: publishes port 8083 on every interface/,
    },
    {
      change: 'a Dockerfile path that does not exist',
      search: 'dockerfile: services/fraud/Dockerfile',
      replacement: 'dockerfile: services/fraud/Containerfile',
      rules: ['compose/build', 'cross/compose'],
      message: /Dockerfile services\/fraud\/Containerfile does not exist/,
    },
    {
      change: 'a renamed provider variable',
      search: '      STRIPE_API_KEY:\n',
      replacement: '      STRIPE_KEY:\n',
      rules: ['cross/compose'],
      message:
        /service payment: environment variables differ .*missing STRIPE_API_KEY; unexpected STRIPE_KEY/,
    },
    {
      change: 'another service port',
      search: "      PORT: '8084'",
      replacement: "      PORT: '9084'",
      rules: ['cross/compose'],
      message: /service fraud: PORT must be 8084/,
    },
    {
      change: 'a password inside DATABASE_URL',
      search: 'postgres://orderflow_shipping@postgres',
      replacement: 'postgres://orderflow_shipping:secret@postgres',
      rules: ['cross/compose'],
      message: /service shipping: DATABASE_URL contains a password/,
    },
    {
      change: "another service's database",
      search: 'postgres:5432/orderflow_notification',
      replacement: 'postgres:5432/orderflow_crm_sync',
      rules: ['cross/compose'],
      message:
        /service notification: DATABASE_URL must use role and database orderflow_notification/,
    },
    {
      change: 'a password default that differs from the postgres service',
      search: 'PGPASSWORD: ${ORDERFLOW_TAX_DB_PASSWORD:-orderflow_tax}',
      replacement: 'PGPASSWORD: ${ORDERFLOW_TAX_DB_PASSWORD:-tax}',
      rules: ['cross/compose'],
      message: /service postgres sets ORDERFLOW_TAX_DB_PASSWORD to/,
    },
    {
      change: 'a Kafka image other than the local broker release',
      search: 'image: apache/kafka:4.4.0\n    restart: unless-stopped',
      replacement: 'image: apache/kafka:4.0.0\n    restart: unless-stopped',
      rules: ['cross/kafka-version'],
      message: /service kafka: image apache\/kafka:4.0.0 differs from the local broker's release/,
    },
    {
      change: 'a missing init script mount',
      search: '      - ./infra/postgres/docker-init:/docker-entrypoint-initdb.d:ro\n',
      replacement: '',
      rules: ['cross/databases'],
      message: /must mount .\/infra\/postgres\/docker-init at \/docker-entrypoint-initdb.d/,
    },
  ])('reports $change', async ({ search, replacement, rules, message }) => {
    const findings = await findingsWith(edit(COMPOSE, search, replacement));

    expect(rulesOf(findings)).toEqual(rules);
    const messages = findings.map((finding) => finding.message);
    expect(messages.some((text) => message.test(text))).toBe(true);
  });

  it('reports a service without its dependencies', async () => {
    const text = edit(
      COMPOSE,
      '  payment:\n    <<: *service\n',
      '  payment:\n    <<: *container\n',
    );
    const findings = await findingsWith(text);

    const messages = findings.map((finding) => finding.message);
    expect(messages).toContain('service payment: runs until stopped but has no healthcheck');
    expect(messages).toContain(
      'service payment: must depend on postgres with condition service_healthy',
    );
    expect(messages).toContain(
      'service payment: must depend on sandbox with condition service_healthy',
    );
  });
});
