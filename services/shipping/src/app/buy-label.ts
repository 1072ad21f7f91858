import { isCurrencyCode, type EventData } from '@orderflow/contracts';
import type { HandlerContext } from '@orderflow/messaging';
import { AppError } from '@orderflow/service-kit';
import { lockShipment, saveLabel } from '../adapters/shipping-repository.js';
import { nextLabelStep } from '../domain/shipment-state.js';
import { addressNotVerified } from '../domain/shipping-errors.js';
import type { Carrier, CarrierAddress } from '../domain/shipping-ports.js';

/**
 * Buys the label for a paid order from the warehouse address and emits
 * `shipment.label_created`. The shipment row is locked and checked first, so an order gets at
 * most one label however often its capture is delivered. A capture that arrives before the
 * order's `order.created` was handled is deferred until it is.
 *
 * NOTE: the label is bought inside the handler's transaction. If the commit fails after the
 * purchase, the retry buys a second label and the first must be refunded with the carrier.
 */
export async function buyLabel(
  payment: EventData<'payment.captured'>,
  carrier: Carrier,
  warehouse: CarrierAddress,
  ctx: HandlerContext,
): Promise<void> {
  const { orderId } = payment;
  const shipment = await lockShipment(ctx.trx, orderId);
  if (!shipment) {
    await ctx.defer('shipment not stored yet');
    return;
  }

  const step = nextLabelStep(shipment.status);
  if (step.kind === 'already_bought') {
    ctx.log.info({ trackingCode: shipment.tracking_code }, 'label already bought, skipped');
    return;
  }
  if (step.kind === 'address_rejected') throw addressNotVerified(orderId);

  const label = await carrier.buyLabel({
    orderId,
    toAddressId: shipment.address_id!,
    fromAddress: warehouse,
    weightOz: shipment.parcel_weight_oz,
    shipMode: shipment.ship_mode,
  });
  const currency = label.currency.toUpperCase();
  if (!isCurrencyCode(currency)) {
    // The label is already bought, so the operator must refund it; a retry would buy another.
    throw new AppError(
      'LABEL_CURRENCY_UNSUPPORTED',
      `rate currency ${label.currency} of shipment ${label.shipmentId} is not supported; refund the label with the carrier`,
      { retryable: false },
    );
  }
  await saveLabel(ctx.trx, orderId, { ...label, currency });
  await ctx.publish({
    type: 'shipment.label_created',
    subject: orderId,
    data: {
      orderId,
      shipmentId: label.shipmentId,
      carrier: label.carrier,
      service: label.service,
      trackingCode: label.trackingCode,
      labelUrl: label.labelUrl,
      rateMinor: label.rateMinor,
      currency,
      ...(label.trackerId ? { trackerId: label.trackerId } : {}),
    },
  });
  ctx.log.info(
    { carrier: label.carrier, service: label.service, rateMinor: label.rateMinor, currency },
    'shipping label bought',
  );
}
