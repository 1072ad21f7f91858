import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { installFaultInjection } from './fault-injection.js';
import {
  DEFAULT_ASSOCIATION_TYPE_IDS,
  isCrmObjectType,
  type CrmObjectType,
} from './hubspot/crm-schema.js';
import { applyBatchUpsert, planBatchUpsert } from './hubspot/crm-batch-upsert.js';
import { parseSearchRequest, runSearch } from './hubspot/crm-search.js';
import {
  CrmStore,
  isObject,
  toPublicObject,
  validateProperties,
  type CrmRecord,
  type PropertyIssue,
} from './hubspot/crm-store.js';

export { CRM_OBJECT_SCHEMAS, DEFAULT_PIPELINE_STAGES } from './hubspot/crm-schema.js';

/** A private app access token in HubSpot's format, accepted by the sandbox. */
export const HUBSPOT_SANDBOX_ACCESS_TOKEN = 'pat-na1-00000000-0000-4000-8000-000000000000';

/** Matches private app tokens as the sandbox accepts them: `pat-<region>-<uuid>`. */
const ACCESS_TOKEN_PATTERN =
  /^pat-[a-z]{2,4}\d-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface ObjectParams {
  objectType: string;
  objectId: string;
}

interface ReadQuery {
  idProperty?: string;
  properties?: string;
}

type ObjectRequest = FastifyRequest<{ Params: ObjectParams; Querystring: ReadQuery }>;

/**
 * Registers the HubSpot CRM v3 object routes for contacts and deals (create, read, update,
 * search, batch upsert) and the v4 default association between a deal and a contact, all with
 * Bearer auth. Creating a contact whose email exists fails with 409 and the existing ID in the
 * message, like HubSpot. Batch upserts accept `email` on contacts and `orderflow_order_id` on
 * deals as `idProperty`.
 *
 * Sandbox-only routes: `GET /_sandbox/hubspot/deals` and `/_sandbox/hubspot/contacts`
 * list every record with all its properties and associations, and `PUT /_sandbox/hubspot/settings`
 * with `{ searchIndexDelayMs }` makes new records appear in searches only after that delay, as
 * HubSpot's search index does.
 */
export async function registerHubSpot(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    const store = new CrmStore();

    scope.setErrorHandler(async (error: { statusCode?: number }, _request, reply) => {
      if (error.statusCode === 400 || error.statusCode === 415) {
        return sendError(
          reply,
          400,
          'VALIDATION_ERROR',
          'Invalid input JSON: the request body could not be parsed',
        );
      }
      return sendError(reply, 500, 'INTERNAL_ERROR', 'internal error');
    });
    installFaultInjection(scope, 'hubspot', hubSpotFaultBody);
    scope.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith('/_sandbox/')) return;
      const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (ACCESS_TOKEN_PATTERN.test(token)) return;
      sendError(
        reply,
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials were not found or are invalid.',
      );
      return reply;
    });

    registerObjectRoutes(scope, store);
    registerBatchRoutes(scope, store);
    registerAssociationRoutes(scope, store);
    registerInspectionRoutes(scope, store);
  });
}

function registerObjectRoutes(scope: FastifyInstance, store: CrmStore): void {
  scope.post<{ Params: ObjectParams }>('/crm/v3/objects/:objectType', async (request, reply) => {
    const type = objectTypeOf(request, reply);
    if (!type) return reply;

    const input = isObject(request.body) ? request.body.properties : undefined;
    const { properties, issues } = validateProperties(type, input, 'create');
    if (issues.length > 0) return sendValidationError(reply, issues);

    const existing =
      type === 'contacts' && properties.email ? store.findByEmail(properties.email) : undefined;
    if (existing)
      return sendError(
        reply,
        409,
        'CONFLICT',
        `Contact already exists. Existing ID: ${existing.id}`,
      );

    const record = store.create(type, properties);
    return reply.code(201).send(toPublicObject(type, record, Object.keys(properties)));
  });

  scope.get<{ Params: ObjectParams; Querystring: ReadQuery }>(
    '/crm/v3/objects/:objectType/:objectId',
    async (request, reply) => {
      const found = findRecord(store, request, reply);
      if (!found) return reply;
      return toPublicObject(found.type, found.record, listParam(request.query.properties));
    },
  );

  scope.patch<{ Params: ObjectParams; Querystring: ReadQuery }>(
    '/crm/v3/objects/:objectType/:objectId',
    async (request, reply) => {
      const found = findRecord(store, request, reply);
      if (!found) return reply;

      const input = isObject(request.body) ? request.body.properties : undefined;
      const { properties, issues } = validateProperties(found.type, input, 'update');
      if (issues.length > 0) return sendValidationError(reply, issues);

      const conflict =
        found.type === 'contacts' && properties.email
          ? store.findByEmail(properties.email, found.record.id)
          : undefined;
      if (conflict)
        return sendError(
          reply,
          409,
          'CONFLICT',
          `Contact already exists. Existing ID: ${conflict.id}`,
        );

      const record = store.update(found.type, found.record, properties);
      return toPublicObject(found.type, record, Object.keys(properties));
    },
  );

  scope.post<{ Params: ObjectParams }>(
    '/crm/v3/objects/:objectType/search',
    async (request, reply) => {
      const type = objectTypeOf(request, reply);
      if (!type) return reply;

      const parsed = parseSearchRequest(type, request.body);
      if (!parsed.ok) return sendError(reply, 400, 'VALIDATION_ERROR', parsed.message);

      const { total, page, nextAfter } = runSearch(store.searchable(type), parsed.request);
      return {
        total,
        results: page.map((record) => toPublicObject(type, record, parsed.request.properties)),
        ...(nextAfter ? { paging: { next: { after: nextAfter } } } : {}),
      };
    },
  );
}

function registerBatchRoutes(scope: FastifyInstance, store: CrmStore): void {
  scope.post<{ Params: { objectType: string } }>(
    '/crm/v3/objects/:objectType/batch/upsert',
    async (request, reply) => {
      const type = objectTypeOf(request, reply);
      if (!type) return reply;

      const startedAt = new Date().toISOString();
      const plan = planBatchUpsert(store, type, request.body);
      if (!plan.ok) {
        if (plan.issues) return sendValidationError(reply, plan.issues);
        return sendError(reply, 400, 'VALIDATION_ERROR', plan.message);
      }

      const results = applyBatchUpsert(store, type, plan.writes);
      return { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
    },
  );
}

function registerAssociationRoutes(scope: FastifyInstance, store: CrmStore): void {
  scope.put<{ Params: { fromType: string; fromId: string; toType: string; toId: string } }>(
    '/crm/v4/objects/:fromType/:fromId/associations/default/:toType/:toId',
    async (request, reply) => {
      const { fromType, fromId, toType, toId } = request.params;
      const pairKey = `${fromType}->${toType}`;
      if (pairKey !== 'deals->contacts' && pairKey !== 'contacts->deals') {
        return sendError(
          reply,
          400,
          'VALIDATION_ERROR',
          `No default association from ${fromType} to ${toType}`,
        );
      }
      const missing = [
        [fromType, fromId],
        [toType, toId],
      ].find(([type, id]) => !store.find(type as CrmObjectType, id ?? ''));
      if (missing)
        return sendError(
          reply,
          404,
          'OBJECT_NOT_FOUND',
          `No ${missing[0]} with ID ${missing[1]} exists`,
        );

      const [dealId, contactId] = fromType === 'deals' ? [fromId, toId] : [toId, fromId];
      store.associate(dealId, contactId);
      const now = new Date().toISOString();
      return {
        status: 'COMPLETE',
        results: [
          defaultAssociation('deals->contacts', dealId, contactId),
          defaultAssociation('contacts->deals', contactId, dealId),
        ],
        startedAt: now,
        completedAt: now,
      };
    },
  );

  scope.get<{ Params: { fromType: string; fromId: string; toType: string } }>(
    '/crm/v4/objects/:fromType/:fromId/associations/:toType',
    async (request, reply) => {
      const { fromType, fromId, toType } = request.params;
      const pairKey = `${fromType}->${toType}` as keyof typeof DEFAULT_ASSOCIATION_TYPE_IDS;
      if (!isCrmObjectType(fromType) || !Object.hasOwn(DEFAULT_ASSOCIATION_TYPE_IDS, pairKey)) {
        return sendError(
          reply,
          400,
          'VALIDATION_ERROR',
          `No associations from ${fromType} to ${toType}`,
        );
      }
      if (!store.find(fromType, fromId)) {
        return sendError(reply, 404, 'OBJECT_NOT_FOUND', `No ${fromType} with ID ${fromId} exists`);
      }
      const typeId = DEFAULT_ASSOCIATION_TYPE_IDS[pairKey];
      return {
        results: store.associatedIds(fromType, fromId).map((id) => ({
          toObjectId: Number(id),
          associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId, label: null }],
        })),
      };
    },
  );
}

function registerInspectionRoutes(scope: FastifyInstance, store: CrmStore): void {
  scope.put<{ Body: { searchIndexDelayMs: number } }>(
    '/_sandbox/hubspot/settings',
    {
      schema: {
        body: {
          type: 'object',
          required: ['searchIndexDelayMs'],
          additionalProperties: false,
          properties: { searchIndexDelayMs: { type: 'integer', minimum: 0, maximum: 3_600_000 } },
        },
      },
    },
    async (request) => {
      store.searchIndexDelayMs = request.body.searchIndexDelayMs;
      return { searchIndexDelayMs: store.searchIndexDelayMs };
    },
  );

  const inspect = (type: CrmObjectType, record: CrmRecord) => ({
    ...record,
    associatedIds: store.associatedIds(type, record.id),
  });
  scope.get('/_sandbox/hubspot/deals', async () => ({
    deals: store.list('deals').map((record) => inspect('deals', record)),
  }));
  scope.get('/_sandbox/hubspot/contacts', async () => ({
    contacts: store.list('contacts').map((record) => inspect('contacts', record)),
  }));
}

function defaultAssociation(
  pair: keyof typeof DEFAULT_ASSOCIATION_TYPE_IDS,
  fromId: string,
  toId: string,
) {
  return {
    from: { id: fromId },
    to: { id: toId },
    associationSpec: {
      associationCategory: 'HUBSPOT_DEFINED',
      associationTypeId: DEFAULT_ASSOCIATION_TYPE_IDS[pair],
    },
  };
}

function objectTypeOf(
  request: FastifyRequest<{ Params: { objectType: string } }>,
  reply: FastifyReply,
) {
  const { objectType } = request.params;
  if (isCrmObjectType(objectType)) return objectType;
  sendError(reply, 400, 'VALIDATION_ERROR', `Unable to infer object type from: ${objectType}`);
  return undefined;
}

function findRecord(store: CrmStore, request: ObjectRequest, reply: FastifyReply) {
  const type = objectTypeOf(request, reply);
  if (!type) return undefined;
  const record = store.find(type, request.params.objectId, request.query.idProperty);
  if (record) return { type, record };
  sendError(
    reply,
    404,
    'OBJECT_NOT_FOUND',
    `Object not found. objectId ${request.params.objectId} does not exist`,
  );
  return undefined;
}

function listParam(value: string | undefined): string[] {
  return value ? value.split(',').filter(Boolean) : [];
}

function errorBody(category: string, message: string, extra: Record<string, unknown> = {}) {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

function sendError(reply: FastifyReply, statusCode: number, category: string, message: string) {
  return reply.code(statusCode).send(errorBody(category, message));
}

function sendValidationError(reply: FastifyReply, issues: PropertyIssue[]) {
  const errors = issues.map((issue) => ({
    message: issue.message,
    code: issue.code,
    context: { propertyName: [issue.propertyName] },
  }));
  return reply
    .code(400)
    .send(errorBody('VALIDATION_ERROR', 'Property values were not valid', { errors }));
}

function hubSpotFaultBody(statusCode: number) {
  if (statusCode === 429) {
    return errorBody('RATE_LIMITS', 'You have reached your secondly limit.', {
      policyName: 'SECONDLY',
    });
  }
  if (statusCode === 401)
    return errorBody(
      'INVALID_AUTHENTICATION',
      'Authentication credentials were not found or are invalid.',
    );
  if (statusCode >= 500) return errorBody('INTERNAL_ERROR', 'internal error');
  return errorBody('VALIDATION_ERROR', 'Bad request');
}
