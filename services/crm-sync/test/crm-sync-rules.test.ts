import { describe, expect, it } from 'vitest';
import { ORDERFLOW_PROPERTIES } from '../src/adapters/providers/hubspot/hubspot-client.js';
import { propertyDifferences } from '../src/domain/crm-conflicts.js';
import {
  CONTACT_PROPERTY_MAPPINGS,
  DEAL_PROPERTY_MAPPINGS,
  contactProperties,
} from '../src/domain/field-mappings.js';

const snapshot = {
  orderId: 'O-1',
  customerId: 'DP-13000',
  email: ' DP-13000@Example.com ',
  phone: '+12025550106',
  segment: 'Consumer',
};

describe('contactProperties', () => {
  it('maps every customer field', () => {
    expect(contactProperties(snapshot)).toEqual({
      email: 'dp-13000@example.com',
      phone: '+12025550106',
      orderflow_customer_id: 'DP-13000',
      orderflow_segment: 'Consumer',
    });
  });

  it('leaves out missing phone and segment', () => {
    const properties = contactProperties({ ...snapshot, phone: null, segment: null });
    expect(Object.keys(properties).sort()).toEqual(['email', 'orderflow_customer_id']);
  });
});

describe('field mappings', () => {
  it('match the custom properties of the HubSpot client', () => {
    expect(CONTACT_PROPERTY_MAPPINGS.customerId).toBe(ORDERFLOW_PROPERTIES.customerId);
    expect(CONTACT_PROPERTY_MAPPINGS.segment).toBe(ORDERFLOW_PROPERTIES.segment);
    expect(DEAL_PROPERTY_MAPPINGS.orderId).toBe(ORDERFLOW_PROPERTIES.orderId);
  });
});

describe('propertyDifferences', () => {
  it('lists values that the update overwrites', () => {
    const differences = propertyDifferences(
      { email: 'a@example.com', orderflow_customer_id: 'OLD-1', phone: '+12025550100' },
      { email: 'a@example.com', orderflow_customer_id: 'NEW-1', phone: '+12025550106' },
    );
    expect(differences).toEqual([
      { property: 'orderflow_customer_id', existingValue: 'OLD-1', incomingValue: 'NEW-1' },
      { property: 'phone', existingValue: '+12025550100', incomingValue: '+12025550106' },
    ]);
  });

  it('ignores empty existing values and case', () => {
    const differences = propertyDifferences(
      { email: 'A@Example.com', phone: null, orderflow_segment: '' },
      { email: 'a@example.com', phone: '+12025550106', orderflow_segment: 'Consumer' },
    );
    expect(differences).toEqual([]);
  });
});
