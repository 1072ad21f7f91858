const PPM = 1_000_000n;

/**
 * Tax on one line for one jurisdiction, in minor units: amount times rate, rounded half up to a
 * whole minor unit (0.5 cent and more rounds up). Each line and jurisdiction is rounded on its
 * own and the results are summed, so an order's tax can differ by a minor unit per line from
 * rounding the order total once. BigInt keeps the product exact for any safe integer amount.
 */
export function lineTaxMinor(amountMinor: number, ratePpm: number): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw new RangeError(`amountMinor must be a non-negative safe integer, got ${amountMinor}`);
  }
  const product = BigInt(amountMinor) * BigInt(Math.round(ratePpm));
  return Number((product + PPM / 2n) / PPM);
}
