import type { FastifyInstance } from 'fastify';
import { parameterError } from './errors.js';
import { finishAuthentication, getPaymentIntent } from './payment-intents.js';
import type { StripeRequest } from './request-handling.js';
import type { StripeState } from './state.js';

const OUTCOMES = ['complete', 'fail'] as const;

function renderPage(intentId: string): string {
  const action = `/_sandbox/stripe/3ds/${encodeURIComponent(intentId)}`;
  const button = (outcome: string, label: string): string =>
    `<form method="post" action="${action}"><input type="hidden" name="outcome" value="${outcome}">` +
    `<button type="submit">${label}</button></form>`;
  return (
    '<!doctype html><html><head><title>3-D Secure test page</title></head><body>' +
    `<h1>3-D Secure test payment</h1><p>PaymentIntent ${intentId}</p>` +
    button('complete', 'Complete authentication') +
    button('fail', 'Fail authentication') +
    '</body></html>'
  );
}

/**
 * Registers the page that replaces the bank's 3-D Secure challenge, which `next_action` links to
 * as `GET /_sandbox/stripe/3ds/:id`. `POST` with `outcome=complete|fail` finishes the challenge.
 * It then redirects to the intent's `return_url` when it has one, else returns the intent as JSON.
 */
export function registerThreeDSecurePage(scope: FastifyInstance, state: StripeState): void {
  scope.get('/_sandbox/stripe/3ds/:id', async (request: StripeRequest, reply) => {
    const intent = getPaymentIntent(state, request.params.id ?? '');
    return reply.type('text/html').send(renderPage(intent.id));
  });

  scope.post('/_sandbox/stripe/3ds/:id', async (request: StripeRequest, reply) => {
    const intent = getPaymentIntent(state, request.params.id ?? '');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const outcome = OUTCOMES.find((candidate) => candidate === body.outcome);
    if (!outcome) {
      throw parameterError(
        'outcome',
        `outcome must be complete or fail, not ${String(body.outcome)}.`,
      );
    }

    const returnUrl =
      intent.next_action?.type === 'redirect_to_url'
        ? intent.next_action.redirect_to_url.return_url
        : undefined;
    finishAuthentication(state, intent, outcome);
    if (!returnUrl) return intent;

    const target = new URL(returnUrl);
    target.searchParams.set('payment_intent', intent.id);
    target.searchParams.set('payment_intent_client_secret', intent.client_secret);
    target.searchParams.set('redirect_status', outcome === 'complete' ? 'succeeded' : 'failed');
    return reply.redirect(target.toString(), 303);
  });
}
