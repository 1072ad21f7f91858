import type { EventData } from '@orderflow/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceTestBed } from '../src/index.js';

describe('ServiceTestBed', () => {
  // No service runs here: the bed reads its own events from the output topic, and the test
  // creates the two messaging tables that the bed queries.
  const bed = new ServiceTestBed('service_test_bed', [], ['payment.captured'], 'test-bed');

  beforeAll(async () => {
    await bed.start();
    await bed.db.schema.createTable('inbox_events', (table) => {
      table.text('event_id').primary();
    });
    await bed.db.schema.createTable('deferred_events', (table) => {
      table.text('event_id').notNullable();
    });
  });

  afterAll(async () => {
    await bed.stop();
  });

  function capturedData(orderId: string): EventData<'payment.captured'> {
    return {
      orderId,
      paymentIntentId: `pi_${orderId}`,
      amountMinor: 1645,
      currency: 'USD',
      capturedAt: '2019-01-03T00:05:00Z',
    };
  }

  it('reads back a published event of an output type', async () => {
    const published = await bed.publishNewEvent('payment.captured', capturedData('BED-1'));
    expect(published.subject).toBe('BED-1');

    const [read] = await bed.waitForEvents('payment.captured', 'BED-1', 1);
    expect(read?.id).toBe(published.id);
    expect(read?.data.amountMinor).toBe(1645);
    expect(bed.eventsFor('payment.captured', 'BED-2')).toHaveLength(0);
  });

  it('reads a republished event twice', async () => {
    const published = await bed.publishNewEvent('payment.captured', capturedData('BED-3'));
    await bed.publish(published);

    const read = await bed.waitForEvents('payment.captured', 'BED-3', 2);
    expect(read.map((event) => event.id)).toEqual([published.id, published.id]);
  });

  it('finds handled and deferred events by id', async () => {
    await bed.db('inbox_events').insert({ event_id: 'event-handled' });
    await bed.db('deferred_events').insert({ event_id: 'event-handled' });

    await bed.handled('event-handled');
    expect(await bed.isDeferred('event-handled')).toBe(true);
    expect(await bed.isDeferred('event-unknown')).toBe(false);
  });
});
