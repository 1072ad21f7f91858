import type { PropertyDifference } from './crm-conflicts.js';
import type { CustomerSnapshot, DealInput } from './field-mappings.js';

/**
 * A create that failed with 409 because the record already existed, which the gateway
 * resolved by re-reading that record and updating it.
 */
export interface CrmConflict {
  objectType: 'contact';
  existingId: string;
  /** Properties that the existing record had set to other values before the update. */
  differences: PropertyDifference[];
}

export interface ContactSyncResult {
  contactId: string;
  created: boolean;
  conflict?: CrmConflict;
}

export interface DealSyncResult {
  dealId: string;
  created: boolean;
}

/**
 * The CRM as crm-sync uses it. Both calls are upserts, so a retried event updates the records
 * that an earlier attempt created. Faults are thrown as ProviderError.
 */
export interface CrmGateway {
  readonly provider: string;
  upsertContact(snapshot: CustomerSnapshot): Promise<ContactSyncResult>;
  /** Upserts the order's deal at the captured stage and associates it with the contact. */
  upsertDeal(deal: DealInput): Promise<DealSyncResult>;
}
