import { formatMinorUnits, type TypedEvent } from '@orderflow/contracts';

function money(amountMinor: number, currency: Parameters<typeof formatMinorUnits>[1]): string {
  return `${formatMinorUnits(amountMinor, currency)} ${currency}`;
}

/**
 * Returns one line for the order's timeline that a support agent can read and the customer may
 * see. Provider reasons appear as the customer message, never as raw error text.
 */
export function summarizeEvent(event: TypedEvent): string {
  switch (event.type) {
    case 'order.created': {
      const data = event.data as TypedEvent<'order.created'>['data'];
      return `Order received: ${data.lines.length} line(s), ${money(data.totals.subtotalMinor, data.currency)} before tax`;
    }
    case 'tax.calculated': {
      const data = event.data as TypedEvent<'tax.calculated'>['data'];
      const source =
        data.source === 'provider'
          ? 'by the tax provider'
          : `from stored rates (${data.fallbackReason ?? 'provider unavailable'})`;
      return `Tax calculated ${source}: ${money(data.taxMinor, data.currency)}`;
    }
    case 'fraud.assessed': {
      const data = event.data as TypedEvent<'fraud.assessed'>['data'];
      const verdict = { approve: 'approved', review: 'held for manual review', block: 'blocked' }[
        data.decision
      ];
      return `Risk check: ${verdict} (score ${data.score.toFixed(2)})`;
    }
    case 'shipment.address_verified':
      return 'Shipping address verified';
    case 'shipment.address_rejected':
      return `Shipping address needs correction: ${(event.data as TypedEvent<'shipment.address_rejected'>['data']).customerMessage}`;
    case 'shipment.freight_required':
      return `Held for freight: ${(event.data as TypedEvent<'shipment.freight_required'>['data']).customerMessage}`;
    case 'payment.authorized': {
      const data = event.data as TypedEvent<'payment.authorized'>['data'];
      return `Payment authorized: ${money(data.amountMinor, data.currency)}`;
    }
    case 'payment.captured': {
      const data = event.data as TypedEvent<'payment.captured'>['data'];
      return `Payment captured: ${money(data.amountMinor, data.currency)}`;
    }
    case 'payment.failed':
      return `Payment failed: ${(event.data as TypedEvent<'payment.failed'>['data']).customerMessage}`;
    case 'payment.authentication_required':
      return `Payment waits for the customer: ${(event.data as TypedEvent<'payment.authentication_required'>['data']).customerMessage}`;
    case 'payment.refunded': {
      const data = event.data as TypedEvent<'payment.refunded'>['data'];
      return `Refunded ${money(data.amountMinor, data.currency)}`;
    }
    case 'payment.voided':
      return 'Payment authorization released';
    case 'shipment.label_created': {
      const data = event.data as TypedEvent<'shipment.label_created'>['data'];
      const parcels = data.parcels ?? [];
      if (parcels.length > 1) {
        const codes = parcels.map((parcel) => parcel.trackingCode).join(', ');
        return `Labels bought for ${parcels.length} parcels: ${data.carrier} ${data.service}, tracking ${codes}`;
      }
      return `Label bought: ${data.carrier} ${data.service}, tracking ${data.trackingCode}`;
    }
    case 'shipment.status_changed':
      return `Parcel status: ${(event.data as TypedEvent<'shipment.status_changed'>['data']).to}`;
    case 'notification.sent': {
      const data = event.data as TypedEvent<'notification.sent'>['data'];
      return `Customer notified by ${data.channel}: ${data.template}`;
    }
    case 'notification.failed': {
      const data = event.data as TypedEvent<'notification.failed'>['data'];
      return `Notification by ${data.channel} failed: ${data.template}`;
    }
    case 'crm.synced':
      return 'Customer and order mirrored to the CRM';
  }
}
