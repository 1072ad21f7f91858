import { ORDER_ID_PARAM } from '@orderflow/contracts';
import { NotFoundError } from '@orderflow/service-kit';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { findShipment, type ShipmentRow } from './shipping-repository.js';

const nullableString = { type: ['string', 'null'] } as const;

const shipmentView = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    status: { type: 'string', enum: ['address_verified', 'address_rejected', 'label_purchased'] },
    shipMode: { type: 'string' },
    estimatedWeightOz: { type: 'integer', description: 'Estimated from product categories' },
    parcelWeightOz: {
      type: 'integer',
      description: 'Declared to the carrier: the estimate, capped at 2,400 oz',
    },
    destination: {
      type: 'object',
      description: 'Ship-to address without name and street',
      properties: {
        city: { type: 'string' },
        region: { type: 'string' },
        postalCode: { type: 'string' },
        country: { type: 'string' },
      },
    },
    addressId: nullableString,
    rejection: {
      type: ['object', 'null'],
      properties: { field: { type: 'string' }, customerMessage: { type: 'string' } },
    },
    label: {
      type: ['object', 'null'],
      properties: {
        shipmentId: { type: 'string' },
        trackerId: nullableString,
        trackingCode: { type: 'string' },
        carrier: { type: 'string' },
        service: { type: 'string' },
        rateMinor: { type: 'integer' },
        currency: { type: 'string' },
        labelUrl: { type: 'string' },
        purchasedAt: { type: 'string', format: 'date-time' },
      },
    },
  },
} as const;

/** Read-only view of an order's shipment, for operators. */
export function registerShippingRoutes(app: FastifyInstance, db: Knex): void {
  app.get<{ Params: { orderId: string } }>(
    '/v1/shipments/:orderId',
    {
      schema: {
        summary: 'Shipment of one order: address check and label',
        params: {
          type: 'object',
          properties: { orderId: ORDER_ID_PARAM },
          required: ['orderId'],
        },
        response: { 200: shipmentView },
      },
    },
    async (request) => {
      const row = await findShipment(db, request.params.orderId);
      if (!row) throw new NotFoundError('shipment for order', request.params.orderId);
      return toView(row);
    },
  );
}

function toView(row: ShipmentRow) {
  const { city, region, postalCode, country } = row.ship_to;
  return {
    orderId: row.order_id,
    status: row.status,
    shipMode: row.ship_mode,
    estimatedWeightOz: row.estimated_weight_oz,
    parcelWeightOz: row.parcel_weight_oz,
    destination: { city, region, postalCode, country },
    addressId: row.address_id,
    rejection:
      row.rejected_field === null
        ? null
        : { field: row.rejected_field, customerMessage: row.rejection_message ?? '' },
    label:
      row.status === 'label_purchased'
        ? {
            shipmentId: row.shipment_id,
            trackerId: row.tracker_id,
            trackingCode: row.tracking_code,
            carrier: row.carrier,
            service: row.service,
            rateMinor: Number(row.rate_minor),
            currency: row.currency,
            labelUrl: row.label_url,
            purchasedAt: row.label_purchased_at?.toISOString(),
          }
        : null,
  };
}
