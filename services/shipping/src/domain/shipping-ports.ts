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

/**
 * A carrier object created for an order's labels, such as a shipment, bought or not. The
 * service stores it before the purchase, so that a retry buys or reads this object instead of
 * creating another. Only the carrier adapter interprets the fields.
 */
export interface PurchaseReference {
  /** Carrier's type of the object, such as `Shipment`. */
  objectType: string;
  /** Carrier's id of the object. */
  objectId: string;
}

/**
 * Code of the error that `Carrier.buyPreparedPurchase` throws when the carrier does not know the
 * object. Nothing was bought from it, so a new object may be prepared in its place.
 */
export const PURCHASE_NOT_FOUND = 'CARRIER_PURCHASE_NOT_FOUND';

/** The purchase of the labels of a carrier object from `Carrier.preparePurchase`. */
export interface PreparedPurchaseRequest {
  orderId: string;
  reference: PurchaseReference;
  shipMode: ShipMode;
}

/**
 * The carrier as the shipping service uses it. Faults are thrown as ProviderError. Labels are
 * bought in two steps, so that the service can store the carrier object between them.
 */
export interface Carrier {
  verifyAddress(address: CarrierAddress): Promise<AddressVerification>;
  /** Creates and rates the carrier object for one label per parcel, without buying it. */
  preparePurchase(request: ParcelLabelsRequest): Promise<PurchaseReference>;
  /**
   * Buys the labels of a prepared object and returns them in the order of its parcels. An object
   * that was bought already returns its labels, and nothing is bought again. An object that the
   * carrier does not know fails with the code `PURCHASE_NOT_FOUND`.
   */
  buyPreparedPurchase(request: PreparedPurchaseRequest): Promise<PurchasedLabel[]>;
}
