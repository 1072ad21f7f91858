/** One property whose value in the CRM differs from the value orderflow writes. */
export interface PropertyDifference {
  property: string;
  existingValue: string;
  incomingValue: string;
}

/**
 * Lists the properties that an existing CRM record already sets to a different value than
 * `incoming`. Empty or missing existing values are not conflicts, and values are compared
 * without regard to case, as HubSpot compares emails.
 */
export function propertyDifferences(
  existing: Record<string, string | null | undefined>,
  incoming: Record<string, string>,
): PropertyDifference[] {
  const differences: PropertyDifference[] = [];
  for (const [property, incomingValue] of Object.entries(incoming)) {
    const existingValue = existing[property];
    if (existingValue === null || existingValue === undefined || existingValue === '') continue;
    if (existingValue.toLowerCase() === incomingValue.toLowerCase()) continue;
    differences.push({ property, existingValue, incomingValue });
  }
  return differences;
}
