import { z } from 'zod';

/** A JSON Schema object as Fastify route schemas and OpenAPI documents take it. */
export type JsonSchemaObject = Record<string, unknown>;

/** Options of `zodToRouteSchema`. */
export interface RouteSchemaOptions {
  /**
   * `input` (the default) describes what a client sends, so fields with defaults are optional.
   * Use `output` for response schemas.
   */
  io?: 'input' | 'output';
}

/**
 * Converts a zod schema into a JSON Schema (draft-07) for a Fastify route, so that Fastify's ajv
 * validates the request and `@fastify/swagger` documents it from the same zod definition.
 *
 * Reused sub-schemas, and those registered with `.meta({ id })`, are inlined, because a `$ref` into
 * the route's own definitions would not resolve inside the OpenAPI document. Refinements have no
 * JSON Schema form and are dropped, and types such as `z.date()` become unconstrained (`{}`), so
 * handlers still parse the body with zod for the full rules. Recursive schemas throw.
 *
 * @example
 * app.post('/payments', { schema: { body: zodToRouteSchema(paymentRequest) } }, handler);
 */
export function zodToRouteSchema(
  schema: z.ZodType,
  options: RouteSchemaOptions = {},
): JsonSchemaObject {
  const jsonSchema = z.toJSONSchema(schema, {
    target: 'draft-07',
    io: options.io ?? 'input',
    unrepresentable: 'any',
    reused: 'inline',
    cycles: 'throw',
  }) as JsonSchemaObject;
  const definitions = (jsonSchema.definitions ?? {}) as Record<string, JsonSchemaObject>;
  // OpenAPI schema objects have no `$schema` keyword.
  delete jsonSchema.$schema;
  delete jsonSchema.definitions;
  return inlineReferences(jsonSchema, definitions, []) as JsonSchemaObject;
}

const DEFINITION_PREFIX = '#/definitions/';

/**
 * Replaces each `$ref` into `definitions` with a copy of the definition. Zod emits such references
 * for sub-schemas registered with `.meta({ id })`, even when `reused` is `inline`.
 */
function inlineReferences(
  node: unknown,
  definitions: Record<string, JsonSchemaObject>,
  openReferences: string[],
): unknown {
  if (Array.isArray(node)) {
    return node.map((item) => inlineReferences(item, definitions, openReferences));
  }
  if (node === null || typeof node !== 'object') return node;

  const { $ref, ...rest } = node as JsonSchemaObject;
  const inlined = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [
      key,
      inlineReferences(value, definitions, openReferences),
    ]),
  );
  if (typeof $ref !== 'string' || !$ref.startsWith(DEFINITION_PREFIX)) {
    return $ref === undefined ? inlined : { $ref, ...inlined };
  }

  const name = $ref.slice(DEFINITION_PREFIX.length);
  const definition = definitions[name];
  if (definition === undefined) throw new Error(`zodToRouteSchema: no definition for ${$ref}`);
  if (openReferences.includes(name)) {
    throw new Error(`zodToRouteSchema: schema "${name}" is recursive and cannot be inlined`);
  }
  const target = inlineReferences(definition, definitions, [...openReferences, name]);
  return { ...(target as JsonSchemaObject), ...inlined };
}
