import { AppError } from '@orderflow/service-kit';

/**
 * Creates the final error for a capture of an order whose address was rejected. Payment never
 * charges such an order, so this is a bug upstream and a retry cannot help.
 */
export function addressNotVerified(orderId: string): AppError {
  return new AppError(
    'ADDRESS_NOT_VERIFIED',
    `order ${orderId} was paid but its shipping address was rejected; no label is bought`,
    { retryable: false, statusCode: 409 },
  );
}
