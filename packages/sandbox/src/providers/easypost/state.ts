import { randomBytes } from 'node:crypto';
import type { AddressObject } from './addresses.js';
import type { OrderObject } from './orders.js';
import type { ShipmentObject } from './shipments.js';
import type { TrackerObject } from './trackers.js';

/** In-memory EasyPost account of one sandbox instance. */
export interface EasyPostState {
  addresses: Map<string, AddressObject>;
  shipments: Map<string, ShipmentObject>;
  orders: Map<string, OrderObject>;
  trackers: Map<string, TrackerObject>;
  /** Carriers whose label purchases fail, with the HTTP status to fail with. */
  carrierOutages: Map<string, number>;
  /** Number of next label purchases (of shipments or orders) that succeed but respond 504, as if the response was lost. */
  lostPurchaseResponses: number;
}

export function createEasyPostState(): EasyPostState {
  return {
    addresses: new Map(),
    shipments: new Map(),
    orders: new Map(),
    trackers: new Map(),
    carrierOutages: new Map(),
    lostPurchaseResponses: 0,
  };
}

/** Returns an object id in EasyPost's style, such as `shp_` and 32 hex digits. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}

/** Returns the current time in EasyPost's format, ISO 8601 without milliseconds. */
export function timestamp(at: Date = new Date()): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
