import type { Knex } from 'knex';
import type { OrderFacts } from '../domain/order-status.js';

export interface OrderRow {
  order_id: string;
  intake: 'api' | 'kafka';
  customer_id: string | null;
  currency: string | null;
  subtotal_minor: string | null;
  request_hash: string | null;
  rejection_reason: string | null;
  address_rejected: boolean;
  freight_required: boolean;
  fraud_decision: OrderFacts['fraudDecision'];
  payment_state: OrderFacts['paymentState'];
  amount_minor: string | null;
  customer_message: string | null;
  label_created: boolean;
  tracking_code: string | null;
  crm_synced: boolean;
  notified_templates: string[];
  created_at: Date;
}

export interface TimelineRow {
  event_type: string;
  occurred_at: Date;
  summary: string;
}

/** Columns of the read model that one event may set. */
export type OrderPatch = Partial<Omit<OrderRow, 'order_id' | 'notified_templates' | 'created_at'>>;

/**
 * Applies an event's patch to the order's row, creating the row when this event arrived before
 * `order.created` was projected, and adds the timeline entry. A template is appended to
 * `notified_templates` once.
 */
export async function projectEvent(
  trx: Knex.Transaction,
  entry: {
    orderId: string;
    eventId: string;
    eventType: string;
    occurredAt: string;
    summary: string;
  },
  patch: OrderPatch,
  notifiedTemplate?: string,
): Promise<void> {
  const values: Record<string, unknown> = { ...patch, updated_at: trx.fn.now() };
  if (notifiedTemplate) {
    values.notified_templates = trx.raw(
      `CASE WHEN ? = ANY(orders.notified_templates) THEN orders.notified_templates ELSE array_append(orders.notified_templates, ?) END`,
      [notifiedTemplate, notifiedTemplate],
    );
  }
  await trx('orders')
    .insert({
      order_id: entry.orderId,
      ...patch,
      ...(notifiedTemplate ? { notified_templates: [notifiedTemplate] } : {}),
    })
    .onConflict('order_id')
    .merge(values);
  await trx('order_timeline')
    .insert({
      order_id: entry.orderId,
      event_id: entry.eventId,
      event_type: entry.eventType,
      occurred_at: entry.occurredAt,
      summary: entry.summary,
    })
    .onConflict('event_id')
    .ignore();
}

export async function findOrder(db: Knex, orderId: string): Promise<OrderRow | undefined> {
  return (await db('orders').where({ order_id: orderId }).first()) as OrderRow | undefined;
}

export async function findTimeline(db: Knex, orderId: string): Promise<TimelineRow[]> {
  return (await findTimelines(db, [orderId])).get(orderId) ?? [];
}

export async function findOrders(db: Knex, orderIds: readonly string[]): Promise<OrderRow[]> {
  return (await db('orders').whereIn('order_id', orderIds)) as OrderRow[];
}

/** Timelines of several orders, read in one query and keyed by order id. */
export async function findTimelines(
  db: Knex,
  orderIds: readonly string[],
): Promise<Map<string, TimelineRow[]>> {
  const rows = (await db('order_timeline')
    .select('order_id', 'event_type', 'occurred_at', 'summary')
    .whereIn('order_id', orderIds)
    .orderBy([{ column: 'occurred_at' }, { column: 'id' }])) as Array<
    TimelineRow & { order_id: string }
  >;
  const byOrder = new Map<string, TimelineRow[]>();
  for (const row of rows) {
    const list = byOrder.get(row.order_id) ?? [];
    list.push({ event_type: row.event_type, occurred_at: row.occurred_at, summary: row.summary });
    byOrder.set(row.order_id, list);
  }
  return byOrder;
}
