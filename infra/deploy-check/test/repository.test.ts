import { describe, expect, it } from 'vitest';
import { formatFinding, runDeployCheck } from '../src/index.js';
import { findingsWith, repo, rulesOf } from './helpers.js';

describe('deployment files of the repository', () => {
  it('pass every check', async () => {
    const findings = await runDeployCheck(repo);

    expect(findings.map(formatFinding)).toEqual([]);
  });

  it('report each missing file', async () => {
    const findings = await findingsWith({
      'docker-compose.yml': null,
      'infra/postgres/docker-init/01-databases.sql': null,
      'services/tax/Dockerfile': null,
    });

    const missing = findings.filter((finding) => finding.rule === 'files/missing');
    expect(missing.map((finding) => finding.file).sort()).toEqual([
      'docker-compose.yml',
      'infra/postgres/docker-init/01-databases.sql',
      'services/tax/Dockerfile',
    ]);
  });

  it('report YAML syntax errors with their line', async () => {
    const findings = await findingsWith({ 'infra/k8s/config.yaml': 'data:\n  a: 1\n  a: 2\n' });

    expect(rulesOf(findings)).toContain('yaml/syntax');
    const syntax = findings.find((finding) => finding.rule === 'yaml/syntax');
    expect(syntax?.file).toBe('infra/k8s/config.yaml');
    expect(syntax?.message).toMatch(/line 3/);
  });

  it('report a service folder the platform lacks', async () => {
    const findings = await findingsWith({ 'services/tax/package.json': null });

    const folders = findings.find((finding) => finding.rule === 'cross/services');
    expect(folders?.message).toBe(
      "services/ folders differ from the platform's service list: missing tax",
    );
  });
});
