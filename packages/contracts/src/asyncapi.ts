import { CONSUMER_GROUPS, EVENT_CATALOG, EVENT_TYPES, deadLetterTopic } from './event-catalog.js';
import { envelopeJsonSchema, eventDataJsonSchema, type JsonSchema } from './json-schema.js';

function messageName(type: string): string {
  return type.replace(/[._](\w)/g, (_, letter: string) => letter.toUpperCase());
}

function withoutDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/**
 * Builds the AsyncAPI 3.0 document of every topic: one channel per event type, its message
 * payload being the CloudEvents envelope with `data` narrowed to that event's schema, plus the
 * dead-letter channels of each consumer group.
 */
export function buildAsyncApiDocument(): Record<string, unknown> {
  const envelope = withoutDialect(envelopeJsonSchema());
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};

  for (const type of EVENT_TYPES) {
    const entry = EVENT_CATALOG[type];
    const name = messageName(type);
    const properties = {
      ...(envelope.properties as JsonSchema),
      data: withoutDialect(eventDataJsonSchema(type)),
    };
    messages[name] = {
      name: type,
      title: type,
      summary: entry.summary,
      contentType: 'application/cloudevents+json',
      bindings: { kafka: { key: { type: 'string', description: 'Order id' } } },
      payload: { ...envelope, properties, description: `Schema version ${entry.version}` },
    };
    channels[name] = {
      address: type,
      summary: entry.summary,
      messages: { [name]: { $ref: `#/components/messages/${name}` } },
    };
    operations[`publish${name[0]!.toUpperCase()}${name.slice(1)}`] = {
      action: 'send',
      summary: `Sent by ${entry.producer}.`,
      channel: { $ref: `#/channels/${name}` },
    };
  }

  for (const group of CONSUMER_GROUPS) {
    const topic = deadLetterTopic(group);
    const name = messageName(topic.replace('-', '_'));
    channels[name] = {
      address: topic,
      summary: `Messages that consumer group ${group} could not process, with the error in headers.`,
      messages: { deadLetter: { $ref: '#/components/messages/deadLetter' } },
    };
  }
  messages.deadLetter = {
    name: 'dead-letter',
    summary: 'The original message value and headers, plus dead-letter headers with the error.',
    headers: {
      type: 'object',
      properties: {
        'dlq-error': { type: 'string' },
        'dlq-original-topic': { type: 'string' },
        'dlq-original-partition': { type: 'string' },
        'dlq-original-offset': { type: 'string' },
        'dlq-consumer-group': { type: 'string' },
        'dlq-failed-at': { type: 'string' },
      },
    },
    payload: {},
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'orderflow events',
      version: '1.0.0',
      description: 'Topics of the orderflow order saga. Each message key is the order id.',
    },
    defaultContentType: 'application/cloudevents+json',
    servers: {
      local: {
        host: '127.0.0.1:19092',
        protocol: 'kafka',
        description: 'Single-node KRaft broker started by infra/kafka/kafka.sh',
      },
    },
    channels,
    operations,
    components: { messages },
  };
}
