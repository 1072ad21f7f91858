import type { Finding } from '../findings.js';
import { DEPLOYMENT } from '../platform.js';
import type { Repo } from '../repo.js';
import { arrayAt, isMapping, stringAt, type Mapping } from '../values.js';
import { parseYamlFile } from '../yaml-files.js';

/** A Kubernetes object from a manifest file. */
export interface K8sObject {
  readonly file: string;
  readonly object: Mapping;
}

const KUSTOMIZATION_FILE = 'kustomization.yaml';
const KUSTOMIZE_API_VERSION = 'kustomize.config.k8s.io/v1beta1';

/**
 * Reads every YAML manifest under `dir` and checks the kustomization.yaml files there: their
 * resources must exist, and every manifest must be listed by exactly one of them, so that
 * `kubectl apply -k` leaves no manifest out.
 */
export function loadK8sManifests(
  repo: Repo,
  dir: string,
): { objects: K8sObject[]; findings: Finding[] } {
  const objects: K8sObject[] = [];
  const findings: Finding[] = [];
  const files = yamlFilesUnder(repo, dir);
  if (files.length === 0) {
    findings.push({ file: dir, rule: 'k8s/files', message: 'no Kubernetes manifests found' });
  }

  const listed = new Set<string>();
  for (const file of files.filter((path) => path.endsWith(`/${KUSTOMIZATION_FILE}`))) {
    const parsed = parseYamlFile(file, repo.read(file) ?? '');
    findings.push(...parsed.findings);
    const kustomization = parsed.documents[0]?.value;
    if (isMapping(kustomization)) {
      const folder = file.slice(0, -KUSTOMIZATION_FILE.length - 1);
      findings.push(...checkKustomization(file, folder, kustomization, repo, listed));
    }
  }

  for (const file of files.filter((path) => !path.endsWith(`/${KUSTOMIZATION_FILE}`))) {
    if (!listed.has(file)) {
      const message = 'is not listed in the resources of any kustomization.yaml';
      findings.push({ file, rule: 'k8s/kustomization', message });
    }
    const parsed = parseYamlFile(file, repo.read(file) ?? '');
    findings.push(...parsed.findings);
    for (const document of parsed.documents) {
      if (isMapping(document.value)) {
        objects.push({ file, object: document.value });
      } else {
        const message = `document ${document.index + 1} is not a mapping`;
        findings.push({ file, rule: 'k8s/files', message });
      }
    }
  }
  return { objects, findings };
}

function yamlFilesUnder(repo: Repo, dir: string): string[] {
  return repo.list(dir).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (repo.isDirectory(path)) return yamlFilesUnder(repo, path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

function checkKustomization(
  file: string,
  folder: string,
  kustomization: Mapping,
  repo: Repo,
  listed: Set<string>,
): Finding[] {
  const findings: Finding[] = [];
  const report = (message: string) => findings.push({ file, rule: 'k8s/kustomization', message });

  if (stringAt(kustomization, 'apiVersion') !== KUSTOMIZE_API_VERSION) {
    report(`apiVersion must be ${KUSTOMIZE_API_VERSION}`);
  }
  if (stringAt(kustomization, 'kind') !== 'Kustomization') report('kind must be Kustomization');
  if (stringAt(kustomization, 'namespace') !== DEPLOYMENT.namespace) {
    report(`namespace must be ${DEPLOYMENT.namespace}`);
  }

  for (const resource of arrayAt(kustomization, 'resources')) {
    const path = `${folder}/${String(resource)}`;
    if (!repo.exists(path)) {
      report(`resource ${String(resource)} does not exist`);
    } else if (repo.isDirectory(path) && !repo.exists(`${path}/${KUSTOMIZATION_FILE}`)) {
      report(`resource ${String(resource)} is a folder without a ${KUSTOMIZATION_FILE}`);
    } else if (listed.has(path)) {
      report(`resource ${String(resource)} is listed twice`);
    } else {
      listed.add(path);
    }
  }
  return findings;
}
