import { formatMinorUnits, type CurrencyCode } from '@orderflow/contracts';
import {
  createProviderPolicy,
  PROVIDER_POLICY_PRESETS,
  ProviderError,
  type Logger,
  type ProviderPolicyOptions,
} from '@orderflow/service-kit';
import { hubSpotResponseError, type HubSpotErrorBody } from './hubspot-errors.js';
import { HubSpotHttp } from './hubspot-http.js';

/**
 * Custom properties that the HubSpot portal must define for orderflow: the customer ID and
 * segment on contacts, the order ID on deals.
 */
export const ORDERFLOW_PROPERTIES = {
  customerId: 'orderflow_customer_id',
  segment: 'orderflow_segment',
  orderId: 'orderflow_order_id',
} as const;

/**
 * Deal stage IDs in HubSpot's default sales pipeline for each order stage. Portals with their
 * own pipeline override them with `HubSpotConfig.dealStageIds`.
 */
export const DEFAULT_DEAL_STAGE_IDS = {
  placed: 'contractsent',
  paid: 'closedwon',
  shipped: 'closedwon',
  cancelled: 'closedlost',
} as const;

export type DealStage = keyof typeof DEFAULT_DEAL_STAGE_IDS;

/** Settings of the HubSpot client. */
export interface HubSpotConfig {
  /** Private app access token. */
  accessToken: string;
  /** The sandbox's URL, or `https://api.hubapi.com` for live. */
  baseUrl: string;
  /** Pipeline of the deals, `default` unless set. Updates set it too (see `upsertDeal`). */
  pipelineId?: string;
  dealStageIds?: Partial<Record<DealStage, string>>;
  /** Policy limits, PROVIDER_POLICY_PRESETS.standard unless set. Tests pass shorter timeouts. */
  policy?: ProviderPolicyOptions;
}

export interface UpsertContactInput {
  customerId: string;
  email: string;
  /** E.164 phone number. */
  phone?: string;
  /** Customer segment such as `Consumer` or `Corporate`. */
  segment?: string;
}

export interface UpsertDealInput {
  orderId: string;
  amountMinor: number;
  currency: CurrencyCode;
  stage: DealStage;
  contactId: string;
}

/** Result of an upsert: the HubSpot record ID and whether this call created the record. */
export interface ContactUpsert {
  contactId: string;
  created: boolean;
}

export interface DealUpsert {
  dealId: string;
  created: boolean;
}

interface SearchResult {
  total?: number;
  results?: { id: string }[];
}

/** The fields of a batch upsert response that the client reads. */
interface BatchUpsertResult {
  status?: string;
  results?: { id?: unknown; new?: unknown }[];
  errors?: HubSpotErrorBody[];
}

/**
 * Typed client of the HubSpot CRM v3 and v4 APIs over `fetch`. Its upserts let a retried event
 * update the records that the first attempt created. Deals go through HubSpot's batch upsert by
 * their unique `orderflow_order_id`. Contacts are found by an email search, or by the existing
 * ID in the 409 of a create when the search missed a new contact.
 */
export class HubSpotClient {
  private readonly http: HubSpotHttp;
  private readonly log: Logger;
  private readonly stageIds: Record<DealStage, string>;

  constructor(
    private readonly config: HubSpotConfig,
    logger: Logger,
  ) {
    this.log = logger.child({ provider: 'hubspot' });
    const policy = createProviderPolicy(config.policy ?? PROVIDER_POLICY_PRESETS.standard);
    this.http = new HubSpotHttp(config.baseUrl, config.accessToken, policy, this.log);
    this.stageIds = { ...DEFAULT_DEAL_STAGE_IDS, ...config.dealStageIds };
  }

  /**
   * Finds the contact by email and updates it, or creates it. A create that fails with 409
   * because another writer created the contact in between falls back to updating the
   * existing ID that HubSpot names in the conflict message.
   */
  async upsertContact(input: UpsertContactInput): Promise<ContactUpsert> {
    const email = input.email.trim().toLowerCase();
    const properties: Record<string, string> = {
      email,
      [ORDERFLOW_PROPERTIES.customerId]: input.customerId,
    };
    if (input.phone) properties.phone = input.phone;
    if (input.segment) properties[ORDERFLOW_PROPERTIES.segment] = input.segment;

    const existingId = await this.searchOne('contacts', 'email', email);
    const result = existingId
      ? await this.updateContact(existingId, properties)
      : await this.createContact(properties);
    this.log.info({ customerId: input.customerId, ...result }, 'contact upserted');
    return result;
  }

  /**
   * Creates or updates the order's deal in one batch upsert by `orderflow_order_id`, then
   * associates it with the contact. The portal must define that property with unique values.
   * HubSpot looks the deal up by that value, not through its lagging search index, so a retry
   * updates the deal of an earlier attempt. `created` is the `new` flag of the result.
   *
   * An upsert sends the same properties whether it creates or updates, so every call sets
   * `pipeline` next to `dealstage`. The stage IDs of `dealStageIds` belong to the configured
   * pipeline, and a stage sent without its pipeline would be paired with whatever pipeline the
   * deal is in. As a result, an update moves a deal that someone moved to another pipeline back
   * to the configured one.
   *
   * NOTE: HubSpot's API reference does not state that this lookup skips the search index, nor
   * how two concurrent upserts that both create one new value end. Only the sandbox was run.
   * Callers still handle one order's events in sequence, as a Kafka partition keyed by order
   * ID does.
   */
  async upsertDeal(input: UpsertDealInput): Promise<DealUpsert> {
    const properties: Record<string, string> = {
      dealname: `Order ${input.orderId}`,
      amount: formatMinorUnits(input.amountMinor, input.currency),
      deal_currency_code: input.currency,
      pipeline: this.config.pipelineId ?? 'default',
      dealstage: this.stageIds[input.stage],
      [ORDERFLOW_PROPERTIES.orderId]: input.orderId,
    };

    const response = await this.http.send({
      operation: 'deal upsert',
      method: 'POST',
      path: '/crm/v3/objects/deals/batch/upsert',
      body: {
        inputs: [{ idProperty: ORDERFLOW_PROPERTIES.orderId, id: input.orderId, properties }],
      },
    });
    const result = this.upsertedDeal(response.body as BatchUpsertResult);

    await this.associateDealWithContact(result.dealId, input.contactId);
    this.log.info(
      { orderId: input.orderId, contactId: input.contactId, ...result },
      'deal upserted',
    );
    return result;
  }

  private async createContact(properties: Record<string, string>): Promise<ContactUpsert> {
    const response = await this.http.send({
      operation: 'contact create',
      method: 'POST',
      path: '/crm/v3/objects/contacts',
      body: { properties },
      allowConflict: true,
    });
    if (response.status !== 409) return { contactId: recordId(response.body), created: true };

    const existingId = /Existing ID: (\d+)/.exec(String(response.body.message ?? ''))?.[1];
    if (!existingId) {
      throw new ProviderError(
        'hubspot',
        'PROVIDER_RESPONSE_INVALID',
        'HubSpot returned 409 without an existing ID',
        {
          retryable: false,
        },
      );
    }
    return this.updateContact(existingId, properties);
  }

  private async updateContact(
    contactId: string,
    properties: Record<string, string>,
  ): Promise<ContactUpsert> {
    await this.http.send({
      operation: 'contact update',
      method: 'PATCH',
      path: `/crm/v3/objects/contacts/${contactId}`,
      body: { properties },
    });
    return { contactId, created: false };
  }

  /** Returns the ID of the record whose property equals `value`, the lowest ID if several. */
  private async searchOne(objectType: 'contacts' | 'deals', propertyName: string, value: string) {
    const response = await this.http.send({
      operation: `${objectType} search`,
      method: 'POST',
      path: `/crm/v3/objects/${objectType}/search`,
      body: {
        filterGroups: [{ filters: [{ propertyName, operator: 'EQ', value }] }],
        properties: [propertyName],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
        limit: 2,
      },
    });
    const { total = 0, results = [] } = response.body as SearchResult;
    if (total > 1)
      this.log.warn({ objectType, propertyName, total }, 'hubspot search found duplicates');
    return results[0]?.id;
  }

  /**
   * Reads the one result of a single-input batch upsert. HubSpot responds with 207 and `errors[]`
   * when some inputs of a batch failed, which for a single input means that its write failed.
   */
  private upsertedDeal(body: BatchUpsertResult): DealUpsert {
    const [failure] = body.errors ?? [];
    if (failure) {
      const error = hubSpotResponseError('deal upsert', 207, failure);
      this.log.warn(
        { operation: 'deal upsert', category: failure.category, retryable: error.retryable },
        'hubspot request failed',
      );
      throw error;
    }

    const [record] = body.results ?? [];
    if (typeof record?.id !== 'string' || record.id === '' || typeof record.new !== 'boolean') {
      throw new ProviderError(
        'hubspot',
        'PROVIDER_RESPONSE_INVALID',
        `HubSpot returned a deal upsert without a result id and new flag (status ${body.status ?? 'missing'})`,
        { retryable: false },
      );
    }
    return { dealId: record.id, created: record.new };
  }

  /** Creates HubSpot's default (unlabeled) deal-contact association. Repeating it is harmless. */
  private async associateDealWithContact(dealId: string, contactId: string): Promise<void> {
    await this.http.send({
      operation: 'deal association',
      method: 'PUT',
      path: `/crm/v4/objects/deals/${dealId}/associations/default/contacts/${contactId}`,
    });
  }
}

function recordId(body: Record<string, unknown>): string {
  if (typeof body.id === 'string' && body.id !== '') return body.id;
  throw new ProviderError(
    'hubspot',
    'PROVIDER_RESPONSE_INVALID',
    'HubSpot returned a record without an id',
    {
      retryable: false,
    },
  );
}
