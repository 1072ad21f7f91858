import { randomBytes } from 'node:crypto';

/**
 * Returns `prefix` followed by `separator` and 8 random hex digits, so that tests running
 * at the same time, or again on the same broker or server, never share a topic or group.
 *
 * @example
 * const groupId = uniqueName('payment-consumer'); // "payment-consumer-3f9a0c1e"
 */
export function uniqueName(prefix: string, separator = '-'): string {
  return `${prefix}${separator}${randomBytes(4).toString('hex')}`;
}
