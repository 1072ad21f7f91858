import { createEvent, type EventData, type TypedEvent } from '@orderflow/contracts';
import { describe, expect, it } from 'vitest';
import { summarizeEvent } from '../src/domain/timeline-summary.js';

const FIRST_PARCEL = {
  shipmentId: 'shp_1',
  trackingCode: '1ZSBX1110312345678',
  weightOz: 2_288,
  labelUrl: 'http://127.0.0.1/labels/shp_1.png',
  rateMinor: 9_512,
};

function labelCreated(data: Partial<EventData<'shipment.label_created'>>): TypedEvent {
  return createEvent({
    type: 'shipment.label_created',
    source: 'test',
    subject: 'US-2019-100001',
    data: {
      orderId: 'US-2019-100001',
      shipmentId: FIRST_PARCEL.shipmentId,
      carrier: 'UPS',
      service: 'Ground',
      trackingCode: FIRST_PARCEL.trackingCode,
      labelUrl: FIRST_PARCEL.labelUrl,
      rateMinor: FIRST_PARCEL.rateMinor,
      currency: 'USD',
      ...data,
    },
  }) as TypedEvent;
}

describe('label timeline summary', () => {
  it('names the tracking code of one label', () => {
    expect(summarizeEvent(labelCreated({}))).toBe(
      'Label bought: UPS Ground, tracking 1ZSBX1110312345678',
    );
  });

  it('keeps the one-label wording for a single parcel', () => {
    expect(summarizeEvent(labelCreated({ parcels: [FIRST_PARCEL] }))).toBe(
      'Label bought: UPS Ground, tracking 1ZSBX1110312345678',
    );
  });

  it('names every parcel of a multi-parcel order', () => {
    const parcels = [
      FIRST_PARCEL,
      { ...FIRST_PARCEL, shipmentId: 'shp_2', trackingCode: '1ZSBX2220387654321', weightOz: 2_240 },
      { ...FIRST_PARCEL, shipmentId: 'shp_3', trackingCode: '1ZSBX3330311112222', weightOz: 640 },
    ];

    expect(summarizeEvent(labelCreated({ parcels }))).toBe(
      'Labels bought for 3 parcels: UPS Ground, tracking 1ZSBX1110312345678, ' +
        '1ZSBX2220387654321, 1ZSBX3330311112222',
    );
  });
});
