import type { NumberedReplayOrder } from '@orderflow/replay';

/**
 * Returns `count` orders for the end-to-end benchmark, taken in file order from the data set
 * orders expected to be captured (approved by fraud, a succeeding card, a shippable address).
 * When `count` exceeds their number, the list repeats and each repeat gets `-c<n>` appended to
 * its order id, so every order id of the run is unique.
 */
export function syntheticApprovedOrders(
  dataSet: readonly NumberedReplayOrder[],
  count: number,
): NumberedReplayOrder[] {
  const approved = dataSet.filter((entry) => entry.order.expected === 'captured');
  if (approved.length === 0)
    throw new Error('the data set contains no order expected to be captured');

  return Array.from({ length: count }, (_, index) => {
    const source = approved[index % approved.length] as NumberedReplayOrder;
    const copy = Math.floor(index / approved.length);
    const orderId = copy === 0 ? source.order.orderId : `${source.order.orderId}-c${copy}`;
    return { lineNumber: source.lineNumber, order: { ...source.order, orderId } };
  });
}
