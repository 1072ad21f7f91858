import {
  PROVIDER_POLICY_PRESETS,
  ProviderError,
  ValidationError,
  createProviderPolicy,
  type Logger,
  type ProviderPolicyOptions,
} from '@orderflow/service-kit';
import type { IPolicy } from 'cockatiel';
import { describeVerificationFailure, type VerificationError } from './address-reasons.js';
import {
  createEasyPostClient,
  type EasyPostClient,
  type EasyPostConfig,
} from './easypost-client.js';
import { PURCHASE_NOT_FOUND } from '../../../domain/shipping-ports.js';
import { isApiError, toPolicyError, toProviderError } from './easypost-errors.js';
import { chooseRates, decimalToMinor, type CarrierRate, type ShipMode } from './rate-selection.js';

/** Logger methods the adapter uses; a pino logger fits. */
export type EasyPostAdapterLogger = Pick<Logger, 'info' | 'warn'>;

export interface EasyPostAdapterConfig extends EasyPostConfig {
  /** Resilience limits; defaults to `PROVIDER_POLICY_PRESETS.standard`. */
  policy?: ProviderPolicyOptions;
}

/** A postal address in the platform's field names. */
export interface ShippingAddress {
  name?: string;
  company?: string;
  street: string;
  city: string;
  /** State or province code, such as `TX` or `ON`. */
  region: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2 code, such as `US`. */
  country: string;
  phone?: string;
  email?: string;
}

export type AddressVerification =
  | { verified: true; addressId: string }
  | {
      verified: false;
      /** Field at fault: `street`, `city`, `region`, `postalCode`, `country` or `address`. */
      field: string;
      /** Sentence the customer can act on. */
      reason: string;
    };

/** The destination: an address id from `verifyAddress`, or the address itself. */
export type LabelDestination =
  { toAddressId: string; toAddress?: never } | { toAddress: ShippingAddress; toAddressId?: never };

export type LabelRequest = LabelDestination & {
  orderId: string;
  fromAddress: ShippingAddress;
  weightOz: number;
  shipMode: ShipMode;
};

/** Labels for several parcels to one destination, bought with one carrier and service. */
export type ParcelLabelsRequest = LabelDestination & {
  orderId: string;
  fromAddress: ShippingAddress;
  /** Weight of each parcel in ounces, in the order the labels are returned. */
  parcelWeightsOz: readonly number[];
  shipMode: ShipMode;
};

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
 * An EasyPost shipment or order created for an order's labels, bought or not. `preparePurchase`
 * returns it, and `buyPreparedPurchase` buys it or returns its labels.
 */
export interface PurchaseReference {
  /** EasyPost's `object` field of the object: `Shipment` for one parcel, `Order` for several. */
  objectType: string;
  /** EasyPost id of the shipment or order. */
  objectId: string;
}

export interface PreparedPurchaseRequest {
  orderId: string;
  reference: PurchaseReference;
  shipMode: ShipMode;
}

const SHIPMENT_OBJECT = 'Shipment';
const ORDER_OBJECT = 'Order';

/** The fields of an EasyPost shipment that the adapter reads. */
interface BoughtShipment {
  id: string;
  rates?: CarrierRate[] | null;
  parcel?: { weight?: number | null } | null;
  tracking_code?: string | null;
  selected_rate?: CarrierRate | null;
  postage_label?: { label_url?: string | null } | null;
  tracker?: { id?: string } | null;
}

/** The fields of an EasyPost order that the adapter reads. */
interface RatedOrder {
  id: string;
  rates?: CarrierRate[] | null;
  shipments: BoughtShipment[];
}

function toEasyPostAddress(address: ShippingAddress): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    name: address.name,
    company: address.company,
    street1: address.street,
    city: address.city,
    state: address.region,
    zip: address.postalCode,
    country: address.country,
    phone: address.phone,
    email: address.email,
  };
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function assertParcelWeight(weightOz: number, path: string): void {
  if (!Number.isFinite(weightOz) || weightOz <= 0) {
    throw new ValidationError([
      { path, message: `must be a positive number of ounces, got ${weightOz}` },
    ]);
  }
}

function noRates(orderId: string, rated: string, weightsOz: readonly number[]): ProviderError {
  const weights = weightsOz.length > 0 ? ` (${weightsOz.join(' + ')} oz)` : '';
  return new ProviderError(
    'easypost',
    'EASYPOST_NO_RATES',
    `No carrier rated ${rated} of order ${orderId}${weights}`,
    {
      retryable: false,
      customerMessage: 'No carrier can ship this order to the address given. Please contact us.',
    },
  );
}

/** Returns the parcel weights of the shipments that EasyPost returned with one. */
function parcelWeights(shipments: readonly BoughtShipment[]): number[] {
  return shipments.flatMap((shipment) => shipment.parcel?.weight ?? []);
}

function toPurchasedLabel(shipment: BoughtShipment): PurchasedLabel {
  const rate = shipment.selected_rate;
  const labelUrl = shipment.postage_label?.label_url;
  if (!rate || !labelUrl || !shipment.tracking_code) {
    throw new ProviderError(
      'easypost',
      'EASYPOST_LABEL_INCOMPLETE',
      `Shipment ${shipment.id} was bought without a rate, label or tracking code`,
      {
        retryable: false,
      },
    );
  }
  return {
    shipmentId: shipment.id,
    ...(shipment.tracker?.id ? { trackerId: shipment.tracker.id } : {}),
    trackingCode: shipment.tracking_code,
    carrier: rate.carrier,
    service: rate.service,
    rateMinor: decimalToMinor(rate.rate),
    currency: rate.currency,
    labelUrl,
  };
}

/**
 * Address verification and label purchase through EasyPost. Every call runs under the standard
 * resilience policy. An undeliverable address is a typed result; faults are thrown as
 * `ProviderError`, which is retryable for timeouts, connection failures, 408, 429 and 5xx.
 *
 * EasyPost has no idempotency keys, so labels are bought in two steps and the caller can store
 * the shipment or order between them. `preparePurchase` creates it, which costs nothing, and
 * `buyPreparedPurchase` buys it, or returns its labels when it was bought already. A retried
 * creation leaves an unbought shipment or order behind, which also costs nothing.
 */
export class EasyPostAdapter {
  private readonly client: EasyPostClient;
  private readonly policy: IPolicy;

  constructor(
    config: EasyPostAdapterConfig,
    private readonly log: EasyPostAdapterLogger,
  ) {
    const policyOptions = config.policy ?? PROVIDER_POLICY_PRESETS.standard;
    this.client = createEasyPostClient({ requestTimeoutMs: policyOptions.timeoutMs, ...config });
    this.policy = createProviderPolicy(policyOptions);
  }

  /** Creates the address with delivery verification and returns its id or why it cannot be delivered to. */
  async verifyAddress(address: ShippingAddress): Promise<AddressVerification> {
    const created = await this.call('verify address', () =>
      this.client.Address.create({ ...toEasyPostAddress(address), verify: ['delivery'] }),
    );
    const delivery = created.verifications?.delivery;
    if (delivery?.success) return { verified: true, addressId: created.id };

    const errors: VerificationError[] = delivery?.errors ?? [];
    const failure = describeVerificationFailure(errors, address);
    this.log.info(
      { addressId: created.id, field: failure.field, codes: errors.map((error) => error.code) },
      'easypost address not verified',
    );
    return { verified: false, ...failure };
  }

  /**
   * Rates a shipment, buys the best rate for the ship mode and returns the label. When a purchase
   * fails with a retryable error after the policy's retries, the next carrier's best rate is
   * bought instead. No rate at all, or a final error, is thrown as a final `ProviderError`.
   */
  async buyLabel(request: LabelRequest): Promise<PurchasedLabel> {
    assertParcelWeight(request.weightOz, 'weightOz');
    const { weightOz, ...single } = request;
    const [label] = await this.buyParcelLabels({ ...single, parcelWeightsOz: [weightOz] });
    return label!;
  }

  /**
   * Buys one label per parcel and returns them in the order of `parcelWeightsOz`. It prepares the
   * purchase and buys it at once. A caller that must not buy twice when it fails after the
   * purchase stores the reference from `preparePurchase` and calls `buyPreparedPurchase` instead.
   */
  async buyParcelLabels(request: ParcelLabelsRequest): Promise<PurchasedLabel[]> {
    const reference = await this.preparePurchase(request);
    return this.buyPreparedPurchase({
      orderId: request.orderId,
      reference,
      shipMode: request.shipMode,
    });
  }

  /**
   * Creates and rates the EasyPost object for one label per parcel, without buying it. One parcel
   * becomes a shipment. Several parcels become an EasyPost Order, so that every parcel ships with
   * the same carrier and service. EasyPost rates orders only with some carriers, UPS and FedEx
   * among them but not USPS. An object without rates is a final `EASYPOST_NO_RATES` error.
   */
  async preparePurchase(request: ParcelLabelsRequest): Promise<PurchaseReference> {
    const weights = request.parcelWeightsOz;
    if (weights.length === 0) {
      throw new ValidationError([{ path: 'parcelWeightsOz', message: 'must not be empty' }]);
    }
    weights.forEach((weightOz, index) => assertParcelWeight(weightOz, `parcelWeightsOz.${index}`));
    const toAddress =
      request.toAddress !== undefined
        ? toEasyPostAddress(request.toAddress)
        : { id: request.toAddressId };
    const fromAddress = toEasyPostAddress(request.fromAddress);

    if (weights.length === 1) {
      const shipment = (await this.call('create shipment', () =>
        this.client.Shipment.create({
          to_address: toAddress,
          from_address: fromAddress,
          parcel: { weight: weights[0] },
          reference: request.orderId,
        }),
      )) as BoughtShipment;
      if ((shipment.rates ?? []).length === 0) {
        throw noRates(request.orderId, `shipment ${shipment.id}`, weights);
      }
      return { objectType: SHIPMENT_OBJECT, objectId: shipment.id };
    }

    const order = (await this.call('create order', () =>
      this.client.Order.create({
        to_address: toAddress,
        from_address: fromAddress,
        shipments: weights.map((weight) => ({ parcel: { weight } })),
        reference: request.orderId,
      }),
    )) as unknown as RatedOrder;
    if ((order.rates ?? []).length === 0) {
      throw noRates(request.orderId, `EasyPost order ${order.id}`, weights);
    }
    return { objectType: ORDER_OBJECT, objectId: order.id };
  }

  /**
   * Buys the labels of a shipment or order from `preparePurchase` with the best rate for the ship
   * mode, and returns them in the order of its parcels. The object is read back first, so one
   * that was bought already returns its labels and nothing is bought again. When a purchase fails
   * with a retryable error after the policy's retries, the next carrier's best rate is bought
   * instead. An order purchase buys every label or none.
   */
  async buyPreparedPurchase(request: PreparedPurchaseRequest): Promise<PurchasedLabel[]> {
    const { objectType, objectId } = request.reference;
    if (objectType === SHIPMENT_OBJECT) {
      return this.buyPreparedShipment(request.orderId, objectId, request.shipMode);
    }
    if (objectType === ORDER_OBJECT) {
      return this.buyPreparedOrder(request.orderId, objectId, request.shipMode);
    }
    throw new ValidationError([
      {
        path: 'reference.objectType',
        message: `must be ${SHIPMENT_OBJECT} or ${ORDER_OBJECT}, got ${objectType}`,
      },
    ]);
  }

  /** Reads a prepared shipment or order back; one that EasyPost does not know (404) is reported as `PURCHASE_NOT_FOUND`. */
  private async retrievePrepared<T>(
    orderId: string,
    objectId: string,
    operation: string,
    retrieve: () => Promise<T>,
  ): Promise<T> {
    try {
      return await this.call(operation, retrieve);
    } catch (error) {
      const cause = error instanceof ProviderError ? error.cause : undefined;
      if (!isApiError(cause) || cause.statusCode !== 404) throw error;
      throw new ProviderError(
        'easypost',
        PURCHASE_NOT_FOUND,
        `EasyPost has no shipment or order ${objectId} for order ${orderId}, so nothing was bought from it`,
        { retryable: false, cause },
      );
    }
  }

  private async buyPreparedShipment(
    orderId: string,
    shipmentId: string,
    shipMode: ShipMode,
  ): Promise<PurchasedLabel[]> {
    const shipment = (await this.retrievePrepared(orderId, shipmentId, 'retrieve shipment', () =>
      this.client.Shipment.retrieve(shipmentId),
    )) as BoughtShipment;
    if (shipment.postage_label) {
      this.log.info(
        { orderId, purchaseId: shipmentId },
        'easypost shipment already bought, returning its label',
      );
      return [toPurchasedLabel(shipment)];
    }

    const rates = shipment.rates ?? [];
    if (rates.length === 0) {
      throw noRates(orderId, `shipment ${shipmentId}`, parcelWeights([shipment]));
    }
    const candidates = this.rateCandidates(orderId, shipmentId, rates, shipMode);
    return this.buyFirstAvailable(orderId, shipmentId, candidates, (rate) =>
      this.buyRate(shipmentId, rate).then((bought) => [bought]),
    );
  }

  private async buyPreparedOrder(
    orderId: string,
    easyPostOrderId: string,
    shipMode: ShipMode,
  ): Promise<PurchasedLabel[]> {
    const order = (await this.retrievePrepared(orderId, easyPostOrderId, 'retrieve order', () =>
      this.client.Order.retrieve(easyPostOrderId),
    )) as unknown as RatedOrder;
    const bought = order.shipments.filter((shipment) => shipment.postage_label);
    if (bought.length > 0 && bought.length === order.shipments.length) {
      this.log.info(
        { orderId, purchaseId: easyPostOrderId },
        'easypost order already bought, returning its labels',
      );
      return order.shipments.map(toPurchasedLabel);
    }
    if (bought.length > 0) {
      // An order purchase buys every label or none, so this order was changed outside the service.
      throw new ProviderError(
        'easypost',
        'EASYPOST_ORDER_PARTLY_BOUGHT',
        `EasyPost order ${easyPostOrderId} of order ${orderId} has labels for ${bought.length} of its ${order.shipments.length} shipments; buy or refund the others in EasyPost`,
        { retryable: false },
      );
    }

    const rates = order.rates ?? [];
    if (rates.length === 0) {
      throw noRates(orderId, `EasyPost order ${easyPostOrderId}`, parcelWeights(order.shipments));
    }
    const candidates = this.rateCandidates(orderId, easyPostOrderId, rates, shipMode);
    return this.buyFirstAvailable(orderId, easyPostOrderId, candidates, (rate) =>
      this.buyOrderRate(easyPostOrderId, rate),
    );
  }

  private rateCandidates(
    orderId: string,
    purchaseId: string,
    rates: readonly CarrierRate[],
    shipMode: ShipMode,
  ): CarrierRate[] {
    const choice = chooseRates(rates, shipMode);
    if (!choice.shipModeMet) {
      this.log.warn(
        { orderId, purchaseId, shipMode },
        'easypost has no rate for the ship mode, buying the fastest',
      );
    }
    return choice.candidates;
  }

  /**
   * Buys the first candidate rate that a carrier accepts. `purchaseId` is the id of the EasyPost
   * shipment or order that the rates belong to.
   */
  private async buyFirstAvailable(
    orderId: string,
    purchaseId: string,
    candidates: CarrierRate[],
    buy: (rate: CarrierRate) => Promise<PurchasedLabel[]>,
  ): Promise<PurchasedLabel[]> {
    let lastError: unknown;
    for (const rate of candidates) {
      try {
        const labels = await buy(rate);
        this.log.info(
          {
            orderId,
            purchaseId,
            carrier: rate.carrier,
            service: rate.service,
            labels: labels.length,
            rateMinor: labels.reduce((total, label) => total + label.rateMinor, 0),
          },
          'easypost label bought',
        );
        return labels;
      } catch (error) {
        if (!(error instanceof ProviderError) || !error.retryable) throw error;
        lastError = error;
        this.log.warn(
          { orderId, purchaseId, carrier: rate.carrier, code: error.code },
          'easypost label purchase failed, trying the next carrier',
        );
      }
    }
    throw lastError;
  }

  private async buyOrderRate(orderId: string, rate: CarrierRate): Promise<PurchasedLabel[]> {
    const bought = await this.call('buy order', async () => {
      try {
        return (await this.client.Order.buy(
          orderId,
          rate.carrier,
          rate.service,
        )) as unknown as RatedOrder;
      } catch (error) {
        // An earlier attempt may have bought the order and lost its response. EasyPost documents
        // no error code for buying a bought order, so every 422 reads the order back.
        if (isApiError(error) && error.statusCode === 422) {
          const stored = (await this.client.Order.retrieve(orderId)) as unknown as RatedOrder;
          if (stored.shipments.every((shipment) => shipment.postage_label?.label_url)) {
            return stored;
          }
        }
        throw error;
      }
    });
    return bought.shipments.map(toPurchasedLabel);
  }

  private async buyRate(shipmentId: string, rate: CarrierRate): Promise<PurchasedLabel> {
    const bought = await this.call('buy label', async () => {
      try {
        return (await this.client.Shipment.buy(shipmentId, rate.id)) as BoughtShipment;
      } catch (error) {
        // An earlier attempt bought the label but its response was lost, so return that label.
        if (isApiError(error) && error.code === 'SHIPMENT.POSTAGE.EXISTS') {
          return (await this.client.Shipment.retrieve(shipmentId)) as BoughtShipment;
        }
        throw error;
      }
    });
    return toPurchasedLabel(bought);
  }

  /** Runs one SDK call under the policy and converts every failure into a `ProviderError`. */
  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(async () => {
        try {
          return await run();
        } catch (error) {
          throw toProviderError(error, operation);
        }
      });
    } catch (error) {
      const mapped = toPolicyError(error, operation);
      if (mapped instanceof ProviderError) {
        this.log.warn(
          { operation, code: mapped.code, retryable: mapped.retryable },
          'easypost call failed',
        );
      }
      throw mapped;
    }
  }
}
