import type { CurrencyCode } from '@orderflow/contracts';
import type { Knex } from 'knex';
import type { FraudDecision } from '../domain/payment-ports.js';
import type { PaymentChecks, PaymentState } from '../domain/payment-state.js';

export interface PaymentRow {
  order_id: string;
  state: PaymentState;
  order_received: boolean;
  currency: CurrencyCode | null;
  subtotal_minor: string | null;
  tax_minor: string | null;
  amount_minor: string | null;
  payment_method_id: string | null;
  fraud_decision: FraudDecision | null;
  address_verified: boolean | null;
  freight_required: boolean;
  payment_intent_id: string | null;
}

export type CheckUpdate = Partial<
  Pick<
    PaymentRow,
    | 'order_received'
    | 'currency'
    | 'payment_method_id'
    | 'fraud_decision'
    | 'address_verified'
    | 'freight_required'
  >
> & { subtotal_minor?: number; tax_minor?: number };

/**
 * Records one check result for an order and returns the payment row locked for update. The
 * lock serializes the handlers of the four topics that feed one order, so only one of them can
 * see every check complete and move the money.
 */
export async function recordCheck(
  trx: Knex.Transaction,
  orderId: string,
  update: CheckUpdate,
): Promise<PaymentRow> {
  await trx('payments')
    .insert({ order_id: orderId, state: 'awaiting_checks', ...update })
    .onConflict('order_id')
    .merge({ ...update, updated_at: trx.fn.now() });
  const row = (await trx('payments').where({ order_id: orderId }).forUpdate().first()) as
    PaymentRow | undefined;
  if (!row) throw new Error(`payment row for order ${orderId} vanished inside its transaction`);
  return row;
}

/** Check results of a row, in the shape the decision rules take. */
export function checksOf(row: PaymentRow): PaymentChecks {
  return {
    orderReceived: row.order_received,
    taxMinor: row.tax_minor === null ? null : Number(row.tax_minor),
    fraudDecision: row.fraud_decision,
    addressVerified: row.address_verified,
    freightRequired: row.freight_required,
  };
}

/** Persists a state change with its history row. */
export async function saveState(
  trx: Knex.Transaction,
  orderId: string,
  change: { from: PaymentState; to: PaymentState },
  fields: Record<string, unknown> = {},
): Promise<void> {
  await trx('payments')
    .where({ order_id: orderId })
    .update({ ...fields, state: change.to, updated_at: trx.fn.now() });
  await trx('payment_state_changes').insert({
    order_id: orderId,
    from_state: change.from,
    to_state: change.to,
  });
}

export async function recordAttempt(
  trx: Knex.Transaction,
  attempt: {
    orderId: string;
    operation: string;
    idempotencyKey: string;
    amountMinor: number;
    outcome: string;
    paymentIntentId?: string | undefined;
  },
): Promise<void> {
  await trx('payment_attempts').insert({
    order_id: attempt.orderId,
    operation: attempt.operation,
    idempotency_key: attempt.idempotencyKey,
    amount_minor: attempt.amountMinor,
    outcome: attempt.outcome,
    payment_intent_id: attempt.paymentIntentId ?? null,
  });
}

export async function findPayment(db: Knex, orderId: string): Promise<PaymentRow | undefined> {
  return (await db('payments').where({ order_id: orderId }).first()) as PaymentRow | undefined;
}
