import { checkoutOrderSchema } from '../order/checkout-order.js';

/** A checkout order entered the platform; the data is the whole checkout order. */
export const orderCreatedV1 = checkoutOrderSchema;
