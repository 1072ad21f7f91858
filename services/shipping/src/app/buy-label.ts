import { isCurrencyCode, type CurrencyCode, type EventData } from '@orderflow/contracts';
import type { HandlerContext } from '@orderflow/messaging';
import { AppError } from '@orderflow/service-kit';
import type { Knex } from 'knex';
import {
  findLabelPurchase,
  findParcels,
  forgetLabelPurchase,
  lockShipment,
  recordLabelPurchase,
  saveLabels,
} from '../adapters/shipping-repository.js';
import { nextLabelStep } from '../domain/shipment-state.js';
import { notShippable } from '../domain/shipping-errors.js';
import {
  PURCHASE_NOT_FOUND,
  type Carrier,
  type CarrierAddress,
  type ParcelLabelsRequest,
  type PurchaseReference,
  type PurchasedLabel,
} from '../domain/shipping-ports.js';

/**
 * Buys one label per parcel for a paid order from the warehouse address and emits one
 * `shipment.label_created`. Its top-level fields describe the first parcel, and `parcels` lists
 * every parcel. The shipment row is locked and checked first, so an order gets at most one set
 * of labels however often its capture is delivered. A capture that arrives before the order's
 * `order.created` was handled is deferred until it is.
 *
 * The handler's transaction can still roll back after the purchase, and the capture is then
 * retried. So the carrier object to buy is stored through `db` and committed before the
 * purchase. A retry finds it and buys it, or takes its labels when it was bought already,
 * instead of buying a second set.
 */
export async function buyLabel(
  payment: EventData<'payment.captured'>,
  carrier: Carrier,
  warehouse: CarrierAddress,
  db: Knex,
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
  if (step.kind === 'not_shippable') throw notShippable(orderId, step.state);

  const parcelWeightsOz = await plannedParcelWeights(ctx, orderId, shipment.parcel_weight_oz);
  const request: ParcelLabelsRequest = {
    orderId,
    toAddressId: shipment.address_id!,
    fromAddress: warehouse,
    parcelWeightsOz,
    shipMode: shipment.ship_mode,
  };
  const labels = await buyStoredOrNew(carrier, db, ctx, request);
  const first = labels[0];
  if (!first || labels.length !== parcelWeightsOz.length) {
    throw new AppError(
      'LABEL_COUNT_MISMATCH',
      `carrier returned ${labels.length} labels for the ${parcelWeightsOz.length} parcels of order ${orderId}; refund them with the carrier`,
      { retryable: false },
    );
  }
  const currency = checkedCurrency(labels);
  const parcels = labels.map((label, index) => ({
    weightOz: parcelWeightsOz[index]!,
    label: { ...label, currency },
  }));
  await saveLabels(ctx.trx, orderId, parcels);
  await ctx.publish({
    type: 'shipment.label_created',
    subject: orderId,
    data: {
      orderId,
      shipmentId: first.shipmentId,
      carrier: first.carrier,
      service: first.service,
      trackingCode: first.trackingCode,
      labelUrl: first.labelUrl,
      rateMinor: first.rateMinor,
      currency,
      ...(first.trackerId ? { trackerId: first.trackerId } : {}),
      parcels: parcels.map(({ weightOz, label }) => ({
        shipmentId: label.shipmentId,
        trackingCode: label.trackingCode,
        weightOz,
        labelUrl: label.labelUrl,
        rateMinor: label.rateMinor,
        ...(label.trackerId ? { trackerId: label.trackerId } : {}),
      })),
    },
  });
  ctx.log.info(
    {
      carrier: first.carrier,
      service: first.service,
      parcels: labels.length,
      rateMinor: labels.reduce((total, label) => total + label.rateMinor, 0),
      currency,
    },
    'shipping labels bought',
  );
}

/**
 * Buys the labels from the stored carrier object, or from a new one. A stored object that the
 * carrier does not know (an id from another account or mode, or one deleted there) had nothing
 * bought from it, so it is replaced by a new one.
 */
async function buyStoredOrNew(
  carrier: Carrier,
  db: Knex,
  ctx: HandlerContext,
  request: ParcelLabelsRequest,
): Promise<PurchasedLabel[]> {
  const { orderId, shipMode } = request;
  const reference = await labelPurchase(carrier, db, ctx, request);
  try {
    return await carrier.buyPreparedPurchase({ orderId, reference, shipMode });
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== PURCHASE_NOT_FOUND) throw error;
    ctx.log.warn(
      { objectType: reference.objectType, objectId: reference.objectId },
      'stored label purchase unknown to the carrier, preparing a new one',
    );
    await forgetLabelPurchase(db, orderId, reference);
    const replacement = await labelPurchase(carrier, db, ctx, request);
    return carrier.buyPreparedPurchase({ orderId, reference: replacement, shipMode });
  }
}

/**
 * Returns the carrier object to buy the order's labels from. An object stored by an earlier
 * attempt is reused. Otherwise a new one is prepared and stored through `db`, which commits at
 * once, so it outlives a rollback of the handler's transaction. The write takes a second pool
 * connection while the handler's transaction keeps its own.
 */
async function labelPurchase(
  carrier: Carrier,
  db: Knex,
  ctx: HandlerContext,
  request: ParcelLabelsRequest,
): Promise<PurchaseReference> {
  const stored = await findLabelPurchase(ctx.trx, request.orderId);
  if (stored) {
    ctx.log.info(
      { objectType: stored.objectType, objectId: stored.objectId },
      'label purchase found from an earlier attempt, resuming it',
    );
    return stored;
  }
  const prepared = await carrier.preparePurchase(request);
  const recorded = await recordLabelPurchase(db, request.orderId, prepared);
  ctx.log.info(
    { objectType: recorded.objectType, objectId: recorded.objectId },
    'label purchase stored',
  );
  return recorded;
}

/**
 * Returns the parcel weights planned when the address was verified. The parcels migration gives
 * every older shipment a parcel row, so the fallback to one parcel of the stored weight is only
 * a safeguard.
 */
async function plannedParcelWeights(
  ctx: HandlerContext,
  orderId: string,
  storedWeightOz: number,
): Promise<number[]> {
  const rows = await findParcels(ctx.trx, orderId);
  if (rows.length > 0) return rows.map((row) => row.weight_oz);
  ctx.log.warn({ storedWeightOz }, 'shipment has no parcel rows, shipping one parcel');
  return [storedWeightOz];
}

/** Returns the labels' common currency in upper case, or throws if it is not one supported code. */
function checkedCurrency(labels: readonly PurchasedLabel[]): CurrencyCode {
  const currencies = [...new Set(labels.map((label) => label.currency.toUpperCase()))];
  const [currency] = currencies;
  if (currencies.length === 1 && currency !== undefined && isCurrencyCode(currency)) {
    return currency;
  }
  // The labels are already bought and a retry would fail the same way, so the operator must refund them.
  const shipmentIds = labels.map((label) => label.shipmentId).join(', ');
  throw new AppError(
    'LABEL_CURRENCY_UNSUPPORTED',
    `rate currency ${currencies.join(', ')} of shipments ${shipmentIds} is not one supported currency; refund the labels with the carrier`,
    { retryable: false },
  );
}
