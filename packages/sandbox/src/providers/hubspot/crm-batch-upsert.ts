import { CRM_OBJECT_SCHEMAS, SANDBOX_PORTAL_ID, type CrmObjectType } from './crm-schema.js';
import {
  isObject,
  toPublicObject,
  validateProperties,
  type CrmRecord,
  type CrmStore,
  type PropertyIssue,
} from './crm-store.js';

/**
 * Maximum number of inputs that the sandbox accepts in one batch request. Third-party HubSpot
 * guides give 100 as HubSpot's limit, and HubSpot's API reference pages do not state one.
 */
export const MAX_BATCH_INPUTS = 100;

/** One validated input: the record that has its unique value, if any, and the values to set. */
export interface PlannedWrite {
  existing: CrmRecord | undefined;
  properties: Record<string, string>;
}

/** The writes of a valid batch, or the message and property issues of its 400 response. */
export type UpsertPlan =
  { ok: true; writes: PlannedWrite[] } | { ok: false; message: string; issues?: PropertyIssue[] };

type PlannedInput =
  | { ok: true; idProperty: string; uniqueValue: string; write: PlannedWrite }
  | { ok: false; message: string; issues?: PropertyIssue[] };

/**
 * Validates a `POST /crm/v3/objects/<type>/batch/upsert` body and finds the record of each
 * input by the value of its `idProperty`, which must be one of the type's unique properties.
 * One invalid input rejects the whole batch, so nothing is written, and the sandbox never
 * returns HubSpot's 207 partial result.
 *
 * `properties` may repeat the `idProperty` only with the input's `id` as its value. The sandbox
 * rejects any other value, because HubSpot does not document which one it keeps.
 */
export function planBatchUpsert(store: CrmStore, type: CrmObjectType, body: unknown): UpsertPlan {
  const inputs = isObject(body) ? body.inputs : undefined;
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > MAX_BATCH_INPUTS) {
    return { ok: false, message: `inputs must be an array of 1 to ${MAX_BATCH_INPUTS} objects` };
  }

  const writes: PlannedWrite[] = [];
  const uniqueValues = new Set<string>();
  for (const [index, input] of inputs.entries()) {
    const planned = planInput(store, type, input, index);
    if (!planned.ok) return planned;
    const key = `${planned.idProperty}=${planned.uniqueValue}`;
    if (uniqueValues.has(key)) {
      return {
        ok: false,
        message: `${planned.idProperty} ${planned.uniqueValue} appears in more than one input`,
      };
    }
    uniqueValues.add(key);
    writes.push(planned.write);
  }
  return { ok: true, writes };
}

/**
 * Updates the existing records and creates the others. New records appear in searches only after
 * the store's search index delay, like those of plain creates. Returns the results in input
 * order, each with HubSpot's `new` flag.
 */
export function applyBatchUpsert(store: CrmStore, type: CrmObjectType, writes: PlannedWrite[]) {
  return writes.map(({ existing, properties }) => {
    const record = existing
      ? store.update(type, existing, properties)
      : store.create(type, properties);
    return {
      ...toPublicObject(type, record, Object.keys(properties)),
      new: existing === undefined,
    };
  });
}

function planInput(
  store: CrmStore,
  type: CrmObjectType,
  input: unknown,
  index: number,
): PlannedInput {
  const field = `inputs[${index}]`;
  if (!isObject(input)) return { ok: false, message: `${field} must be an object` };

  const { idProperty, id, properties } = input;
  if (typeof idProperty !== 'string' || idProperty === '') {
    return {
      ok: false,
      message: `${field}.idProperty is missing: name a property with unique values`,
    };
  }
  const uniqueProperties: readonly string[] = CRM_OBJECT_SCHEMAS[type].uniqueProperties;
  if (!uniqueProperties.includes(idProperty)) {
    // HubSpot's 400 message for this case, as public bug reports against its API quote it.
    const objectTypeId = CRM_OBJECT_SCHEMAS[type].objectTypeId;
    return {
      ok: false,
      message: `Unable to perform update/upsert by non-unique ${objectTypeId} property ${idProperty} in portal ID ${SANDBOX_PORTAL_ID}`,
    };
  }
  if (typeof id !== 'string' || id.trim() === '') {
    return { ok: false, message: `${field}.id must be a non-empty string` };
  }
  if (!isObject(properties)) {
    return { ok: false, message: `${field}.properties must be an object` };
  }

  const uniqueValue = idProperty === 'email' ? id.toLowerCase() : id;
  const repeated = properties[idProperty];
  if (repeated !== undefined && normalize(idProperty, repeated) !== uniqueValue) {
    return {
      ok: false,
      message: `${field}.properties.${idProperty} must equal the input id when it is given`,
    };
  }

  const existing = store.findByUniqueValue(type, idProperty, uniqueValue);
  const validated = validateProperties(
    type,
    { ...properties, [idProperty]: uniqueValue },
    existing ? 'update' : 'create',
  );
  if (validated.issues.length > 0) {
    return { ok: false, message: 'Property values were not valid', issues: validated.issues };
  }
  return {
    ok: true,
    idProperty,
    uniqueValue,
    write: { existing, properties: validated.properties },
  };
}

function normalize(propertyName: string, value: unknown): string {
  const text = String(value);
  return propertyName === 'email' ? text.toLowerCase() : text;
}
