import type { Knex } from 'knex';
import type { CrmConflict } from '../domain/crm-ports.js';
import type { CustomerSnapshot } from '../domain/field-mappings.js';

export interface SyncStateRow {
  order_id: string;
  customer_id: string;
  provider: string;
  contact_id: string;
  deal_id: string;
  contact_created: boolean;
  deal_created: boolean;
  synced_at: Date;
}

export interface ConflictLogRow {
  id: string;
  order_id: string;
  provider: string;
  object_type: string;
  object_id: string;
  differences: { property: string; existingValue: string; incomingValue: string }[];
  resolution: string;
  detected_at: Date;
}

/** Resolution of every logged conflict: the existing record is kept and updated. */
export const CONFLICT_RESOLUTION = 'updated_existing' as const;

/** Stores the customer of an order. A redelivered `order.created` changes nothing. */
export async function saveCustomerSnapshot(
  trx: Knex.Transaction,
  snapshot: CustomerSnapshot,
): Promise<void> {
  await trx('customer_snapshots')
    .insert({
      order_id: snapshot.orderId,
      customer_id: snapshot.customerId,
      email: snapshot.email,
      phone: snapshot.phone,
      segment: snapshot.segment,
    })
    .onConflict('order_id')
    .ignore();
}

export async function findCustomerSnapshot(
  db: Knex | Knex.Transaction,
  orderId: string,
): Promise<CustomerSnapshot | undefined> {
  const row = (await db('customer_snapshots').where({ order_id: orderId }).first()) as
    | {
        order_id: string;
        customer_id: string;
        email: string;
        phone: string | null;
        segment: string | null;
      }
    | undefined;
  if (!row) return undefined;
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    email: row.email,
    phone: row.phone,
    segment: row.segment,
  };
}

export async function findSyncState(
  db: Knex | Knex.Transaction,
  orderId: string,
): Promise<SyncStateRow | undefined> {
  return (await db('sync_state').where({ order_id: orderId }).first()) as SyncStateRow | undefined;
}

/** Records that an order is mirrored in the CRM. The order id is the primary key. */
export async function saveSyncState(
  trx: Knex.Transaction,
  state: {
    orderId: string;
    customerId: string;
    provider: string;
    contactId: string;
    dealId: string;
    contactCreated: boolean;
    dealCreated: boolean;
  },
): Promise<void> {
  await trx('sync_state').insert({
    order_id: state.orderId,
    customer_id: state.customerId,
    provider: state.provider,
    contact_id: state.contactId,
    deal_id: state.dealId,
    contact_created: state.contactCreated,
    deal_created: state.dealCreated,
  });
}

export async function recordConflict(
  trx: Knex.Transaction,
  orderId: string,
  provider: string,
  conflict: CrmConflict,
): Promise<void> {
  await trx('conflict_log').insert({
    order_id: orderId,
    provider,
    object_type: conflict.objectType,
    object_id: conflict.existingId,
    differences: JSON.stringify(conflict.differences),
    resolution: CONFLICT_RESOLUTION,
  });
}

/** Lists the conflicts met while syncing an order, oldest first. */
export async function listConflicts(db: Knex, orderId: string): Promise<ConflictLogRow[]> {
  return (await db('conflict_log')
    .where({ order_id: orderId })
    .orderBy('id', 'asc')) as ConflictLogRow[];
}
