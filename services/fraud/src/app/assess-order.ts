import type { CheckoutOrder } from '@orderflow/contracts';
import type { HandlerContext } from '@orderflow/messaging';
import { ProviderError } from '@orderflow/service-kit';
import {
  countOrderInWindow,
  findAssessment,
  saveAssessment,
} from '../adapters/fraud-repository.js';
import type { ProviderScore, RiskScorer } from '../domain/fraud-ports.js';
import { assessRisk } from '../domain/risk-decision.js';
import { evaluateLocalRules, type LocalRiskFacts } from '../domain/risk-rules.js';
import {
  VELOCITY_LIMITS,
  velocityWindowStart,
  type VelocityDimension,
} from '../domain/velocity.js';

/**
 * Assesses a new order: counts it for the velocity rules, scores it with the provider and the
 * local rules, stores the assessment (and a review queue entry for `review`) and emits
 * `fraud.assessed`. An order that already has an assessment is skipped, so a second
 * `order.created` for the same order neither counts twice nor emits a second decision.
 */
export async function assessOrder(
  order: CheckoutOrder,
  scorer: RiskScorer,
  ctx: HandlerContext,
): Promise<void> {
  if (await findAssessment(ctx.trx, order.orderId)) {
    ctx.log.info('order already assessed, skipped');
    return;
  }
  const facts = await collectLocalFacts(order, ctx);
  const local = evaluateLocalRules(facts);
  const provider = await scoreWithProvider(order, scorer, ctx);
  const assessment = assessRisk(local, provider);

  await saveAssessment(ctx.trx, order.orderId, order.customer.id, assessment);
  await ctx.publish({
    type: 'fraud.assessed',
    subject: order.orderId,
    data: {
      orderId: order.orderId,
      decision: assessment.decision,
      score: assessment.score,
      reasons: assessment.reasons,
      ...(assessment.providerScore === undefined
        ? {}
        : { providerScore: assessment.providerScore }),
    },
  });
  ctx.log.info(
    {
      decision: assessment.decision,
      score: assessment.score,
      providerScore: assessment.providerScore,
      localScore: assessment.localScore,
      firedRules: local.fired.map((fired) => fired.rule),
    },
    'order assessed',
  );
}

async function collectLocalFacts(
  order: CheckoutOrder,
  ctx: HandlerContext,
): Promise<LocalRiskFacts> {
  const placedAt = new Date(order.placedAt);
  const clientIp = order.client?.ip;
  const ordersByCustomerInWindow = await countOrder(ctx, 'customer', order.customer.id, placedAt);
  const ordersByIpInWindow = clientIp ? await countOrder(ctx, 'ip', clientIp, placedAt) : undefined;
  return {
    email: order.customer.email,
    clientIp,
    billingCountry: order.payment.billingCountry,
    shippingCountry: order.shipTo.country,
    amountMinor: order.totals.subtotalMinor,
    currency: order.currency,
    ordersByCustomerInWindow,
    ordersByIpInWindow,
  };
}

function countOrder(
  ctx: HandlerContext,
  dimension: VelocityDimension,
  subject: string,
  placedAt: Date,
): Promise<number> {
  const { windowSeconds } = VELOCITY_LIMITS[dimension];
  return countOrderInWindow(ctx.trx, {
    dimension,
    subject,
    windowSeconds,
    windowStart: velocityWindowStart(placedAt, windowSeconds),
  });
}

/**
 * Scores the order with the provider and returns undefined when the provider failed. A
 * ProviderError here means that the adapter's policy already retried or that the circuit is
 * open. Payment cannot start without a decision, so the local rules then decide alone instead
 * of the message being retried. Any other error is a fault and is thrown.
 */
async function scoreWithProvider(
  order: CheckoutOrder,
  scorer: RiskScorer,
  ctx: HandlerContext,
): Promise<ProviderScore | undefined> {
  try {
    return await scorer.scoreOrder({
      orderId: order.orderId,
      userId: order.customer.id,
      email: order.customer.email,
      amountMinor: order.totals.subtotalMinor,
      currency: order.currency,
      shippingAddress: order.shipTo,
      ...(order.client?.ip ? { ip: order.client.ip } : {}),
      ...(order.payment.billingCountry ? { billingCountry: order.payment.billingCountry } : {}),
    });
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    ctx.log.warn(
      { err: error, code: error.code, retryable: error.retryable },
      'risk provider failed, deciding on local rules',
    );
    return undefined;
  }
}
