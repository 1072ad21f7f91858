/**
 * Stripe test mode imitation: payment methods from Stripe's test cards, PaymentIntents with
 * manual capture, 3-D Secure, refunds and idempotency keys, in Stripe's JSON shapes. Requests
 * are form-encoded with bracket notation, as the `stripe` SDK sends them.
 *
 * Sandbox-only routes: `GET|POST /_sandbox/stripe/3ds/:id` plays the bank's 3-D Secure page,
 * and `/_sandbox/stripe/faults` queues failures (see fault-injection.ts).
 */
import type { FastifyInstance } from 'fastify';
import { installFaultInjection } from './fault-injection.js';
import { faultBody, resourceMissing } from './stripe/errors.js';
import { readBoolean, readString } from './stripe/form-params.js';
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  getPaymentIntent,
} from './stripe/payment-intents.js';
import { createPaymentMethod } from './stripe/payment-methods.js';
import { createRefund } from './stripe/refunds.js';
import {
  authenticate,
  installResponseConventions,
  postRoute,
  requestOrigin,
  type StripeRequest,
} from './stripe/request-handling.js';
import { createStripeState, type StripeState } from './stripe/state.js';
import { registerThreeDSecurePage } from './stripe/three-d-secure-page.js';

function registerApiRoutes(scope: FastifyInstance, state: StripeState): void {
  postRoute(scope, state, '/v1/payment_methods', (params) => createPaymentMethod(state, params));
  scope.get('/v1/payment_methods/:id', async (request: StripeRequest) => {
    const id = request.params.id ?? '';
    const stored = state.paymentMethods.get(id);
    if (!stored) throw resourceMissing('payment_method', 'PaymentMethod', id);
    return stored.object;
  });

  postRoute(scope, state, '/v1/payment_intents', (params, request) =>
    createPaymentIntent(state, params, requestOrigin(request)),
  );
  scope.get('/v1/payment_intents/:id', async (request: StripeRequest) =>
    getPaymentIntent(state, request.params.id ?? ''),
  );
  postRoute(scope, state, '/v1/payment_intents/:id/confirm', (params, request) =>
    confirmPaymentIntent(state, getPaymentIntent(state, request.params.id ?? ''), params, {
      offSession: readBoolean(params, 'off_session') ?? false,
      returnUrl: readString(params, 'return_url'),
      origin: requestOrigin(request),
    }),
  );
  postRoute(scope, state, '/v1/payment_intents/:id/capture', (params, request) =>
    capturePaymentIntent(state, getPaymentIntent(state, request.params.id ?? ''), params),
  );
  postRoute(scope, state, '/v1/payment_intents/:id/cancel', (params, request) =>
    cancelPaymentIntent(getPaymentIntent(state, request.params.id ?? ''), params),
  );

  postRoute(scope, state, '/v1/refunds', (params) => createRefund(state, params));
  scope.get('/v1/refunds/:id', async (request: StripeRequest) => {
    const id = request.params.id ?? '';
    const refund = state.refunds.get(id);
    if (!refund) throw resourceMissing('id', 'refund', id);
    return refund;
  });
  scope.get('/v1/charges/:id', async (request: StripeRequest) => {
    const id = request.params.id ?? '';
    const charge = state.charges.get(id);
    if (!charge) throw resourceMissing('id', 'charge', id);
    return charge;
  });
}

/** Registers the Stripe routes on `app`, with state private to this registration. */
export async function registerStripe(app: FastifyInstance): Promise<void> {
  const state = createStripeState();
  await app.register(async (scope) => {
    installResponseConventions(scope);
    installFaultInjection(scope, 'stripe', faultBody);
    scope.addHook('onRequest', authenticate);
    registerApiRoutes(scope, state);
    registerThreeDSecurePage(scope, state);
  });
}
