import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { FraudDecision, RiskAssessment } from '../domain/risk-decision.js';
import type { VelocityDimension } from '../domain/velocity.js';

export interface RiskAssessmentRow {
  order_id: string;
  customer_id: string;
  decision: FraudDecision;
  /** PostgreSQL numeric columns arrive as strings. */
  score: string;
  provider_score: string | null;
  local_score: string;
  reasons: string[];
  assessed_at: Date;
}

export interface OpenReviewRow {
  order_id: string;
  score: string;
  reasons: string[];
  queued_at: Date;
}

export async function findAssessment(
  db: Knex | Knex.Transaction,
  orderId: string,
): Promise<RiskAssessmentRow | undefined> {
  return (await db('risk_assessments').where({ order_id: orderId }).first()) as
    RiskAssessmentRow | undefined;
}

/** Inserts the assessment and, for a `review` decision, opens a review queue entry. */
export async function saveAssessment(
  trx: Knex.Transaction,
  orderId: string,
  customerId: string,
  assessment: RiskAssessment,
): Promise<void> {
  await trx('risk_assessments').insert({
    order_id: orderId,
    customer_id: customerId,
    decision: assessment.decision,
    score: assessment.score,
    provider_score: assessment.providerScore ?? null,
    local_score: assessment.localScore,
    reasons: JSON.stringify(assessment.reasons),
  });
  if (assessment.decision === 'review') {
    await trx('review_queue').insert({ order_id: orderId, status: 'open' });
  }
}

/**
 * Counts one more order for `subject` in the window starting at `windowStart` and returns the
 * window's count including it. The upsert is atomic, so concurrent orders never lose a count.
 */
export async function countOrderInWindow(
  trx: Knex.Transaction,
  counter: {
    dimension: VelocityDimension;
    subject: string;
    windowStart: Date;
    windowSeconds: number;
  },
): Promise<number> {
  const rows = (await trx('velocity_counters')
    .insert({
      dimension: counter.dimension,
      subject_key: subjectKey(counter.dimension, counter.subject),
      window_start: counter.windowStart,
      window_seconds: counter.windowSeconds,
      order_count: 1,
    })
    .onConflict(['dimension', 'subject_key', 'window_start'])
    .merge({
      order_count: trx.raw('velocity_counters.order_count + 1'),
      updated_at: trx.fn.now(),
    })
    .returning('order_count')) as Array<{ order_count: number }>;
  const count = rows[0]?.order_count;
  if (count === undefined) throw new Error('velocity counter upsert returned no row');
  return count;
}

/** Open review queue entries, oldest first. */
export async function listOpenReviews(db: Knex, limit: number): Promise<OpenReviewRow[]> {
  return (await db('review_queue as q')
    .join('risk_assessments as a', 'a.order_id', 'q.order_id')
    .where('q.status', 'open')
    .orderBy('q.queued_at')
    .orderBy('q.id')
    .limit(limit)
    .select('q.order_id', 'a.score', 'a.reasons', 'q.queued_at')) as OpenReviewRow[];
}

/** Customer ids are kept as they are; IP addresses are hashed because only equality matters. */
function subjectKey(dimension: VelocityDimension, subject: string): string {
  if (dimension === 'customer') return subject;
  return createHash('sha256').update(subject).digest('hex');
}
