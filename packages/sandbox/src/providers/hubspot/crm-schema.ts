/** HubSpot account ID of the sandbox portal, which some of HubSpot's error messages include. */
export const SANDBOX_PORTAL_ID = 20_000_001;

/**
 * The sandbox portal's CRM schema: object types, their properties and the deal pipeline.
 * `orderflow_*` properties are custom properties that a portal using orderflow must create.
 * `uniqueProperties` are the properties with unique values (`hasUniqueValue: true` in HubSpot)
 * that batch upserts accept as `idProperty`. Of these, only the contact email is also checked on
 * plain creates and updates.
 */
export const CRM_OBJECT_SCHEMAS = {
  contacts: {
    objectTypeId: '0-1',
    firstId: 101,
    properties: [
      'email',
      'firstname',
      'lastname',
      'phone',
      'lifecyclestage',
      'orderflow_customer_id',
      'orderflow_segment',
      'createdate',
      'lastmodifieddate',
      'hs_object_id',
    ],
    readOnlyProperties: ['createdate', 'lastmodifieddate', 'hs_object_id'],
    defaultProperties: [
      'createdate',
      'email',
      'firstname',
      'hs_object_id',
      'lastmodifieddate',
      'lastname',
    ],
    requiredOnCreate: [],
    uniqueProperties: ['email'],
    modifiedProperty: 'lastmodifieddate',
  },
  deals: {
    objectTypeId: '0-3',
    firstId: 5001,
    properties: [
      'dealname',
      'amount',
      'dealstage',
      'pipeline',
      'closedate',
      'deal_currency_code',
      'orderflow_order_id',
      'createdate',
      'hs_lastmodifieddate',
      'hs_object_id',
    ],
    readOnlyProperties: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    defaultProperties: [
      'amount',
      'closedate',
      'createdate',
      'dealname',
      'dealstage',
      'hs_lastmodifieddate',
      'hs_object_id',
      'pipeline',
    ],
    requiredOnCreate: ['dealname', 'dealstage'],
    uniqueProperties: ['orderflow_order_id'],
    modifiedProperty: 'hs_lastmodifieddate',
  },
} as const;

export type CrmObjectType = keyof typeof CRM_OBJECT_SCHEMAS;

/** Stage IDs of HubSpot's default sales pipeline, the only pipeline of the sandbox portal. */
export const DEFAULT_PIPELINE_STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
  'closedwon',
  'closedlost',
] as const;

/**
 * HubSpot-defined association type IDs between deals and contacts. A default association
 * creates both directions.
 */
export const DEFAULT_ASSOCIATION_TYPE_IDS = {
  'deals->contacts': 3,
  'contacts->deals': 4,
} as const;

export function isCrmObjectType(value: string): value is CrmObjectType {
  return Object.hasOwn(CRM_OBJECT_SCHEMAS, value);
}
