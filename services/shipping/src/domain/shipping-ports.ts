import type { SHIP_MODES } from '@orderflow/contracts';

export type ShipMode = (typeof SHIP_MODES)[number];

/** An address as the carrier verifies it. */
export interface CarrierAddress {
  name?: string;
  street: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  phone?: string;
}

export type AddressVerification =
  | { verified: true; addressId: string }
  | {
      verified: false;
      /** Address field at fault, such as `postalCode`. */
      field: string;
      /** Sentence that a customer can read, such as why the postal code is invalid. */
      reason: string;
    };

export interface LabelRequest {
  orderId: string;
  toAddressId: string;
  fromAddress: CarrierAddress;
  weightOz: number;
  shipMode: ShipMode;
}

/** Labels for all parcels of one order, bought with one carrier and service. */
export interface ParcelLabelsRequest {
  orderId: string;
  toAddressId: string;
  fromAddress: CarrierAddress;
  /** Weight of each parcel in ounces, in the order the labels are returned. */
  parcelWeightsOz: readonly number[];
  shipMode: ShipMode;
}

export interface PurchasedLabel {
  shipmentId: string;
  trackerId?: string;
  trackingCode: string;
  carrier: string;
  service: string;
  rateMinor: number;
  currency: string;
  labelUrl: string;
}

/** The carrier as the shipping service uses it; faults are thrown as ProviderError. */
export interface Carrier {
  verifyAddress(address: CarrierAddress): Promise<AddressVerification>;
  buyLabel(request: LabelRequest): Promise<PurchasedLabel>;
  /** Buys one label per parcel and returns them in the order of `parcelWeightsOz`. */
  buyParcelLabels(request: ParcelLabelsRequest): Promise<PurchasedLabel[]>;
}
