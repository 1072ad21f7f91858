import { AppError } from '@orderflow/service-kit';

/**
 * Creates the final error for a capture of an order whose address was rejected or that needs
 * freight. Payment never charges such an order, so this is a bug upstream and a retry cannot help.
 */
export function notShippable(
  orderId: string,
  state: 'address_rejected' | 'freight_required',
): AppError {
  if (state === 'freight_required') {
    return new AppError(
      'FREIGHT_REQUIRED',
      `order ${orderId} was paid but needs freight, which this service does not book; no label is bought`,
      { retryable: false, statusCode: 409 },
    );
  }
  return new AppError(
    'ADDRESS_NOT_VERIFIED',
    `order ${orderId} was paid but its shipping address was rejected; no label is bought`,
    { retryable: false, statusCode: 409 },
  );
}

/**
 * Creates the final error for an order line whose single item is heavier than a parcel may be.
 * Such an item ships only as freight, which the service does not book, so a retry cannot help.
 */
export function itemTooHeavy(
  line: number,
  productId: string,
  itemWeightOz: number,
  maxParcelWeightOz: number,
): AppError {
  return new AppError(
    'ITEM_TOO_HEAVY_FOR_PARCEL',
    `order line ${line} (product ${productId}) has an item estimated at ${itemWeightOz} oz, above the ${maxParcelWeightOz} oz parcel maximum; ship it as freight`,
    {
      retryable: false,
      statusCode: 422,
      details: { line, productId, itemWeightOz, maxParcelWeightOz },
    },
  );
}
