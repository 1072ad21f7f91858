/**
 * Lifecycle of one order's shipment. A row starts as verified or rejected by the address check,
 * or as `freight_required` for an order too large for parcels. Only a verified row moves on,
 * once, to `label_purchased`.
 */
export const SHIPMENT_STATES = [
  'address_verified',
  'address_rejected',
  'freight_required',
  'label_purchased',
] as const;

export type ShipmentState = (typeof SHIPMENT_STATES)[number];

export type LabelStep =
  | { kind: 'buy'; from: 'address_verified'; to: 'label_purchased' }
  | { kind: 'already_bought' }
  | { kind: 'not_shippable'; state: 'address_rejected' | 'freight_required' };

/** Decides what a captured payment means for a shipment in `state`. */
export function nextLabelStep(state: ShipmentState): LabelStep {
  if (state === 'label_purchased') return { kind: 'already_bought' };
  if (state === 'address_rejected' || state === 'freight_required') {
    return { kind: 'not_shippable', state };
  }
  return { kind: 'buy', from: state, to: 'label_purchased' };
}

/**
 * Converts the carrier's field name to the order field in `shipment.address_rejected`, such as
 * `shipTo.postalCode`. A rejection of the whole address (`address`) names `shipTo`.
 */
export function rejectedFieldPath(field: string): string {
  if (field === 'address' || field === '') return 'shipTo';
  return field.startsWith('shipTo.') ? field : `shipTo.${field}`;
}

/**
 * Builds the sentence shown to the customer when the carrier rejects the address: the
 * carrier's reason, then what to do. The payment service does not charge such an order.
 */
export function addressCorrectionMessage(reason: string): string {
  const sentence = /[.!?]$/.test(reason.trim()) ? reason.trim() : `${reason.trim()}.`;
  return `${sentence} We will send your order once the shipping address is corrected. You have not been charged.`;
}
