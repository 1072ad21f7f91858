import { CRM_OBJECT_SCHEMAS, DEFAULT_PIPELINE_STAGES, type CrmObjectType } from './crm-schema.js';

/** A CRM record as the sandbox stores it. HubSpot returns every property value as a string. */
export interface CrmRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** One invalid property in a create or update request, in HubSpot's `errors[]` terms. */
export interface PropertyIssue {
  propertyName: string;
  code: string;
  message: string;
}

type WriteMode = 'create' | 'update';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** In-memory records of each object type, their IDs and the deal-contact associations. */
export class CrmStore {
  private readonly records = {
    contacts: new Map<string, CrmRecord>(),
    deals: new Map<string, CrmRecord>(),
  };
  private readonly nextIds = {
    contacts: CRM_OBJECT_SCHEMAS.contacts.firstId,
    deals: CRM_OBJECT_SCHEMAS.deals.firstId,
  };
  /** Associated deal and contact pairs, as `<dealId>:<contactId>`. */
  private readonly dealContacts = new Set<string>();
  /** Time from which each new record appears in searches, in epoch milliseconds. */
  private readonly searchableFrom = new Map<string, number>();
  /**
   * Delay before a new record appears in searches, in milliseconds. HubSpot's search index
   * lags behind writes. 0 makes records searchable at once.
   */
  searchIndexDelayMs = 0;

  /** Finds a record by ID, or by email for contacts when `idProperty` is `email`. */
  find(type: CrmObjectType, id: string, idProperty?: string): CrmRecord | undefined {
    if (idProperty === 'email' && type === 'contacts') return this.findByEmail(id);
    return this.records[type].get(id);
  }

  list(type: CrmObjectType): CrmRecord[] {
    return [...this.records[type].values()];
  }

  /** Records that the search index already contains. */
  searchable(type: CrmObjectType): CrmRecord[] {
    const now = Date.now();
    return this.list(type).filter(
      (record) => (this.searchableFrom.get(`${type}:${record.id}`) ?? 0) <= now,
    );
  }

  /**
   * Finds the record whose unique property `propertyName` equals `value`, the lowest ID if
   * several. Reads the records directly, so the search index delay does not apply. Emails match
   * without regard to case.
   */
  findByUniqueValue(
    type: CrmObjectType,
    propertyName: string,
    value: string,
  ): CrmRecord | undefined {
    if (type === 'contacts' && propertyName === 'email') return this.findByEmail(value);
    return this.list(type).find((record) => record.properties[propertyName] === value);
  }

  /** Finds the contact that already has `email`, other than `exceptId`. */
  findByEmail(email: string, exceptId?: string): CrmRecord | undefined {
    const normalized = email.toLowerCase();
    return this.list('contacts').find(
      (record) => record.properties.email === normalized && record.id !== exceptId,
    );
  }

  create(type: CrmObjectType, properties: Record<string, string>): CrmRecord {
    const id = String(this.nextIds[type]++);
    const now = new Date().toISOString();
    const schema = CRM_OBJECT_SCHEMAS[type];
    const record: CrmRecord = {
      id,
      createdAt: now,
      updatedAt: now,
      properties: {
        ...(type === 'deals' ? { pipeline: 'default' } : {}),
        ...properties,
        hs_object_id: id,
        createdate: now,
        [schema.modifiedProperty]: now,
      },
    };
    this.records[type].set(id, record);
    this.searchableFrom.set(`${type}:${id}`, Date.now() + this.searchIndexDelayMs);
    return record;
  }

  /** Sets the given properties; an empty string clears one, as in HubSpot. */
  update(type: CrmObjectType, record: CrmRecord, properties: Record<string, string>): CrmRecord {
    const now = new Date().toISOString();
    for (const [name, value] of Object.entries(properties)) {
      if (value === '') delete record.properties[name];
      else record.properties[name] = value;
    }
    record.updatedAt = now;
    record.properties[CRM_OBJECT_SCHEMAS[type].modifiedProperty] = now;
    return record;
  }

  associate(dealId: string, contactId: string): void {
    this.dealContacts.add(`${dealId}:${contactId}`);
  }

  /** IDs of the records of the other type associated with a deal or a contact. */
  associatedIds(type: CrmObjectType, id: string): string[] {
    const ids: string[] = [];
    for (const pair of this.dealContacts) {
      const [dealId = '', contactId = ''] = pair.split(':');
      if (type === 'deals' && dealId === id) ids.push(contactId);
      if (type === 'contacts' && contactId === id) ids.push(dealId);
    }
    return ids;
  }
}

/**
 * Checks the `properties` of a create or update request against the portal schema. Returns
 * the values as strings, with emails in lower case, and every issue found.
 */
export function validateProperties(
  type: CrmObjectType,
  input: unknown,
  mode: WriteMode,
): { properties: Record<string, string>; issues: PropertyIssue[] } {
  const schema = CRM_OBJECT_SCHEMAS[type];
  const known: readonly string[] = schema.properties;
  const readOnly: readonly string[] = schema.readOnlyProperties;
  const properties: Record<string, string> = {};
  const issues: PropertyIssue[] = [];

  for (const [name, raw] of Object.entries(isObject(input) ? input : {})) {
    if (!known.includes(name)) {
      issues.push({
        propertyName: name,
        code: 'PROPERTY_DOESNT_EXIST',
        message: `Property "${name}" does not exist`,
      });
    } else if (readOnly.includes(name)) {
      issues.push({
        propertyName: name,
        code: 'READ_ONLY_VALUE',
        message: `${name} is a read only property; its value cannot be set.`,
      });
    } else if (raw !== null && !['string', 'number', 'boolean'].includes(typeof raw)) {
      issues.push({
        propertyName: name,
        code: 'INVALID_PROPERTY_VALUE',
        message: `${name} must be a string, number or boolean`,
      });
    } else {
      const value = raw === null ? '' : String(raw);
      const problem = checkValue(name, value);
      if (problem) issues.push(problem);
      else properties[name] = name === 'email' ? value.toLowerCase() : value;
    }
  }

  if (mode === 'create') {
    for (const name of schema.requiredOnCreate as readonly string[]) {
      if (!properties[name])
        issues.push({ propertyName: name, code: 'REQUIRED', message: `${name} is required` });
    }
  }
  return { properties, issues };
}

function checkValue(name: string, value: string): PropertyIssue | undefined {
  if (value === '') return undefined;
  if (name === 'email' && !EMAIL_PATTERN.test(value)) {
    return {
      propertyName: name,
      code: 'INVALID_EMAIL',
      message: `Email address ${value} is invalid`,
    };
  }
  if (name === 'amount' && !DECIMAL_PATTERN.test(value)) {
    return {
      propertyName: name,
      code: 'INVALID_DECIMAL',
      message: `${value} is not a valid decimal number`,
    };
  }
  if (name === 'dealstage' && !(DEFAULT_PIPELINE_STAGES as readonly string[]).includes(value)) {
    return {
      propertyName: name,
      code: 'INVALID_OPTION',
      message: `${value} is not a valid stage of pipeline default`,
    };
  }
  if (name === 'pipeline' && value !== 'default') {
    return {
      propertyName: name,
      code: 'INVALID_OPTION',
      message: `${value} is not a valid pipeline`,
    };
  }
  return undefined;
}

/**
 * Shapes a record as HubSpot returns it: the object type's default properties plus the
 * `requested` ones, each null when it has no value.
 */
export function toPublicObject(
  type: CrmObjectType,
  record: CrmRecord,
  requested: readonly string[] = [],
) {
  const names = new Set<string>([...CRM_OBJECT_SCHEMAS[type].defaultProperties, ...requested]);
  const properties: Record<string, string | null> = {};
  for (const name of names) properties[name] = record.properties[name] ?? null;
  return {
    id: record.id,
    properties,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: false,
  };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
