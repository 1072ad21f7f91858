import { formatFinding } from './findings.js';
import { findRepoRoot, openRepo } from './repo.js';
import { runDeployCheck } from './run-deploy-check.js';

// Usage: pnpm --filter @orderflow/deploy-check check
// Prints one line per finding and exits with 1 when there is any.
const repo = openRepo(findRepoRoot(process.cwd()));
const findings = await runDeployCheck(repo);

for (const finding of findings) console.error(formatFinding(finding));
if (findings.length > 0) {
  console.error(`deploy-check: ${findings.length} problems found`);
  process.exitCode = 1;
} else {
  console.log(
    'deploy-check: Dockerfiles, docker-compose.yml, Kubernetes manifests and init SQL pass',
  );
}
