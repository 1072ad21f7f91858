import { describe, expect, it } from 'vitest';
import { ContractViolationError, createEvent, parseEvent, serializeEvent } from '../src/index.js';
import { validOrder } from './fixtures.js';

function violationPaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ContractViolationError) return error.issues.map((issue) => issue.path);
    throw error;
  }
  throw new Error('expected a ContractViolationError');
}

describe('event envelope', () => {
  it('round-trips a created event through a Kafka value', () => {
    const event = createEvent({
      type: 'order.created',
      source: '/orderflow/gateway',
      subject: 'US-2019-103800',
      data: validOrder(),
    });
    const parsed = parseEvent(serializeEvent(event));
    expect(parsed).toEqual(event);
    expect(parsed.specversion).toBe('1.0');
    expect(parsed.schemaversion).toBe(1);
  });

  it('refuses to create an event whose data breaks the schema', () => {
    const order = validOrder();
    order.lines[0]!.quantity = 0;
    const paths = violationPaths(() =>
      createEvent({ type: 'order.created', source: 'test', subject: order.orderId, data: order }),
    );
    expect(paths).toEqual(['data.lines.0.quantity']);
  });

  it('rejects a value that is not JSON', () => {
    expect(violationPaths(() => parseEvent(Buffer.from('{oops')))).toEqual(['']);
  });

  it('rejects an unknown event type', () => {
    const event = createEvent({
      type: 'order.created',
      source: 'test',
      subject: 'US-2019-103800',
      data: validOrder(),
    });
    expect(
      violationPaths(() => parseEvent(JSON.stringify({ ...event, type: 'order.teleported' }))),
    ).toEqual(['type']);
  });

  it('rejects a schema version newer than the consumer knows', () => {
    const event = createEvent({
      type: 'order.created',
      source: 'test',
      subject: 'US-2019-103800',
      data: validOrder(),
    });
    expect(
      violationPaths(() => parseEvent(JSON.stringify({ ...event, schemaversion: 2 }))),
    ).toEqual(['schemaversion']);
  });

  it('drops fields it does not know instead of failing', () => {
    const event = createEvent({
      type: 'order.created',
      source: 'test',
      subject: 'US-2019-103800',
      data: validOrder(),
    });
    const withExtra = { ...event, data: { ...event.data, giftWrap: true } };
    const parsed = parseEvent(JSON.stringify(withExtra));
    expect(parsed.data).not.toHaveProperty('giftWrap');
  });
});

describe('event subject', () => {
  it('must name the order of the data', () => {
    const event = createEvent({
      type: 'order.created',
      source: 'test',
      subject: 'US-2019-103800',
      data: validOrder(),
    });
    expect(
      violationPaths(() => parseEvent(JSON.stringify({ ...event, subject: 'OTHER-ORDER' }))),
    ).toEqual(['subject']);
  });
});
