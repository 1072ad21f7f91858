import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Finding } from '../findings.js';

const require = createRequire(import.meta.url);

/**
 * The Compose Specification JSON schema (compose-spec/compose-spec, schema/compose-spec.json).
 * dclint ships a copy, fetched from the compose-spec main branch by its update-compose-schema
 * script, so the schema version follows dclint's, which package.json pins to 3.1.0.
 */
const SCHEMA_PATH = join(
  dirname(require.resolve('dclint/package.json')),
  'schemas/compose.schema.json',
);

/** The schema's `$schema` uses https, but Ajv registers draft-07 under its http address only. */
const DRAFT_07_HTTPS_ID = 'https://json-schema.org/draft-07/schema';

let validator: ValidateFunction | undefined;

function composeValidator(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object;
  const draft07 = require('ajv/dist/refs/json-schema-draft-07.json') as object;
  // strictSchema still rejects unknown keywords. The type checks of strict mode are off because
  // they judge how the third-party schema is written, not the documents it validates.
  const ajv = new Ajv({
    allErrors: true,
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
  });
  ajv.addMetaSchema({ ...draft07, $id: DRAFT_07_HTTPS_ID });
  validator = ajv.compile(schema);
  return validator;
}

/** Validates a parsed compose file against the Compose Specification schema. */
export function checkComposeSchema(file: string, compose: unknown): Finding[] {
  const validate = composeValidator();
  if (validate(compose)) return [];
  const messages = (validate.errors ?? []).map(describeError);
  return [...new Set(messages)].map((message) => ({ file, rule: 'compose/schema', message }));
}

function describeError(error: ErrorObject): string {
  const path = error.instancePath === '' ? '(root)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  if (typeof params.additionalProperty === 'string') {
    return `${path}: unknown property "${params.additionalProperty}" (Compose Specification schema)`;
  }
  if (Array.isArray(params.allowedValues)) {
    return `${path}: ${error.message}: ${params.allowedValues.join(', ')} (Compose Specification schema)`;
  }
  return `${path}: ${error.message ?? 'invalid'} (Compose Specification schema)`;
}
