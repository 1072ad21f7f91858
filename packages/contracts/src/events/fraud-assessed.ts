import { z } from 'zod';
import { orderId } from './common.js';

export const FRAUD_DECISIONS = ['approve', 'review', 'block'] as const;

/** Risk decision for an order: the provider score combined with local rules. */
export const fraudAssessedV1 = z.object({
  orderId,
  decision: z.enum(FRAUD_DECISIONS),
  /** Combined risk from 0 (safe) to 1 (certain fraud). */
  score: z.number().min(0).max(1),
  providerScore: z.number().min(0).max(1).optional(),
  reasons: z.array(z.string()),
});
