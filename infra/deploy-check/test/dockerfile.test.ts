import { describe, expect, it } from 'vitest';
import { edit, findingsWith, repo, rulesOf } from './helpers.js';

const PAYMENT = 'services/payment/Dockerfile';

describe('Dockerfile check', () => {
  it.each([
    {
      change: 'an unpinned base image',
      search: 'FROM node:20.20.2-bookworm-slim AS build',
      replacement: 'FROM node:latest AS build',
      rules: ['cross/base-image', 'dockerfile/from-pinned'],
      message: /node:latest is not pinned/,
    },
    {
      change: 'a base image other than node bookworm-slim',
      search: 'FROM node:20.20.2-bookworm-slim AS build',
      replacement: 'FROM node:20.20.2-alpine AS build',
      rules: ['cross/base-image', 'dockerfile/from-pinned'],
      message: /is not node:<major>.<minor>.<patch>-bookworm-slim/,
    },
    {
      change: 'a root user',
      search: 'USER node',
      replacement: 'USER root',
      rules: ['dockerfile/user'],
      message: /runs as root/,
    },
    {
      change: 'no USER',
      search: 'USER node\n',
      replacement: '',
      rules: ['dockerfile/user'],
      message: /no USER/,
    },
    {
      change: 'another port',
      search: 'EXPOSE 8081',
      replacement: 'EXPOSE 8082',
      rules: ['dockerfile/expose'],
      message: /exactly port 8081; found 8082/,
    },
    {
      change: 'another PORT variable',
      search: 'PORT=8081',
      replacement: 'PORT=8080',
      rules: ['dockerfile/env'],
      message: /ENV PORT must be 8081; found 8080/,
    },
    {
      change: 'a health check on another route',
      search: "'/health/live'",
      replacement: "'/health'",
      rules: ['dockerfile/healthcheck'],
      message: /must request \/health\/live/,
    },
    {
      change: 'a health check with curl',
      search: 'CMD ["node", "-e",',
      replacement: 'CMD ["curl", "-e",',
      rules: ['dockerfile/healthcheck'],
      message: /curl or wget/,
    },
    {
      change: 'a shell-form CMD',
      search: 'CMD ["tsx", "src/main.ts"]',
      replacement: 'CMD tsx src/main.ts',
      rules: ['dockerfile/cmd'],
      message: /exec form/,
    },
    {
      change: 'a COPY source that does not exist',
      search: 'COPY pnpm-lock.yaml pnpm-workspace.yaml ./',
      replacement: 'COPY pnpm-lock.yml pnpm-workspace.yaml ./',
      rules: ['dockerfile/copy'],
      message: /COPY source pnpm-lock.yml does not exist/,
    },
    {
      change: 'a COPY source that .dockerignore excludes',
      search: 'COPY pnpm-lock.yaml pnpm-workspace.yaml ./',
      replacement: 'COPY pnpm-lock.yaml docs ./',
      rules: ['dockerfile/copy'],
      message: /COPY source docs is excluded by .dockerignore/,
    },
    {
      change: 'no COPY of the dependency patches before pnpm fetch',
      search: 'COPY patches ./patches\n',
      replacement: '',
      rules: ['dockerfile/patches'],
      message: /pnpm fetch runs before patches\/kafkajs@2\.2\.4\.patch is copied/,
    },
    {
      change: 'a COPY from a stage that does not exist',
      search: 'COPY --from=build /out ./',
      replacement: 'COPY --from=builder /out ./',
      rules: ['dockerfile/copy'],
      message: /--from=builder names no earlier stage/,
    },
    {
      change: 'another package in the install filter',
      search: '--filter @orderflow/payment...',
      replacement: '--filter @orderflow/shipping...',
      rules: ['dockerfile/package'],
      message: /RUN names @orderflow\/shipping/,
    },
    {
      change: 'a pnpm version other than packageManager',
      search: 'pnpm@10.34.9',
      replacement: 'pnpm@10.0.0',
      rules: ['dockerfile/tools'],
      message: /installs pnpm@10.0.0, but "packageManager" in package.json has 10.34.9/,
    },
    {
      change: 'a tsx version other than the lockfile',
      search: 'tsx@4.23.15',
      replacement: 'tsx@4.19.0',
      rules: ['dockerfile/tools'],
      message: /installs tsx@4.19.0, but pnpm-lock.yaml has 4.23.15/,
    },
    {
      change: 'an unknown HEALTHCHECK flag',
      search: '--start-period=30s',
      replacement: '--start-perod=30s',
      rules: ['dockerfile/syntax'],
      message: /Unknown flag: start-perod/,
    },
  ])('reports $change', async ({ search, replacement, rules, message }) => {
    const findings = await findingsWith(edit(PAYMENT, search, replacement));

    expect(rulesOf(findings)).toEqual(rules);
    const messages = findings.map((finding) => finding.message);
    expect(messages.some((text) => message.test(text))).toBe(true);
  });

  it('reports a missing HEALTHCHECK', async () => {
    const sandbox = 'packages/sandbox/Dockerfile';
    const healthcheck = /HEALTHCHECK[^\n]*\\\n[^\n]*\n/;
    const text = repo.read(sandbox) ?? '';
    expect(text).toMatch(healthcheck);

    const findings = await findingsWith({ [sandbox]: text.replace(healthcheck, '') });

    expect(rulesOf(findings)).toEqual(['dockerfile/healthcheck']);
    expect(findings[0]?.file).toBe(sandbox);
  });

  it('reports a base image below engines.node', async () => {
    const findings = await findingsWith(
      edit('package.json', '"node": ">=20.11"', '"node": ">=22"'),
    );

    expect(rulesOf(findings)).toEqual(['cross/node-version']);
    expect(findings[0]?.message).toBe(
      'node:20.20.2-bookworm-slim: Node.js 20.20.2 does not satisfy engines.node >=22',
    );
  });
});
