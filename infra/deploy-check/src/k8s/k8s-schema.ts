import * as clientModels from '@kubernetes/client-node/dist/gen/models/all.js';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import type { Finding } from '../findings.js';
import { isMapping, stringAt, type Mapping } from '../values.js';

/**
 * Schemas of the kinds that the manifests may contain, from two packages generated from the
 * Kubernetes OpenAPI document:
 * - kubernetes-models 4.5.1 validates with JSON schemas compiled by Ajv: required fields, types,
 *   enums and formats. Those schemas allow unknown fields, as the OpenAPI document does. They
 *   match Kubernetes 1.33: they have Lifecycle.stopSignal, new in 1.33, and not
 *   PodSpec.hostnameOverride, new in 1.34.
 * - @kubernetes/client-node 1.3.0 (OpenAPI spec v1.33.0, as its generated files state) lists every
 *   field of every type at run time. That finds the unknown, usually misspelled, fields that
 *   `kubectl apply` rejects with strict field validation.
 */
interface KindSchema {
  /** Throws kubernetes-models' ValidationError when the object does not match. */
  validate(object: Mapping): void;
  /** Name of the @kubernetes/client-node model class. */
  readonly clientType: string;
}

type ModelInput<T extends abstract new (data: never) => unknown> = ConstructorParameters<T>[0];

const KINDS: Record<string, KindSchema> = {
  'v1/Namespace': {
    validate: (object) => new Namespace(object as ModelInput<typeof Namespace>).validate(),
    clientType: 'V1Namespace',
  },
  'v1/ConfigMap': {
    validate: (object) => new ConfigMap(object as ModelInput<typeof ConfigMap>).validate(),
    clientType: 'V1ConfigMap',
  },
  'v1/Secret': {
    validate: (object) => new Secret(object as ModelInput<typeof Secret>).validate(),
    clientType: 'V1Secret',
  },
  'v1/Service': {
    validate: (object) => new Service(object as ModelInput<typeof Service>).validate(),
    clientType: 'V1Service',
  },
  'apps/v1/Deployment': {
    validate: (object) => new Deployment(object as ModelInput<typeof Deployment>).validate(),
    clientType: 'V1Deployment',
  },
  'policy/v1/PodDisruptionBudget': {
    validate: (object) =>
      new PodDisruptionBudget(object as ModelInput<typeof PodDisruptionBudget>).validate(),
    clientType: 'V1PodDisruptionBudget',
  },
};

/** Kinds that the check has schemas for, as `apiVersion/kind`. */
export const SUPPORTED_KINDS = Object.keys(KINDS);

/** Validates one Kubernetes object against its kind's schema and reports unknown fields. */
export function checkK8sSchema(file: string, object: Mapping): Finding[] {
  const apiVersion = stringAt(object, 'apiVersion');
  const kind = stringAt(object, 'kind');
  const name = stringAt(object.metadata, 'name') ?? '(no name)';
  const schema = KINDS[`${apiVersion}/${kind}`];
  if (!schema) {
    const message =
      `${apiVersion}/${kind} ${name}: no schema for this kind; ` +
      `supported kinds are ${SUPPORTED_KINDS.join(', ')}`;
    return [{ file, rule: 'k8s/unsupported-kind', message }];
  }

  const findings: Finding[] = [];
  for (const message of schemaErrors(schema, object)) {
    findings.push({ file, rule: 'k8s/schema', message: `${kind} ${name}: ${message}` });
  }
  for (const path of unknownFields(object, schema.clientType, '')) {
    const message = `${kind} ${name}: unknown field ${path} (not in the Kubernetes 1.33 API)`;
    findings.push({ file, rule: 'k8s/unknown-field', message });
  }
  return findings;
}

function schemaErrors(schema: KindSchema, object: Mapping): string[] {
  try {
    schema.validate(object);
    return [];
  } catch (error) {
    const details = isMapping(error) && Array.isArray(error.errors) ? error.errors : [];
    if (details.length === 0) return [error instanceof Error ? error.message : String(error)];
    return details.map((detail) => {
      const path = fieldPath(stringAt(detail, 'instancePath') ?? '');
      return `${path} ${stringAt(detail, 'message') ?? 'is invalid'}`;
    });
  }
}

/** Turns a JSON pointer such as `/spec/ports/0/port` into `spec.ports[0].port`. */
function fieldPath(pointer: string): string {
  if (pointer === '') return '(root)';
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => {
      if (/^\d+$/.test(part)) return `${path}[${part}]`;
      return path === '' ? part : `${path}.${part}`;
    }, '');
}

interface AttributeType {
  readonly baseName: string;
  readonly type: string;
}

function attributesOf(typeName: string): AttributeType[] | undefined {
  const model = (clientModels as Record<string, unknown>)[typeName];
  if (typeof model !== 'function' || !('getAttributeTypeMap' in model)) return undefined;
  const attributes = (model as { getAttributeTypeMap(): unknown }).getAttributeTypeMap();
  return Array.isArray(attributes) ? (attributes as AttributeType[]) : undefined;
}

/**
 * Returns the paths of fields that the client model `typeName` does not define, following nested
 * models, arrays (`Array<T>`) and maps (`{ [key: string]: T; }`). Primitive and free-form types
 * such as `IntOrString` end the walk.
 */
function unknownFields(value: unknown, typeName: string, path: string): string[] {
  const arrayItem = /^Array<(.+)>$/.exec(typeName)?.[1];
  if (arrayItem !== undefined) {
    if (!Array.isArray(value)) return [];
    return value.flatMap((item, index) => unknownFields(item, arrayItem, `${path}[${index}]`));
  }

  const mapValue = /^\{ \[key: string\]: (.+); \}$/.exec(typeName)?.[1];
  if (mapValue !== undefined) {
    if (!isMapping(value)) return [];
    return Object.entries(value).flatMap(([key, item]) =>
      unknownFields(item, mapValue, joinPath(path, key)),
    );
  }

  const attributes = attributesOf(typeName);
  if (!attributes || !isMapping(value)) return [];
  const fieldTypes = new Map(attributes.map((attribute) => [attribute.baseName, attribute.type]));
  return Object.entries(value).flatMap(([key, item]) => {
    const fieldType = fieldTypes.get(key);
    const itemPath = joinPath(path, key);
    return fieldType === undefined ? [itemPath] : unknownFields(item, fieldType, itemPath);
  });
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
