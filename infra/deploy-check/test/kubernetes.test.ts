import { describe, expect, it } from 'vitest';
import { edit, findingsWith, rulesOf } from './helpers.js';

const TAX = 'infra/k8s/services/tax.yaml';
const CONFIG = 'infra/k8s/config.yaml';

describe('Kubernetes manifest check', () => {
  it.each([
    {
      change: 'a misspelled field',
      file: TAX,
      search: 'readinessProbe:',
      replacement: 'readinesProbe:',
      rules: ['k8s/probes', 'k8s/unknown-field'],
      message: /unknown field spec.template.spec.containers\[0\].readinesProbe/,
    },
    {
      change: 'a value of the wrong type',
      file: TAX,
      search: 'containerPort: 8083',
      replacement: "containerPort: '8083'",
      rules: ['cross/k8s', 'k8s/schema'],
      message: /spec.template.spec.containers\[0\].ports\[0\].containerPort must be integer/,
    },
    {
      change: 'a ConfigMap value that is not a string',
      file: CONFIG,
      search: 'LOG_LEVEL: info',
      replacement: 'LOG_LEVEL: 3',
      rules: ['k8s/schema'],
      message: /ConfigMap orderflow-config: data.LOG_LEVEL must be string/,
    },
    {
      change: 'a kind without a schema',
      file: CONFIG,
      search: 'kind: ConfigMap',
      replacement: 'kind: ConfigMapList',
      rules: ['cross/k8s', 'k8s/env', 'k8s/unsupported-kind'],
      message: /v1\/ConfigMapList orderflow-config: no schema for this kind/,
    },
    {
      change: 'a writable root filesystem',
      file: TAX,
      search: 'readOnlyRootFilesystem: true',
      replacement: 'readOnlyRootFilesystem: false',
      rules: ['k8s/security'],
      message: /container tax: readOnlyRootFilesystem must be true/,
    },
    {
      change: 'a pod that may run as root',
      file: TAX,
      search: 'runAsNonRoot: true',
      replacement: 'runAsNonRoot: false',
      rules: ['k8s/security'],
      message: /container tax: runAsNonRoot must be true/,
    },
    {
      change: 'capabilities that are kept',
      file: TAX,
      search: '              drop:\n                - ALL',
      replacement: '              drop:\n                - NET_RAW',
      rules: ['k8s/security'],
      message: /capabilities.drop must contain ALL/,
    },
    {
      change: 'no writable /tmp',
      file: TAX,
      search: 'mountPath: /tmp',
      replacement: 'mountPath: /var/tmp',
      rules: ['k8s/volumes'],
      message: /mounts no writable volume at \/tmp/,
    },
    {
      change: 'a readiness probe on the liveness route',
      file: TAX,
      search: 'path: /health/ready',
      replacement: 'path: /health/live',
      rules: ['k8s/probes'],
      message: /readinessProbe requests \/health\/live; expected \/health\/ready/,
    },
    {
      change: 'a probe on a port the container lacks',
      file: TAX,
      search:
        '            httpGet:\n              path: /health/live\n              port: http\n            periodSeconds: 10',
      replacement:
        '            httpGet:\n              path: /health/live\n              port: metrics\n            periodSeconds: 10',
      rules: ['k8s/probes'],
      message: /livenessProbe port metrics is not a container port/,
    },
    {
      change: 'missing resource limits',
      file: TAX,
      search: "              cpu: '1'\n",
      replacement: '',
      rules: ['k8s/resources'],
      message: /resources.limits.cpu is not set/,
    },
    {
      change: 'more replicas than partitions',
      file: TAX,
      search: 'replicas: 2',
      replacement: 'replicas: 8',
      rules: ['k8s/replicas'],
      message: /8 replicas exceed the 6 partitions per topic/,
    },
    {
      change: 'a provider Secret key that is required',
      file: TAX,
      search: 'key: AVATAX_LICENSE_KEY\n                  optional: true',
      replacement: 'key: AVATAX_LICENSE_KEY',
      rules: ['k8s/env'],
      message: /AVATAX_LICENSE_KEY comes from a Secret and must be optional/,
    },
    {
      change: 'a credential from a ConfigMap',
      file: TAX,
      search:
        '                secretKeyRef:\n                  name: orderflow-tax\n                  key: AVATAX_LICENSE_KEY',
      replacement:
        '                configMapKeyRef:\n                  name: orderflow-config\n                  key: AVATAX_LICENSE_KEY',
      rules: ['k8s/env'],
      message: /AVATAX_LICENSE_KEY holds a credential and must come from a secretKeyRef/,
    },
    {
      change: 'a ConfigMap key that does not exist',
      file: CONFIG,
      search: '  TAX_DATABASE_URL:',
      replacement: '  TAX_DB_URL:',
      rules: ['cross/k8s', 'k8s/env'],
      message:
        /DATABASE_URL refers to key TAX_DATABASE_URL, which ConfigMap orderflow-config lacks/,
    },
    {
      change: 'a Service that selects no pods',
      file: TAX,
      search: 'spec:\n  selector:\n    app.kubernetes.io/name: tax\n  ports:',
      replacement: 'spec:\n  selector:\n    app.kubernetes.io/name: taxes\n  ports:',
      rules: ['k8s/selector'],
      message: /Service tax: spec.selector matches the pods of no Deployment/,
    },
    {
      change: 'a disruption budget that blocks node drains',
      file: TAX,
      search: 'maxUnavailable: 1\n  selector',
      replacement: 'maxUnavailable: 0\n  selector',
      rules: ['k8s/disruption'],
      message: /PodDisruptionBudget tax: allows no pod of 2 to be evicted/,
    },
    {
      change: 'an object in another namespace',
      file: TAX,
      search: 'namespace: orderflow',
      replacement: 'namespace: default',
      rules: ['k8s/namespace'],
      message: /Deployment tax: metadata.namespace must be orderflow; found default/,
    },
    {
      change: 'another image tag',
      file: TAX,
      search: 'image: orderflow/tax:0.1.0',
      replacement: 'image: orderflow/tax:latest',
      rules: ['cross/k8s', 'k8s/image'],
      message: /image orderflow\/tax:latest is not pinned/,
    },
    {
      change: 'a database URL with another role',
      file: CONFIG,
      search: 'postgres://orderflow_fraud@',
      replacement: 'postgres://postgres@',
      rules: ['cross/k8s'],
      message: /fraud: DATABASE_URL must use role and database orderflow_fraud/,
    },
  ])('reports $change', async ({ file, search, replacement, rules, message }) => {
    const findings = await findingsWith(edit(file, search, replacement));

    expect(rulesOf(findings)).toEqual(rules);
    const messages = findings.map((finding) => finding.message);
    expect(messages.some((text) => message.test(text))).toBe(true);
  });

  it('reports a manifest that no kustomization lists', async () => {
    const findings = await findingsWith(
      edit('infra/k8s/kustomization.yaml', '  - services/fraud.yaml\n', ''),
    );

    const kustomization = findings.filter((finding) => finding.rule === 'k8s/kustomization');
    expect(kustomization).toEqual([
      {
        file: 'infra/k8s/services/fraud.yaml',
        rule: 'k8s/kustomization',
        message: 'is not listed in the resources of any kustomization.yaml',
      },
    ]);
  });

  it('reports a kustomization resource that does not exist', async () => {
    const findings = await findingsWith(
      edit('infra/k8s/kustomization.yaml', 'services/tax.yaml', 'services/taxes.yaml'),
    );

    const messages = findings.map((finding) => finding.message);
    expect(messages).toContain('resource services/taxes.yaml does not exist');
    expect(messages).toContain('is not listed in the resources of any kustomization.yaml');
  });

  it('reports a service without a Deployment', async () => {
    const findings = await findingsWith({ 'infra/k8s/services/crm-sync.yaml': null });

    const messages = findings.map((finding) => finding.message);
    expect(messages).toContain('crm-sync: no Deployment with this name');
    expect(messages).toContain('resource services/crm-sync.yaml does not exist');
  });
});
