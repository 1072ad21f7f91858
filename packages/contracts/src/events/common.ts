import { z } from 'zod';
import { currencyCode } from '../order/checkout-order.js';

export const orderId = z.string().min(1).max(64);
export const amountMinor = z.number().int().nonnegative();
export { currencyCode };
