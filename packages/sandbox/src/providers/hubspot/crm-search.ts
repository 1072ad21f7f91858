import { CRM_OBJECT_SCHEMAS, type CrmObjectType } from './crm-schema.js';
import { isObject, type CrmRecord } from './crm-store.js';

/** Limits of the CRM search endpoint that the sandbox enforces. */
export const SEARCH_LIMITS = {
  maxFilterGroups: 5,
  maxFiltersPerGroup: 6,
  maxFilters: 18,
  defaultPageSize: 10,
  maxPageSize: 200,
} as const;

const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
] as const;

type Operator = (typeof OPERATORS)[number];

interface Filter {
  propertyName: string;
  operator: Operator;
  value?: string;
  values?: string[];
}

/** A validated search request. */
export interface SearchRequest {
  filterGroups: Filter[][];
  properties: string[];
  sort?: { propertyName: string; descending: boolean };
  limit: number;
  offset: number;
}

/** A validated request, or the message of a 400 response. */
export type ParsedSearch = { ok: true; request: SearchRequest } | { ok: false; message: string };

/** Parses a `POST /crm/v3/objects/<type>/search` body. */
export function parseSearchRequest(type: CrmObjectType, body: unknown): ParsedSearch {
  const input = isObject(body) ? body : {};
  const known: readonly string[] = CRM_OBJECT_SCHEMAS[type].properties;

  const groups = Array.isArray(input.filterGroups) ? input.filterGroups : [];
  if (groups.length > SEARCH_LIMITS.maxFilterGroups) {
    return {
      ok: false,
      message: `At most ${SEARCH_LIMITS.maxFilterGroups} filterGroups are allowed`,
    };
  }
  const filterGroups: Filter[][] = [];
  for (const group of groups) {
    const filters = isObject(group) && Array.isArray(group.filters) ? group.filters : [];
    if (filters.length > SEARCH_LIMITS.maxFiltersPerGroup) {
      return {
        ok: false,
        message: `At most ${SEARCH_LIMITS.maxFiltersPerGroup} filters are allowed in a filter group`,
      };
    }
    const parsed: Filter[] = [];
    for (const filter of filters) {
      const result = parseFilter(filter, known);
      if (typeof result === 'string') return { ok: false, message: result };
      parsed.push(result);
    }
    filterGroups.push(parsed);
  }
  if (filterGroups.flat().length > SEARCH_LIMITS.maxFilters) {
    return {
      ok: false,
      message: `At most ${SEARCH_LIMITS.maxFilters} filters are allowed in total`,
    };
  }

  const limit = input.limit === undefined ? SEARCH_LIMITS.defaultPageSize : Number(input.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMITS.maxPageSize) {
    return {
      ok: false,
      message: `limit must be an integer from 1 to ${SEARCH_LIMITS.maxPageSize}`,
    };
  }
  const offset = input.after === undefined ? 0 : Number(input.after);
  if (!Number.isInteger(offset) || offset < 0)
    return { ok: false, message: 'after must be a paging cursor' };

  const properties = Array.isArray(input.properties) ? input.properties.map(String) : [];
  return {
    ok: true,
    request: { filterGroups, properties, sort: parseSort(input.sorts), limit, offset },
  };
}

function parseFilter(filter: unknown, known: readonly string[]): Filter | string {
  if (!isObject(filter) || typeof filter.propertyName !== 'string')
    return 'Every filter needs a propertyName';
  const operator = filter.operator as Operator;
  if (!OPERATORS.includes(operator)) return `Operator ${String(filter.operator)} is not supported`;
  if (!known.includes(filter.propertyName))
    return `Property "${filter.propertyName}" does not exist`;

  const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(operator);
  if (needsValue && filter.value === undefined) return `Operator ${operator} needs a value`;
  const needsValues = operator === 'IN' || operator === 'NOT_IN';
  if (needsValues && !Array.isArray(filter.values)) return `Operator ${operator} needs values`;

  return {
    propertyName: filter.propertyName,
    operator,
    value: filter.value === undefined ? undefined : String(filter.value),
    values: Array.isArray(filter.values) ? filter.values.map(String) : undefined,
  };
}

/** Reads the first sort, given as `"-name"`, `"name"` or `{ propertyName, direction }`. */
function parseSort(sorts: unknown): SearchRequest['sort'] {
  const first: unknown = Array.isArray(sorts) ? sorts[0] : undefined;
  if (typeof first === 'string') {
    const descending = first.startsWith('-');
    return { propertyName: descending ? first.slice(1) : first, descending };
  }
  if (isObject(first) && typeof first.propertyName === 'string') {
    return { propertyName: first.propertyName, descending: first.direction === 'DESCENDING' };
  }
  return undefined;
}

/**
 * Runs a search: filters within a group must all match, and any group may match. String
 * comparisons ignore case, like HubSpot's. Returns one page and the total number of matches.
 */
export function runSearch(records: CrmRecord[], request: SearchRequest) {
  const matches = records.filter(
    (record) =>
      request.filterGroups.length === 0 ||
      request.filterGroups.some((group) => group.every((filter) => matchesFilter(record, filter))),
  );
  sortRecords(matches, request.sort);
  const page = matches.slice(request.offset, request.offset + request.limit);
  const nextOffset = request.offset + page.length;
  return {
    total: matches.length,
    page,
    nextAfter: nextOffset < matches.length ? String(nextOffset) : undefined,
  };
}

function matchesFilter(record: CrmRecord, filter: Filter): boolean {
  const actual = record.properties[filter.propertyName];
  const value = filter.value?.toLowerCase();
  const values = filter.values?.map((entry) => entry.toLowerCase()) ?? [];
  const current = actual?.toLowerCase();

  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return actual !== undefined;
    case 'NOT_HAS_PROPERTY':
      return actual === undefined;
    case 'EQ':
      return current === value;
    case 'NEQ':
      return current !== value;
    case 'IN':
      return current !== undefined && values.includes(current);
    case 'NOT_IN':
      return current === undefined || !values.includes(current);
    case 'CONTAINS_TOKEN':
      return current !== undefined && value !== undefined && current.split(/\W+/).includes(value);
    default:
      return (
        current !== undefined &&
        value !== undefined &&
        compareOrdered(current, value, filter.operator)
      );
  }
}

function compareOrdered(actual: string, expected: string, operator: Operator): boolean {
  const order = compareValues(actual, expected);
  if (operator === 'LT') return order < 0;
  if (operator === 'LTE') return order <= 0;
  if (operator === 'GT') return order > 0;
  return order >= 0;
}

/** Compares numbers numerically and anything else as text. */
function compareValues(left: string, right: string): number {
  const leftNumber = Number(left);
  const rightNumber = Number(right);
  if (left !== '' && right !== '' && !Number.isNaN(leftNumber) && !Number.isNaN(rightNumber)) {
    return leftNumber - rightNumber;
  }
  return left.localeCompare(right);
}

function sortRecords(records: CrmRecord[], sort: SearchRequest['sort']): void {
  const propertyName = sort?.propertyName ?? 'hs_object_id';
  const direction = sort?.descending ? -1 : 1;
  records.sort(
    (a, b) =>
      direction * compareValues(a.properties[propertyName] ?? '', b.properties[propertyName] ?? ''),
  );
}
