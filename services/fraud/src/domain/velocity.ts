/**
 * Order-rate limits of the velocity rules. A rule fires when one customer, or one client IP,
 * places more than `maxOrders` orders within one window of `windowSeconds`.
 */
export const VELOCITY_LIMITS = {
  customer: { maxOrders: 3, windowSeconds: 86_400 },
  ip: { maxOrders: 5, windowSeconds: 3_600 },
} as const;

export type VelocityDimension = keyof typeof VELOCITY_LIMITS;

/**
 * Returns the start of the fixed window that contains `placedAt`. Windows are aligned to the
 * Unix epoch, so every instance of the service counts into the same rows. Orders count by the
 * time they were placed, not by when the event arrives, so a replay or a backlog counts the same.
 *
 * NOTE: fixed windows reset at their boundary, so a burst that straddles one can reach almost
 * twice the limit before the rule fires.
 */
export function velocityWindowStart(placedAt: Date, windowSeconds: number): Date {
  const windowMs = windowSeconds * 1_000;
  return new Date(Math.floor(placedAt.getTime() / windowMs) * windowMs);
}
