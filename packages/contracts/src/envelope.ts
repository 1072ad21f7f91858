import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { EVENT_CATALOG, isEventType, type EventData, type EventType } from './event-catalog.js';
import { formatFieldPath } from './field-path.js';

/**
 * CloudEvents 1.0 envelope in structured mode: the whole envelope is the Kafka message value,
 * with `datacontenttype` application/json. `schemaversion` is an extension attribute giving the
 * version of the data schema; `traceparent` and `tracestate` follow the CloudEvents distributed
 * tracing extension (W3C Trace Context).
 * See https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/kafka-protocol-binding.md
 */
export const envelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(128),
  type: z.string().min(1),
  source: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().min(1).max(128),
  datacontenttype: z.literal('application/json').default('application/json'),
  schemaversion: z.number().int().positive(),
  traceparent: z.string().optional(),
  tracestate: z.string().optional(),
  data: z.unknown(),
});

export type Envelope = z.infer<typeof envelopeSchema>;

/** An envelope whose data has been validated against the schema of its type. */
export interface TypedEvent<T extends EventType = EventType> extends Omit<
  Envelope,
  'type' | 'data'
> {
  type: T;
  data: EventData<T>;
}

/** Kafka header that carries the content type of a structured CloudEvent. */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

/** One invalid field of an event, with its dotted path from the envelope root. */
export interface ContractIssue {
  path: string;
  message: string;
}

/** An event does not match its contract. Never worth retrying. */
export class ContractViolationError extends Error {
  readonly issues: ContractIssue[];

  constructor(issues: ContractIssue[]) {
    super(issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; '));
    this.name = 'ContractViolationError';
    this.issues = issues;
  }
}

/** Converts zod issues to dotted paths, prefixed with `prefix` (such as `data`). */
export function toContractIssues(error: z.ZodError, prefix = ''): ContractIssue[] {
  return error.issues.map((issue) => ({
    path: formatFieldPath(prefix === '' ? issue.path : [prefix, ...issue.path]),
    message: issue.message,
  }));
}

export interface NewEventInput<T extends EventType> {
  type: T;
  source: string;
  subject: string;
  data: EventData<T>;
  id?: string;
  time?: Date;
  traceparent?: string;
  tracestate?: string;
}

/** The envelope's subject must be the order its data describes, since it is the partition key. */
function subjectMismatch(subject: string, data: unknown): ContractIssue | undefined {
  const orderId = (data as { orderId?: unknown } | null)?.orderId;
  if (typeof orderId !== 'string' || orderId === subject) return undefined;
  return { path: 'subject', message: 'must equal data.orderId, the order the event describes' };
}

/**
 * Builds a validated envelope for a new event. Throws ContractViolationError when the data does
 * not match the schema, so an invalid event never reaches an outbox.
 *
 * @example
 * const event = createEvent({ type: 'payment.captured', source: 'payment', subject: orderId, data });
 */
export function createEvent<T extends EventType>(input: NewEventInput<T>): TypedEvent<T> {
  const entry = EVENT_CATALOG[input.type];
  const parsed = entry.schema.safeParse(input.data);
  if (!parsed.success) throw new ContractViolationError(toContractIssues(parsed.error, 'data'));
  const mismatch = subjectMismatch(input.subject, parsed.data);
  if (mismatch) throw new ContractViolationError([mismatch]);
  const event: TypedEvent<T> = {
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    type: input.type,
    source: input.source,
    time: (input.time ?? new Date()).toISOString(),
    subject: input.subject,
    datacontenttype: 'application/json',
    schemaversion: entry.version,
    data: parsed.data as EventData<T>,
  };
  if (input.traceparent) event.traceparent = input.traceparent;
  if (input.tracestate) event.tracestate = input.tracestate;
  return event;
}

/**
 * Parses a Kafka message value into a typed event: JSON, then the envelope, then the data
 * against the schema of its type. Unknown fields are dropped, so producers may add optional
 * fields without breaking consumers. Throws ContractViolationError naming each bad field.
 */
export function parseEvent(value: Buffer | string | null): TypedEvent {
  if (value === null)
    throw new ContractViolationError([{ path: '', message: 'message has no value' }]);
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    throw new ContractViolationError([{ path: '', message: 'message value is not valid JSON' }]);
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) throw new ContractViolationError(toContractIssues(envelope.error));
  const { type } = envelope.data;
  if (!isEventType(type)) {
    throw new ContractViolationError([{ path: 'type', message: `unknown event type "${type}"` }]);
  }
  const entry = EVENT_CATALOG[type];
  if (envelope.data.schemaversion > entry.version) {
    throw new ContractViolationError([
      {
        path: 'schemaversion',
        message: `version ${envelope.data.schemaversion} of ${type} is newer than ${entry.version}, the newest this consumer knows`,
      },
    ]);
  }
  const data = entry.schema.safeParse(envelope.data.data);
  if (!data.success) throw new ContractViolationError(toContractIssues(data.error, 'data'));
  const mismatch = subjectMismatch(envelope.data.subject, data.data);
  if (mismatch) throw new ContractViolationError([mismatch]);
  return { ...envelope.data, type, data: data.data } as TypedEvent;
}

/** Serializes an event as a Kafka message value. */
export function serializeEvent(event: TypedEvent | Envelope): Buffer {
  return Buffer.from(JSON.stringify(event));
}
