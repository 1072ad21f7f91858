/**
 * EasyPost imitation: address verification, shipments rated by several carriers, label
 * purchase, orders of several parcels bought together, and trackers, in EasyPost's JSON shapes
 * under `/v2`. The API key is the user name of
 * HTTP Basic authentication, as the `@easypost/api` SDK sends it.
 *
 * Sandbox-only routes under `/_sandbox/easypost/`: `carrier-outages` makes one carrier's label
 * purchases fail, `lost-purchase-responses` makes shipment and order purchases succeed but
 * respond 504,
 * `trackers/:id/advance` moves a parcel one step towards delivery, and `labels/:file` serves
 * label images. `GET shipments?reference=` lists the shipments created, those of orders
 * included, so that tests can count the labels bought for one reference. `faults` queues
 * failures before a request is handled (see fault-injection.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createAddress, isRequested } from './easypost/addresses.js';
import { EasyPostApiError, faultBody, invalidParameter, notFound } from './easypost/errors.js';
import { SERVICES } from './easypost/rates.js';
import { buyShipment, createShipment, getShipment } from './easypost/shipments.js';
import { buyOrder, createOrder, getOrder } from './easypost/orders.js';
import { createEasyPostState, type EasyPostState } from './easypost/state.js';
import { advanceTracker, createTrackerFromParams, getTracker } from './easypost/trackers.js';
import { installFaultInjection } from './fault-injection.js';

type IdRequest = FastifyRequest<{
  Params: { id: string };
  Body: Record<string, unknown> | undefined;
}>;

// A 1x1 transparent PNG: the sandbox prints no real labels.
const PLACEHOLDER_LABEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Rejects a request without an API key, or with a production key (`EZAK...`), with a 401. */
async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.url.startsWith('/_sandbox/')) return;
  const [scheme, credentials = ''] = (request.headers.authorization ?? '').split(' ', 2);
  const key =
    scheme?.toLowerCase() === 'basic'
      ? Buffer.from(credentials, 'base64').toString('utf8').split(':')[0]
      : scheme?.toLowerCase() === 'bearer'
        ? credentials
        : '';
  if (!key) {
    const error = new EasyPostApiError(
      401,
      'APIKEY.REQUIRED',
      'An API key is required. Send it as the user name of HTTP Basic authentication.',
    );
    await reply.code(401).send(error.toBody());
    return;
  }
  if (key.startsWith('EZAK')) {
    const error = new EasyPostApiError(
      401,
      'APIKEY.INACTIVE',
      'The sandbox accepts only test API keys; this is a production key.',
    );
    await reply.code(401).send(error.toBody());
  }
}

function installErrorHandler(scope: FastifyInstance): void {
  scope.setErrorHandler(async (error, request, reply) => {
    if (error instanceof EasyPostApiError) return reply.code(error.statusCode).send(error.toBody());
    const statusCode = (error as { statusCode?: number }).statusCode ?? 500;
    if (statusCode < 500) {
      return reply
        .code(statusCode)
        .send(new EasyPostApiError(statusCode, 'BAD_REQUEST', (error as Error).message).toBody());
    }
    request.log.error({ err: error }, 'easypost sandbox route failed');
    return reply
      .code(500)
      .send(
        new EasyPostApiError(
          500,
          'INTERNAL_SERVER_ERROR',
          'The EasyPost sandbox failed to handle the request.',
        ).toBody(),
      );
  });
}

/** Sends a bought shipment or order, or a 504 while `lost-purchase-responses` are queued. */
async function sendPurchase(
  state: EasyPostState,
  reply: FastifyReply,
  purchase: object,
): Promise<FastifyReply> {
  if (state.lostPurchaseResponses === 0) return reply.send(purchase);
  state.lostPurchaseResponses -= 1;
  const lost = new EasyPostApiError(
    504,
    'GATEWAY_TIMEOUT',
    'The upstream response was lost after the label was bought.',
  );
  return reply.code(504).send(lost.toBody());
}

function registerApiRoutes(scope: FastifyInstance, state: EasyPostState): void {
  scope.post('/v2/addresses', async (request: IdRequest, reply) => {
    const body = request.body ?? {};
    const address = createAddress(state, body.address, {
      verify: isRequested(body.verify),
      strict: isRequested(body.verify_strict),
    });
    return reply.code(201).send(address);
  });
  scope.post('/v2/addresses/create_and_verify', async (request: IdRequest) => {
    return { address: createAddress(state, request.body?.address, { verify: true, strict: true }) };
  });
  scope.get('/v2/addresses/:id', async (request: IdRequest) => {
    const address = state.addresses.get(request.params.id);
    if (!address) throw notFound('address', request.params.id);
    return address;
  });

  scope.post('/v2/shipments', async (request: IdRequest, reply) => {
    return reply.code(201).send(createShipment(state, request.body?.shipment));
  });
  scope.get('/v2/shipments/:id', async (request: IdRequest) =>
    getShipment(state, request.params.id),
  );
  scope.post('/v2/shipments/:id/buy', async (request: IdRequest, reply) => {
    const shipment = buyShipment(
      state,
      getShipment(state, request.params.id),
      request.body,
      origin(request),
    );
    return sendPurchase(state, reply, shipment);
  });

  scope.post('/v2/orders', async (request: IdRequest, reply) => {
    return reply.code(201).send(createOrder(state, request.body?.order));
  });
  scope.get('/v2/orders/:id', async (request: IdRequest) => getOrder(state, request.params.id));
  scope.post('/v2/orders/:id/buy', async (request: IdRequest, reply) => {
    const order = buyOrder(
      state,
      getOrder(state, request.params.id),
      request.body,
      origin(request),
    );
    return sendPurchase(state, reply, order);
  });

  scope.post('/v2/trackers', async (request: IdRequest, reply) => {
    return reply
      .code(201)
      .send(createTrackerFromParams(state, request.body?.tracker, origin(request)));
  });
  scope.get('/v2/trackers/:id', async (request: IdRequest) => getTracker(state, request.params.id));
}

function registerSandboxRoutes(scope: FastifyInstance, state: EasyPostState): void {
  const carriers = new Set(SERVICES.map((service) => service.carrier));

  scope.post('/_sandbox/easypost/carrier-outages', async (request: IdRequest, reply) => {
    const carrier = request.body?.carrier;
    const statusCode = request.body?.statusCode ?? 503;
    if (typeof carrier !== 'string' || !carriers.has(carrier as never)) {
      throw invalidParameter(
        'BAD_REQUEST',
        'carrier',
        `must be one of ${[...carriers].join(', ')}`,
      );
    }
    if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 599) {
      throw invalidParameter(
        'BAD_REQUEST',
        'statusCode',
        'must be an HTTP error status from 400 to 599',
      );
    }
    state.carrierOutages.set(carrier, statusCode);
    return reply.code(201).send({ carrier, statusCode });
  });
  scope.delete('/_sandbox/easypost/carrier-outages', async (_request, reply) => {
    state.carrierOutages.clear();
    return reply.code(204).send();
  });

  scope.post('/_sandbox/easypost/lost-purchase-responses', async (request: IdRequest, reply) => {
    const count = request.body?.count ?? 1;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
      throw invalidParameter('BAD_REQUEST', 'count', 'must be a positive integer');
    }
    state.lostPurchaseResponses = count;
    return reply.code(201).send({ count });
  });

  scope.get<{ Querystring: { reference?: string } }>(
    '/_sandbox/easypost/shipments',
    async (request) => {
      const all = [...state.shipments.values()];
      const { reference } = request.query;
      return {
        shipments:
          reference === undefined
            ? all
            : all.filter((shipment) => shipment.reference === reference),
      };
    },
  );
  scope.get('/_sandbox/easypost/trackers/:id', async (request: IdRequest) =>
    getTracker(state, request.params.id),
  );
  scope.post('/_sandbox/easypost/trackers/:id/advance', async (request: IdRequest) =>
    advanceTracker(getTracker(state, request.params.id)),
  );
  scope.get('/_sandbox/easypost/labels/:file', async (_request, reply) =>
    reply.type('image/png').send(PLACEHOLDER_LABEL_PNG),
  );
}

/** Registers the EasyPost routes on `app`, with state private to this registration. */
export async function registerEasyPost(app: FastifyInstance): Promise<void> {
  const state = createEasyPostState();
  await app.register(async (scope) => {
    installErrorHandler(scope);
    installFaultInjection(scope, 'easypost', faultBody);
    scope.addHook('onRequest', authenticate);
    registerApiRoutes(scope, state);
    registerSandboxRoutes(scope, state);
  });
}
