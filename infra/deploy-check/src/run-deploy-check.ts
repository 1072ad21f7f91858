import { checkComposeRules } from './compose/compose-rules.js';
import { checkComposeSchema } from './compose/compose-schema.js';
import { checkServiceWiring } from './cross-check/service-wiring.js';
import { checkSharedSettings } from './cross-check/shared-settings.js';
import { loadDeployFiles, PATHS } from './deploy-files.js';
import { checkDockerfile } from './dockerfile/dockerfile-rules.js';
import type { Finding } from './findings.js';
import { checkK8sRules } from './k8s/k8s-rules.js';
import { checkK8sSchema } from './k8s/k8s-schema.js';
import type { Repo } from './repo.js';

/**
 * Parses and checks every deployment file of the repository: the Dockerfiles, docker-compose.yml,
 * the Kubernetes manifests under infra/k8s and the PostgreSQL init script. Returns the findings,
 * an empty list when everything passes. Nothing is built, started or applied.
 *
 * @example
 * const findings = await runDeployCheck(openRepo(findRepoRoot(process.cwd())));
 */
export async function runDeployCheck(repo: Repo): Promise<Finding[]> {
  const { files, findings } = await loadDeployFiles(repo);

  if (files.compose !== undefined) {
    findings.push(...checkComposeSchema(PATHS.compose, files.compose));
    findings.push(...checkComposeRules(PATHS.compose, files.compose, repo));
  }
  for (const { file, object } of files.k8s) findings.push(...checkK8sSchema(file, object));
  findings.push(...checkK8sRules(files.k8s));

  for (const target of files.targets) {
    const text = repo.read(target.file);
    if (text === undefined) {
      findings.push({ file: target.file, rule: 'files/missing', message: 'file not found' });
      continue;
    }
    findings.push(
      ...checkDockerfile(target, text, repo, files.dockerignore ?? [], files.versions, {
        patchFiles: files.patchFiles,
      }),
    );
  }

  findings.push(...checkServiceWiring(files));
  findings.push(...checkSharedSettings(files, repo));
  return findings;
}
