import {
  createProviderPolicy,
  PROVIDER_POLICY_PRESETS,
  ProviderError,
  type Logger,
  type ProviderPolicyOptions,
} from '@orderflow/service-kit';
import { propertyDifferences } from '../domain/crm-conflicts.js';
import type { ContactSyncResult, CrmGateway, DealSyncResult } from '../domain/crm-ports.js';
import {
  CAPTURED_DEAL_STAGE,
  CONTACT_PROPERTY_MAPPINGS,
  contactProperties,
  type CustomerSnapshot,
  type DealInput,
} from '../domain/field-mappings.js';
import { HubSpotClient } from './providers/hubspot/hubspot-client.js';
import { HubSpotHttp } from './providers/hubspot/hubspot-http.js';

export interface HubSpotGatewayConfig {
  accessToken: string;
  /** The sandbox's URL, or `https://api.hubapi.com` for live. */
  baseUrl: string;
  /** Policy limits, PROVIDER_POLICY_PRESETS.standard unless set. */
  policy?: ProviderPolicyOptions;
}

const CONTACT_PROPERTIES = Object.values(CONTACT_PROPERTY_MAPPINGS);

/**
 * CRM gateway on HubSpot. Deals go through `HubSpotClient.upsertDeal`, but contacts are
 * upserted here. A contact create can fail with 409 when HubSpot's search index has not yet
 * caught up with a contact made moments before. The gateway then re-reads the existing contact
 * and reports the values it overwrote, which the client's `upsertContact` does not return.
 */
export class HubSpotCrmGateway implements CrmGateway {
  readonly provider = 'hubspot';
  private readonly client: HubSpotClient;
  private readonly http: HubSpotHttp;

  constructor(config: HubSpotGatewayConfig, logger: Logger) {
    const policy = config.policy ?? PROVIDER_POLICY_PRESETS.standard;
    this.client = new HubSpotClient({ ...config, policy }, logger);
    this.http = new HubSpotHttp(
      config.baseUrl,
      config.accessToken,
      createProviderPolicy(policy),
      logger.child({ provider: 'hubspot' }),
    );
  }

  async upsertContact(snapshot: CustomerSnapshot): Promise<ContactSyncResult> {
    const properties = contactProperties(snapshot);
    const email = properties[CONTACT_PROPERTY_MAPPINGS.email]!;
    const foundId = await this.findContactId(email);
    if (foundId) {
      await this.updateContact(foundId, properties);
      return { contactId: foundId, created: false };
    }

    const response = await this.http.send({
      operation: 'contact create',
      method: 'POST',
      path: '/crm/v3/objects/contacts',
      body: { properties },
      allowConflict: true,
    });
    if (response.status !== 409) return { contactId: recordId(response.body), created: true };

    const existingId = conflictingId(response.body);
    const existing = await this.readContact(existingId);
    await this.updateContact(existingId, properties);
    return {
      contactId: existingId,
      created: false,
      conflict: {
        objectType: 'contact',
        existingId,
        differences: propertyDifferences(existing, properties),
      },
    };
  }

  async upsertDeal(deal: DealInput): Promise<DealSyncResult> {
    return this.client.upsertDeal({ ...deal, stage: CAPTURED_DEAL_STAGE });
  }

  private async findContactId(email: string): Promise<string | undefined> {
    const response = await this.http.send({
      operation: 'contacts search',
      method: 'POST',
      path: '/crm/v3/objects/contacts/search',
      body: {
        filterGroups: [
          {
            filters: [
              { propertyName: CONTACT_PROPERTY_MAPPINGS.email, operator: 'EQ', value: email },
            ],
          },
        ],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
        limit: 1,
      },
    });
    const results = response.body.results as { id: string }[] | undefined;
    return results?.[0]?.id;
  }

  private async readContact(contactId: string): Promise<Record<string, string | null>> {
    const response = await this.http.send({
      operation: 'contact read',
      method: 'GET',
      path: `/crm/v3/objects/contacts/${contactId}?properties=${CONTACT_PROPERTIES.join(',')}`,
    });
    return (response.body.properties ?? {}) as Record<string, string | null>;
  }

  private async updateContact(
    contactId: string,
    properties: Record<string, string>,
  ): Promise<void> {
    await this.http.send({
      operation: 'contact update',
      method: 'PATCH',
      path: `/crm/v3/objects/contacts/${contactId}`,
      body: { properties },
    });
  }
}

function recordId(body: Record<string, unknown>): string {
  if (typeof body.id === 'string' && body.id !== '') return body.id;
  throw new ProviderError('hubspot', 'PROVIDER_RESPONSE_INVALID', 'HubSpot returned no record id', {
    retryable: false,
  });
}

/**
 * Reads the contact ID from HubSpot's conflict message, such as
 * `Contact already exists. Existing ID: 101`.
 */
function conflictingId(body: Record<string, unknown>): string {
  const match = /Existing ID: (\d+)/.exec(String(body.message ?? ''));
  if (match?.[1]) return match[1];
  throw new ProviderError(
    'hubspot',
    'PROVIDER_RESPONSE_INVALID',
    'HubSpot returned 409 for a contact create without the existing contact ID',
    { retryable: false },
  );
}
