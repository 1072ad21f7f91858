import { ORDER_ID_PARAM } from '@orderflow/contracts';
import { NotFoundError } from '@orderflow/service-kit';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { SHIPMENT_STATES } from '../domain/shipment-state.js';
import {
  findParcels,
  findShipment,
  type ShipmentParcelRow,
  type ShipmentRow,
} from './shipping-repository.js';

const nullableString = { type: ['string', 'null'] } as const;

const shipmentView = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    status: { type: 'string', enum: [...SHIPMENT_STATES] },
    shipMode: { type: 'string' },
    estimatedWeightOz: { type: 'integer', description: 'Estimated from product categories' },
    parcelWeightOz: {
      type: 'integer',
      description: 'Weight of the first parcel declared to the carrier, at most 2,400 oz',
    },
    parcels: {
      type: 'array',
      description:
        'Every parcel of the order, first parcel first; label fields are null until bought',
      items: {
        type: 'object',
        properties: {
          weightOz: { type: 'integer' },
          shipmentId: nullableString,
          trackerId: nullableString,
          trackingCode: nullableString,
          rateMinor: { type: ['integer', 'null'] },
          labelUrl: nullableString,
        },
      },
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
    freight: {
      type: ['object', 'null'],
      description: 'Set when the order is too large or heavy for parcels; nothing is charged',
      properties: {
        reason: { type: 'string', enum: ['too_many_parcels', 'item_too_heavy'] },
        customerMessage: { type: 'string' },
      },
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
      return toView(row, await findParcels(db, request.params.orderId));
    },
  );
}

function toView(row: ShipmentRow, parcels: readonly ShipmentParcelRow[]) {
  const { city, region, postalCode, country } = row.ship_to;
  return {
    orderId: row.order_id,
    status: row.status,
    shipMode: row.ship_mode,
    estimatedWeightOz: row.estimated_weight_oz,
    parcelWeightOz: row.parcel_weight_oz,
    parcels: parcels.map((parcel) => ({
      weightOz: parcel.weight_oz,
      shipmentId: parcel.shipment_id,
      trackerId: parcel.tracker_id,
      trackingCode: parcel.tracking_code,
      rateMinor: parcel.rate_minor === null ? null : Number(parcel.rate_minor),
      labelUrl: parcel.label_url,
    })),
    destination: { city, region, postalCode, country },
    addressId: row.address_id,
    rejection:
      row.rejected_field === null
        ? null
        : { field: row.rejected_field, customerMessage: row.rejection_message ?? '' },
    freight:
      row.freight_reason === null
        ? null
        : { reason: row.freight_reason, customerMessage: row.rejection_message ?? '' },
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
