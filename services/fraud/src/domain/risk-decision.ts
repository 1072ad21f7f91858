import type { FRAUD_DECISIONS } from '@orderflow/contracts';
import { roundScore, type LocalRiskResult } from './risk-rules.js';

export type FraudDecision = (typeof FRAUD_DECISIONS)[number];

/** Combined scores from which an order is blocked or held for manual review. */
export const DECISION_THRESHOLDS = { block: 0.85, review: 0.6 } as const;

/** Reason added when the provider could not score the order. */
export const PROVIDER_UNAVAILABLE_REASON = 'provider unavailable: local rules only';

export interface RiskAssessment {
  decision: FraudDecision;
  /** Combined score from 0 (safe) to 1 (certain fraud). */
  score: number;
  /** Unset when the provider could not score the order. */
  providerScore?: number;
  localScore: number;
  reasons: string[];
}

/**
 * Combines the provider's score with the local rules. The combined score is the higher of the
 * two, not a product of both: the provider already receives the same email, IP and countries, so
 * multiplying would count one signal twice. Either source alone can therefore hold or block an
 * order. Without a provider score the local score decides alone and the reasons say so.
 */
export function assessRisk(
  local: LocalRiskResult,
  provider: { score: number; reasons: string[] } | undefined,
): RiskAssessment {
  const localReasons = local.fired.map((fired) => fired.reason);
  if (!provider) {
    return {
      decision: decide(local.score),
      score: local.score,
      localScore: local.score,
      reasons: [...localReasons, PROVIDER_UNAVAILABLE_REASON],
    };
  }
  const providerScore = roundScore(provider.score);
  const score = Math.max(providerScore, local.score);
  return {
    decision: decide(score),
    score,
    providerScore,
    localScore: local.score,
    reasons: [...localReasons, ...provider.reasons.map((reason) => `provider: ${reason}`)],
  };
}

/** Maps a combined score to a decision with DECISION_THRESHOLDS. */
export function decide(score: number): FraudDecision {
  if (score >= DECISION_THRESHOLDS.block) return 'block';
  if (score >= DECISION_THRESHOLDS.review) return 'review';
  return 'approve';
}
