import { z } from 'zod';
import { EVENT_CATALOG, type EventType } from './event-catalog.js';
import { envelopeSchema } from './envelope.js';

export type JsonSchema = Record<string, unknown>;

/** JSON Schema (draft 2020-12) of the data of one event type, as consumers receive it. */
export function eventDataJsonSchema(type: EventType): JsonSchema {
  return z.toJSONSchema(EVENT_CATALOG[type].schema, {
    io: 'output',
    unrepresentable: 'any',
  }) as JsonSchema;
}

/** JSON Schema of the CloudEvents envelope, with `data` left open. */
export function envelopeJsonSchema(): JsonSchema {
  return z.toJSONSchema(envelopeSchema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
}
