import type { Knex } from 'knex';
import {
  findOrder,
  findOrders,
  findTimeline,
  findTimelines,
  type OrderRow,
  type TimelineRow,
} from '../adapters/order-repository.js';
import {
  deriveStatus,
  isSettled,
  type OrderFacts,
  type OrderStatus,
} from '../domain/order-status.js';

export interface OrderView {
  orderId: string;
  status: OrderStatus;
  /** True once the outcome is final and the customer was notified. */
  settled: boolean;
  intake: string;
  customerMessage: string | null;
  rejectionReason: string | null;
  amountMinor: number | null;
  currency: string | null;
  fulfilment: {
    labelCreated: boolean;
    trackingCode: string | null;
    crmSynced: boolean;
    notifiedTemplates: string[];
  };
  /** Milliseconds from `order.created` to the first event of each type. */
  stageTimesMs: Record<string, number>;
  timeline: Array<{ type: string; at: string; summary: string }>;
}

function factsOf(row: OrderRow): OrderFacts {
  return {
    rejected: row.rejection_reason !== null,
    addressRejected: row.address_rejected,
    freightRequired: row.freight_required,
    fraudDecision: row.fraud_decision,
    paymentState: row.payment_state,
    labelCreated: row.label_created,
    notifiedTemplates: row.notified_templates,
  };
}

/** Builds the order's status and timeline from the read model; undefined when unknown. */
export async function loadOrderView(db: Knex, orderId: string): Promise<OrderView | undefined> {
  const row = await findOrder(db, orderId);
  if (!row) return undefined;
  return toView(row, await findTimeline(db, orderId));
}

/** Builds the views of several orders with two queries; unknown ids are left out. */
export async function loadOrderViews(db: Knex, orderIds: readonly string[]): Promise<OrderView[]> {
  const [rows, timelines] = await Promise.all([
    findOrders(db, orderIds),
    findTimelines(db, orderIds),
  ]);
  return rows.map((row) => toView(row, timelines.get(row.order_id) ?? []));
}

function toView(row: OrderRow, timeline: TimelineRow[]): OrderView {
  const facts = factsOf(row);
  const status = deriveStatus(facts);
  const created = timeline.find((entry) => entry.event_type === 'order.created');
  const stageTimesMs: Record<string, number> = {};
  if (created) {
    for (const entry of timeline) {
      if (entry.event_type in stageTimesMs) continue;
      stageTimesMs[entry.event_type] = entry.occurred_at.getTime() - created.occurred_at.getTime();
    }
  }
  return {
    orderId: row.order_id,
    status,
    settled: isSettled(status, facts),
    intake: row.intake,
    customerMessage: row.customer_message,
    rejectionReason: row.rejection_reason,
    amountMinor: row.amount_minor === null ? null : Number(row.amount_minor),
    currency: row.currency,
    fulfilment: {
      labelCreated: row.label_created,
      trackingCode: row.tracking_code,
      crmSynced: row.crm_synced,
      notifiedTemplates: row.notified_templates,
    },
    stageTimesMs,
    timeline: timeline.map((entry) => ({
      type: entry.event_type,
      at: entry.occurred_at.toISOString(),
      summary: entry.summary,
    })),
  };
}
