import { existsSync, readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import {
  EVENT_CATALOG,
  EVENT_TYPES,
  buildAsyncApiDocument,
  eventDataJsonSchema,
  findBreakingChanges,
  type JsonSchema,
} from '../src/index.js';
import { ASYNCAPI_PATH, snapshotPath } from '../src/cli/write-contract-files.js';

const regenerate = 'run `pnpm --filter @orderflow/contracts generate` and commit the result';

describe('committed snapshots', () => {
  it.each(EVENT_TYPES)('%s stays compatible with its snapshot', (type) => {
    const path = snapshotPath(type, EVENT_CATALOG[type].version);
    expect(existsSync(path), `no snapshot at ${path}; ${regenerate}`).toBe(true);
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as JsonSchema;
    expect(findBreakingChanges(snapshot, eventDataJsonSchema(type))).toEqual([]);
  });

  it('asyncapi.json matches the schemas', () => {
    const committed = JSON.parse(readFileSync(ASYNCAPI_PATH, 'utf8')) as unknown;
    expect(committed, `asyncapi.json is stale; ${regenerate}`).toEqual(buildAsyncApiDocument());
  });

  it('asyncapi document passes the AsyncAPI parser', async () => {
    const { diagnostics } = await new Parser().parse(JSON.stringify(buildAsyncApiDocument()));
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0);
    expect(errors.map((error) => `${error.path.join('.')}: ${error.message}`)).toEqual([]);
  });
});

describe('findBreakingChanges', () => {
  const base: JsonSchema = {
    type: 'object',
    required: ['orderId', 'status'],
    properties: {
      orderId: { type: 'string', minLength: 1 },
      status: { type: 'string', enum: ['open', 'closed'] },
      note: { type: 'string' },
      amountMinor: { type: 'integer', minimum: 0 },
    },
  };
  const change = (
    edit: (schema: JsonSchema & { properties: Record<string, JsonSchema> }) => void,
  ) => {
    const next = structuredClone(base) as JsonSchema & { properties: Record<string, JsonSchema> };
    edit(next);
    return findBreakingChanges(base, next).map((found) => `${found.path}: ${found.message}`);
  };

  it('accepts a new optional property', () => {
    expect(change((s) => (s.properties.extra = { type: 'string' }))).toEqual([]);
  });

  it('reports a removed required property', () => {
    expect(change((s) => delete s.properties.orderId)).toEqual([
      '$.orderId: required property removed',
    ]);
  });

  it('reports a required property made optional', () => {
    expect(change((s) => (s.required = ['status']))).toEqual([
      '$.orderId: required property became optional',
    ]);
  });

  it('reports a changed type', () => {
    expect(change((s) => (s.properties.note = { type: 'number' }))).toEqual([
      '$.note: type number is new; consumers accept string',
    ]);
  });

  it('reports an added enum value', () => {
    expect(change((s) => (s.properties.status!.enum = ['open', 'closed', 'lost']))).toEqual([
      '$.status: enum values added: "lost"',
    ]);
  });

  it('reports a loosened bound', () => {
    expect(change((s) => delete s.properties.amountMinor!.minimum)).toEqual([
      '$.amountMinor: minimum loosened from 0 to undefined',
    ]);
  });
});
