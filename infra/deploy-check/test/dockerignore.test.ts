import { describe, expect, it } from 'vitest';
import { isDockerIgnored, parseDockerignore } from '../src/dockerfile/dockerignore.js';
import { edit, findingsWith } from './helpers.js';

const PATTERNS = parseDockerignore('# comment\n**/node_modules\n.git\n**/test\ndocs\n*.log\n');

describe('dockerignore matcher', () => {
  it.each([
    { path: 'node_modules', ignored: true },
    { path: 'packages/sandbox/node_modules/fastify/package.json', ignored: true },
    { path: '.git/config', ignored: true },
    { path: 'services/payment/test/main.test.ts', ignored: true },
    { path: './docs/deployment.md', ignored: true },
    { path: 'error.log', ignored: true },
    { path: 'services/payment/error.log', ignored: false },
    { path: 'packages/test-support/src/index.ts', ignored: false },
    { path: 'pnpm-lock.yaml', ignored: false },
    { path: '.', ignored: false },
  ])('returns $ignored for $path', ({ path, ignored }) => {
    expect(isDockerIgnored(path, PATTERNS)).toBe(ignored);
  });

  it('skips comments and blank lines', () => {
    expect(PATTERNS).toEqual(['**/node_modules', '.git', '**/test', 'docs', '*.log']);
  });
});

describe('.dockerignore check', () => {
  it('reports a missing node_modules entry', async () => {
    const findings = await findingsWith(edit('.dockerignore', '**/node_modules\n', ''));

    expect(findings.map((finding) => finding.message)).toEqual([
      'must contain **/node_modules, because every Dockerfile copies the whole build context',
    ]);
  });

  it('reports exception patterns', async () => {
    const findings = await findingsWith(
      edit('.dockerignore', 'docs\n', 'docs\n!docs/deployment.md\n'),
    );

    expect(findings.map((finding) => finding.message)).toEqual([
      'exception pattern !docs/deployment.md is not supported by the COPY source check',
    ]);
  });
});
