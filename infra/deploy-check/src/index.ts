export {
  deployTargets,
  loadDeployFiles,
  PATHS,
  type DeployFiles,
  type DeployTarget,
} from './deploy-files.js';
export { formatFinding, type Finding } from './findings.js';
export { findRepoRoot, openRepo, withOverrides, type Repo } from './repo.js';
export { runDeployCheck } from './run-deploy-check.js';
