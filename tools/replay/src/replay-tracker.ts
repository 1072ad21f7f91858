import { runOrderId } from './checkout-conversion.js';
import type { GatewayOrderView } from './gateway-client.js';
import { matchesExpected, outcomeOf } from './outcome.js';
import type { ProgressSnapshot } from './progress-reporter.js';
import type { NumberedReplayOrder } from './replay-order.js';
import { CARD_REJECTED_STATUS, UNKNOWN_STATUS, type OrderResult } from './replay-summary.js';

/** Status shown in progress for a sent order that the gateway does not return yet. */
const PENDING_STATUS = 'pending';

interface TrackedOrder {
  entry: NumberedReplayOrder;
  orderId: string;
  createdAt?: Date;
  view?: GatewayOrderView;
  cardRejection?: { customerMessage: string };
}

/** State of every order of one run: sent or not, and the latest gateway view of each. */
export class ReplayTracker {
  private readonly orders: TrackedOrder[];
  private readonly byId = new Map<string, TrackedOrder>();
  private sentCount = 0;

  constructor(entries: readonly NumberedReplayOrder[], runId: string) {
    this.orders = entries.map((entry) => ({
      entry,
      orderId: runOrderId(entry.order.orderId, runId),
    }));
    for (const order of this.orders) this.byId.set(order.orderId, order);
  }

  /** Records that the orders were published with `order.created` stamped `createdAt`. */
  markSent(orderIds: readonly string[], createdAt: Date): void {
    for (const orderId of orderIds) {
      const order = this.require(orderId);
      order.createdAt = createdAt;
      this.sentCount += 1;
    }
  }

  /**
   * Records that the payment provider rejected the order's card, so the storefront showed the
   * customer the provider's message and never submitted the order. It counts as settled.
   */
  markCardRejected(orderId: string, customerMessage: string): void {
    this.require(orderId).cardRejection = { customerMessage };
    this.sentCount += 1;
  }

  /** Stores the latest gateway views; views of orders this run did not send are ignored. */
  update(views: readonly GatewayOrderView[]): void {
    for (const view of views) {
      const order = this.byId.get(view.orderId);
      if (order) order.view = view;
    }
  }

  /** Ids of sent orders that are not settled yet, in input order. */
  unsettledSentIds(): string[] {
    return this.orders
      .filter((order) => order.createdAt !== undefined && order.view?.settled !== true)
      .map((order) => order.orderId);
  }

  /** Tells whether every order was sent (or rejected by the provider) and has settled. */
  allSettled(): boolean {
    return this.orders.every((order) => order.cardRejection !== undefined || order.view?.settled);
  }

  /** Counts for the progress line. */
  snapshot(elapsedMs: number): ProgressSnapshot {
    const byStatus: Record<string, number> = {};
    let settled = 0;
    for (const order of this.orders) {
      if (order.cardRejection) {
        byStatus[CARD_REJECTED_STATUS] = (byStatus[CARD_REJECTED_STATUS] ?? 0) + 1;
        settled += 1;
        continue;
      }
      if (!order.createdAt) continue;
      const status = order.view?.status ?? PENDING_STATUS;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (order.view?.settled) settled += 1;
    }
    return { total: this.orders.length, sent: this.sentCount, settled, byStatus, elapsedMs };
  }

  /** Final state of each order, in input order. */
  results(): OrderResult[] {
    return this.orders.map((order) => this.resultOf(order));
  }

  private resultOf(order: TrackedOrder): OrderResult {
    const { entry } = order;
    const common = {
      lineNumber: entry.lineNumber,
      sourceOrderId: entry.order.orderId,
      orderId: order.orderId,
      expected: entry.order.expected,
    };
    if (order.cardRejection) {
      // The storefront shows the provider's message and nothing reaches the platform, which is
      // the outcome a declined card has.
      return {
        ...common,
        status: CARD_REJECTED_STATUS,
        settled: true,
        outcome: 'declined',
        matched: matchesExpected(entry.order.expected, 'declined'),
        createdAt: null,
        stageTimesMs: {},
        customerMessage: order.cardRejection.customerMessage,
        rejectionReason: null,
      };
    }
    const view = order.view;
    const status = view?.status ?? UNKNOWN_STATUS;
    const settled = view?.settled ?? false;
    const outcome = outcomeOf(status, settled);
    return {
      ...common,
      status,
      settled,
      outcome,
      matched: matchesExpected(entry.order.expected, outcome),
      createdAt: order.createdAt?.toISOString() ?? null,
      stageTimesMs: view?.stageTimesMs ?? {},
      customerMessage: view?.customerMessage ?? null,
      rejectionReason: view?.rejectionReason ?? null,
    };
  }

  private require(orderId: string): TrackedOrder {
    const order = this.byId.get(orderId);
    if (!order) throw new Error(`Internal error: order ${orderId} is not part of this replay run`);
    return order;
  }
}
