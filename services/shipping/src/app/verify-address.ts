import type { CheckoutOrder } from '@orderflow/contracts';
import type { HandlerContext } from '@orderflow/messaging';
import { findShipment, insertShipment } from '../adapters/shipping-repository.js';
import { freightMessage, planShipment, type ShipmentPlan } from '../domain/freight.js';
import { addressCorrectionMessage, rejectedFieldPath } from '../domain/shipment-state.js';
import type { Carrier } from '../domain/shipping-ports.js';

/**
 * Opens the order's shipment and has the carrier verify the ship-to address, then emits
 * `shipment.address_verified` or `shipment.address_rejected`. A rejection is an expected outcome
 * and is emitted; carrier faults are thrown so the message is retried. An order that already has
 * a shipment is skipped.
 *
 * The order's items are packed into parcels of at most 150 lb here, because the capture that
 * buys the labels does not carry the order lines. An order with an item heavier than that, or
 * with more than `maxParcels` parcels, needs freight: it is held with `shipment.freight_required`
 * and its address is not checked.
 */
export async function verifyShippingAddress(
  order: CheckoutOrder,
  carrier: Carrier,
  maxParcels: number,
  ctx: HandlerContext,
): Promise<void> {
  if (await findShipment(ctx.trx, order.orderId)) {
    ctx.log.info('shipment already opened, skipped');
    return;
  }
  const { orderId, shipTo } = order;
  const plan = planShipment(order.lines, maxParcels);
  if (plan.kind === 'freight') {
    await holdForFreight(order, plan, maxParcels, ctx);
    return;
  }
  const { estimatedWeightOz } = plan;
  const parcelWeightsOz = plan.parcels.map((parcel) => parcel.weightOz);
  const verification = await carrier.verifyAddress({
    street: shipTo.street,
    city: shipTo.city,
    region: shipTo.region,
    postalCode: shipTo.postalCode,
    country: shipTo.country,
    ...(shipTo.name ? { name: shipTo.name } : {}),
    ...(order.customer.phone ? { phone: order.customer.phone } : {}),
  });
  const shipment = {
    orderId,
    shipTo,
    shipMode: order.shipMode,
    estimatedWeightOz,
    parcelWeightsOz,
  };

  if (verification.verified) {
    await insertShipment(ctx.trx, {
      ...shipment,
      status: 'address_verified',
      addressId: verification.addressId,
    });
    await ctx.publish({
      type: 'shipment.address_verified',
      subject: orderId,
      data: { orderId, addressId: verification.addressId, country: shipTo.country },
    });
    ctx.log.info(
      { country: shipTo.country, estimatedWeightOz, parcels: parcelWeightsOz.length },
      'shipping address verified',
    );
    return;
  }

  const field = rejectedFieldPath(verification.field);
  const customerMessage = addressCorrectionMessage(verification.reason);
  await insertShipment(ctx.trx, {
    ...shipment,
    status: 'address_rejected',
    rejectedField: field,
    rejectionMessage: customerMessage,
  });
  await ctx.publish({
    type: 'shipment.address_rejected',
    subject: orderId,
    data: { orderId, field, customerMessage },
  });
  ctx.log.info({ country: shipTo.country, field }, 'shipping address rejected');
}

/** Stores the order's shipment as `freight_required` and emits `shipment.freight_required`. */
async function holdForFreight(
  order: CheckoutOrder,
  plan: Extract<ShipmentPlan, { kind: 'freight' }>,
  maxParcels: number,
  ctx: HandlerContext,
): Promise<void> {
  const { orderId } = order;
  const { estimatedWeightOz } = plan;
  const customerMessage = freightMessage(plan, maxParcels);
  await insertShipment(ctx.trx, {
    orderId,
    shipTo: order.shipTo,
    shipMode: order.shipMode,
    estimatedWeightOz,
    status: 'freight_required',
    freightReason: plan.reason,
    customerMessage,
  });
  await ctx.publish({
    type: 'shipment.freight_required',
    subject: orderId,
    data: {
      orderId,
      reason: plan.reason,
      estimatedWeightOz,
      ...(plan.reason === 'too_many_parcels' ? { parcels: plan.parcels } : {}),
      customerMessage,
    },
  });
  ctx.log.info({ reason: plan.reason, estimatedWeightOz, maxParcels }, 'order needs freight, held');
}
