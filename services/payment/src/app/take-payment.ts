import type { HandlerContext } from '@orderflow/messaging';
import {
  checksOf,
  recordAttempt,
  saveState,
  type PaymentRow,
} from '../adapters/payment-repository.js';
import { ProviderError } from '@orderflow/service-kit';
import type { AuthorizeRequest, AuthorizeResult, PaymentGateway } from '../domain/payment-ports.js';
import {
  HOLD_STATES,
  decideNextStep,
  idempotencyKey,
  transition,
} from '../domain/payment-state.js';

export const REJECTED_PAYMENT_MESSAGE =
  'We could not use the payment details you gave us. Please check them or choose another payment method; nothing has been charged.';

export const AUTHENTICATION_MESSAGE =
  'Your bank asks you to confirm this payment. Open the link in our email to finish checkout; nothing has been charged yet.';

/**
 * Moves an order's payment forward once its checks allow it: puts the order on hold, or authorizes
 * and captures the total (subtotal plus tax) and emits the matching events. A held order moves
 * to a higher-ranked hold when a later check calls for one, such as a freight hold after a block.
 * Runs inside the handler's transaction with the payment row locked. Provider faults are thrown,
 * which rolls the transaction back; the retry reuses the same idempotency keys, so it cannot
 * charge twice.
 */
export async function advancePayment(
  row: PaymentRow,
  gateway: PaymentGateway,
  ctx: HandlerContext,
): Promise<void> {
  const isHeld = HOLD_STATES.has(row.state);
  if (row.state !== 'awaiting_checks' && !isHeld) return;
  const step = decideNextStep(checksOf(row));
  if (step.kind === 'hold') {
    if (step.state === row.state) return;
    await saveState(ctx.trx, row.order_id, transition(row.state, step.state));
    ctx.log.info({ state: step.state, previousState: row.state }, 'payment held');
    return;
  }
  // A held order never reaches authorization: every hold state comes from a check result
  // that decideNextStep still reports as a hold.
  if (step.kind === 'wait' || isHeld) return;
  await authorizeAndCapture(row, gateway, ctx);
}

/**
 * Authorizes, turning a final provider rejection (an unknown or unusable payment method, say)
 * into a decline that the customer is notified of. Retryable faults are rethrown unchanged.
 */
async function authorizeOrDecline(
  gateway: PaymentGateway,
  request: AuthorizeRequest,
): Promise<AuthorizeResult> {
  try {
    return await gateway.authorize(request);
  } catch (error) {
    if (!(error instanceof ProviderError) || error.retryable) throw error;
    return { outcome: 'declined', code: error.code, customerMessage: REJECTED_PAYMENT_MESSAGE };
  }
}

async function authorizeAndCapture(
  row: PaymentRow,
  gateway: PaymentGateway,
  ctx: HandlerContext,
): Promise<void> {
  const orderId = row.order_id;
  const currency = row.currency!;
  const amountMinor = Number(row.subtotal_minor) + Number(row.tax_minor);
  const authorizeKey = idempotencyKey(orderId, 'authorize', amountMinor);
  const authorization = await authorizeOrDecline(gateway, {
    orderId,
    amountMinor,
    currency,
    paymentMethodId: row.payment_method_id!,
    idempotencyKey: authorizeKey,
  });
  await recordAttempt(ctx.trx, {
    orderId,
    operation: 'authorize',
    idempotencyKey: authorizeKey,
    amountMinor,
    outcome: authorization.outcome,
    paymentIntentId: authorization.paymentIntentId,
  });

  if (authorization.outcome === 'requires_action') {
    await saveState(ctx.trx, orderId, transition(row.state, 'authentication_required'), {
      amount_minor: amountMinor,
      payment_intent_id: authorization.paymentIntentId,
    });
    await ctx.publish({
      type: 'payment.authentication_required',
      subject: orderId,
      data: {
        orderId,
        paymentIntentId: authorization.paymentIntentId,
        amountMinor,
        currency,
        customerMessage: AUTHENTICATION_MESSAGE,
        ...(authorization.nextActionUrl ? { nextActionUrl: authorization.nextActionUrl } : {}),
      },
    });
    ctx.log.info({ amountMinor }, 'payment needs authentication');
    return;
  }
  if (authorization.outcome === 'declined') {
    await saveState(ctx.trx, orderId, transition(row.state, 'failed'), {
      amount_minor: amountMinor,
      payment_intent_id: authorization.paymentIntentId ?? null,
      failure_code: authorization.code,
      decline_code: authorization.declineCode ?? null,
      customer_message: authorization.customerMessage,
    });
    await ctx.publish({
      type: 'payment.failed',
      subject: orderId,
      data: {
        orderId,
        stage: 'authorize',
        code: authorization.code,
        customerMessage: authorization.customerMessage,
        amountMinor,
        currency,
        ...(authorization.paymentIntentId
          ? { paymentIntentId: authorization.paymentIntentId }
          : {}),
        ...(authorization.declineCode ? { declineCode: authorization.declineCode } : {}),
      },
    });
    ctx.log.info(
      { code: authorization.code, declineCode: authorization.declineCode },
      'payment declined',
    );
    return;
  }

  const paymentIntentId = authorization.paymentIntentId;
  await saveState(ctx.trx, orderId, transition(row.state, 'authorized'), {
    amount_minor: amountMinor,
    payment_intent_id: paymentIntentId,
  });
  await ctx.publish({
    type: 'payment.authorized',
    subject: orderId,
    data: { orderId, paymentIntentId, amountMinor, currency },
  });

  const captureKey = idempotencyKey(orderId, 'capture', amountMinor);
  const capture = await gateway.capture({
    paymentIntentId,
    amountMinor,
    idempotencyKey: captureKey,
  });
  await recordAttempt(ctx.trx, {
    orderId,
    operation: 'capture',
    idempotencyKey: captureKey,
    amountMinor,
    outcome: capture.outcome,
    paymentIntentId,
  });
  if (capture.outcome === 'declined') {
    await saveState(ctx.trx, orderId, transition('authorized', 'failed'), {
      failure_code: capture.code,
      customer_message: capture.customerMessage,
    });
    await ctx.publish({
      type: 'payment.failed',
      subject: orderId,
      data: {
        orderId,
        paymentIntentId,
        stage: 'capture',
        code: capture.code,
        customerMessage: capture.customerMessage,
        amountMinor,
        currency,
      },
    });
    ctx.log.warn({ code: capture.code }, 'payment capture failed');
    return;
  }
  await saveState(ctx.trx, orderId, transition('authorized', 'captured'));
  await ctx.publish({
    type: 'payment.captured',
    subject: orderId,
    data: { orderId, paymentIntentId, amountMinor, currency, capturedAt: new Date().toISOString() },
  });
  ctx.log.info({ amountMinor }, 'payment captured');
}
