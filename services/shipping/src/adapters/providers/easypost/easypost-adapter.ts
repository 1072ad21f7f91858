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

/** The fields of an EasyPost shipment that the adapter reads. */
interface BoughtShipment {
  id: string;
  tracking_code?: string | null;
  selected_rate?: CarrierRate | null;
  postage_label?: { label_url?: string | null } | null;
  tracker?: { id?: string } | null;
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
 * EasyPost has no idempotency keys. A retried shipment creation leaves an unbought shipment,
 * which costs nothing, and a retried purchase of a shipment that was bought returns its label.
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
    if (!Number.isFinite(request.weightOz) || request.weightOz <= 0) {
      throw new ValidationError([
        {
          path: 'weightOz',
          message: `must be a positive number of ounces, got ${request.weightOz}`,
        },
      ]);
    }
    const shipment = await this.call('create shipment', () =>
      this.client.Shipment.create({
        to_address:
          request.toAddress !== undefined
            ? toEasyPostAddress(request.toAddress)
            : { id: request.toAddressId },
        from_address: toEasyPostAddress(request.fromAddress),
        parcel: { weight: request.weightOz },
        reference: request.orderId,
      }),
    );

    const rates = (shipment.rates ?? []) as CarrierRate[];
    if (rates.length === 0) {
      throw new ProviderError(
        'easypost',
        'EASYPOST_NO_RATES',
        `No carrier rated shipment ${shipment.id} of order ${request.orderId} (${request.weightOz} oz)`,
        {
          retryable: false,
          customerMessage:
            'No carrier can ship this order to the address given. Please contact us.',
        },
      );
    }
    const choice = chooseRates(rates, request.shipMode);
    if (!choice.shipModeMet) {
      this.log.warn(
        { orderId: request.orderId, shipmentId: shipment.id, shipMode: request.shipMode },
        'easypost has no rate for the ship mode, buying the fastest',
      );
    }
    return this.buyFirstAvailable(request.orderId, shipment.id, choice.candidates);
  }

  private async buyFirstAvailable(
    orderId: string,
    shipmentId: string,
    candidates: CarrierRate[],
  ): Promise<PurchasedLabel> {
    let lastError: unknown;
    for (const rate of candidates) {
      try {
        const label = await this.buyRate(shipmentId, rate);
        this.log.info(
          {
            orderId,
            shipmentId,
            carrier: label.carrier,
            service: label.service,
            rateMinor: label.rateMinor,
          },
          'easypost label bought',
        );
        return label;
      } catch (error) {
        if (!(error instanceof ProviderError) || !error.retryable) throw error;
        lastError = error;
        this.log.warn(
          { orderId, shipmentId, carrier: rate.carrier, code: error.code },
          'easypost label purchase failed, trying the next carrier',
        );
      }
    }
    throw lastError;
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
