import { randomBytes } from 'node:crypto';
import type { PaymentAbuseScore } from './payment-abuse-score.js';
import { SIFT_STATUS } from './sift-event.js';

/**
 * Decisions that the sandbox's one workflow applies, from the highest minimum score down. A
 * real Sift account configures its own workflows in the console.
 */
export const SANDBOX_WORKFLOW_DECISIONS = [
  { minScore: 0.9, decisionId: 'order_looks_bad_payment_abuse', name: 'Block order' },
  { minScore: 0.6, decisionId: 'order_needs_review_payment_abuse', name: 'Review order' },
  { minScore: 0, decisionId: 'order_looks_ok_payment_abuse', name: 'Order looks OK' },
] as const;

/** Builds the body of a Sift error response. */
export function siftErrorBody(status: number, message: string, request?: string) {
  return { status, error_message: message, time: unixSeconds(), request: request ?? '' };
}

/** Returns the HTTP status for a Sift status code: 429 when rate limited, 5xx for server errors, else 400. */
export function httpStatusFor(siftStatus: number): number {
  if (siftStatus === SIFT_STATUS.rateLimited) return 429;
  if (siftStatus === SIFT_STATUS.serviceOverloaded) return 503;
  if (siftStatus < 0) return 500;
  return 400;
}

/** Builds the error body for a status code injected through the sandbox fault routes. */
export function siftFaultBody(httpStatus: number) {
  if (httpStatus === 429) return siftErrorBody(SIFT_STATUS.rateLimited, 'Rate limited');
  if (httpStatus === 503) return siftErrorBody(SIFT_STATUS.serviceOverloaded, 'Service overloaded');
  if (httpStatus >= 500) return siftErrorBody(SIFT_STATUS.serverError, 'Server error');
  if (httpStatus === 401 || httpStatus === 403) {
    return siftErrorBody(SIFT_STATUS.invalidApiKey, 'Invalid API key');
  }
  return siftErrorBody(SIFT_STATUS.invalidHttpBody, 'Invalid HTTP body');
}

/** Builds the `score_response` object of an event response, which is also the body of the score routes. */
export function scoreResponse(userId: string, paymentAbuse: PaymentAbuseScore | undefined) {
  return {
    status: SIFT_STATUS.ok,
    error_message: 'OK',
    user_id: userId,
    scores: paymentAbuse ? { payment_abuse: paymentAbuse } : {},
    latest_labels: {},
  };
}

/** Builds the `workflow_statuses` entry of the sandbox's workflow for one scored order. */
export function workflowStatus(orderId: string | undefined, score: number) {
  const decision =
    SANDBOX_WORKFLOW_DECISIONS.find((candidate) => score >= candidate.minScore) ??
    SANDBOX_WORKFLOW_DECISIONS[2];
  return {
    id: randomBytes(8).toString('hex'),
    config: { id: 'sandbox_order_workflow', version: '1' },
    config_display_name: 'Sandbox order workflow',
    abuse_types: ['payment_abuse'],
    state: 'finished',
    entity: { id: orderId ?? '', type: 'order' },
    history: [
      {
        app: 'decision',
        name: decision.name,
        state: 'finished',
        config: { decision_id: decision.decisionId },
      },
    ],
  };
}

/** Returns the current time in Unix seconds, the unit of Sift's `time` fields. */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
