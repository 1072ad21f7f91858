import { invalidParameter, notFound } from './errors.js';
import { newId, timestamp, type EasyPostState } from './state.js';

export type TrackerStatus =
  | 'unknown'
  | 'pre_transit'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'return_to_sender'
  | 'failure';

interface TrackingDetail {
  object: 'TrackingDetail';
  status: TrackerStatus;
  message: string;
  datetime: string;
}

/** Subset of EasyPost's Tracker object that the sandbox returns. */
export interface TrackerObject {
  id: string;
  object: 'Tracker';
  mode: 'test';
  tracking_code: string;
  status: TrackerStatus;
  carrier: string;
  shipment_id: string | null;
  est_delivery_date: string | null;
  tracking_details: TrackingDetail[];
  public_url: string;
  created_at: string;
  updated_at: string;
}

/** EasyPost's test tracking codes and the status each one reports. */
const TEST_TRACKING_CODES: Record<string, TrackerStatus> = {
  EZ1000000001: 'pre_transit',
  EZ2000000002: 'in_transit',
  EZ3000000003: 'out_for_delivery',
  EZ4000000004: 'delivered',
  EZ5000000005: 'return_to_sender',
  EZ6000000006: 'failure',
  EZ7000000007: 'unknown',
};

const STATUS_MESSAGES: Record<TrackerStatus, string> = {
  unknown: 'No tracking information is available yet',
  pre_transit: 'Shipping label created, the carrier awaits the item',
  in_transit: 'Arrived at a carrier facility',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  return_to_sender: 'Returned to sender',
  failure: 'Delivery failed',
};

/** Order in which `advanceTracker` moves a parcel towards delivery. */
const DELIVERY_PROGRESS: TrackerStatus[] = [
  'pre_transit',
  'in_transit',
  'out_for_delivery',
  'delivered',
];

function detail(status: TrackerStatus): TrackingDetail {
  return {
    object: 'TrackingDetail',
    status,
    message: STATUS_MESSAGES[status],
    datetime: timestamp(),
  };
}

export interface NewTracker {
  trackingCode: string;
  carrier: string;
  shipmentId: string | null;
  estimatedDeliveryDays: number | null;
  origin: string;
}

/** Creates a tracker; a tracking code that already has one returns the existing tracker, as EasyPost does. */
export function createTracker(state: EasyPostState, input: NewTracker): TrackerObject {
  const existing = [...state.trackers.values()].find(
    (tracker) => tracker.tracking_code === input.trackingCode && tracker.carrier === input.carrier,
  );
  if (existing) return existing;

  const status =
    TEST_TRACKING_CODES[input.trackingCode] ?? (input.shipmentId ? 'pre_transit' : 'unknown');
  const id = newId('trk');
  const now = timestamp();
  const estimated =
    input.estimatedDeliveryDays === null
      ? null
      : timestamp(new Date(Date.now() + input.estimatedDeliveryDays * 24 * 60 * 60 * 1000));
  const tracker: TrackerObject = {
    id,
    object: 'Tracker',
    mode: 'test',
    tracking_code: input.trackingCode,
    status,
    carrier: input.carrier,
    shipment_id: input.shipmentId,
    est_delivery_date: estimated,
    tracking_details: status === 'unknown' ? [] : [detail(status)],
    public_url: `${input.origin}/_sandbox/easypost/trackers/${id}`,
    created_at: now,
    updated_at: now,
  };
  state.trackers.set(id, tracker);
  return tracker;
}

/** Creates a tracker from `POST /v2/trackers` parameters `{ tracker: { tracking_code, carrier } }`. */
export function createTrackerFromParams(
  state: EasyPostState,
  params: unknown,
  origin: string,
): TrackerObject {
  const tracker = (params ?? {}) as { tracking_code?: unknown; carrier?: unknown };
  if (typeof tracker.tracking_code !== 'string' || tracker.tracking_code.trim() === '') {
    throw invalidParameter(
      'TRACKER.TRACKING_CODE.REQUIRED',
      'tracker.tracking_code',
      'is required',
    );
  }
  return createTracker(state, {
    trackingCode: tracker.tracking_code.trim(),
    carrier: typeof tracker.carrier === 'string' ? tracker.carrier : 'USPS',
    shipmentId: null,
    estimatedDeliveryDays: null,
    origin,
  });
}

export function getTracker(state: EasyPostState, id: string): TrackerObject {
  const tracker = state.trackers.get(id);
  if (!tracker) throw notFound('tracker', id);
  return tracker;
}

/**
 * Moves a tracker one step towards delivery (pre_transit, in_transit, out_for_delivery,
 * delivered), as carrier scans would. A delivered tracker, or one outside that sequence, stays as it is.
 */
export function advanceTracker(tracker: TrackerObject): TrackerObject {
  const position = DELIVERY_PROGRESS.indexOf(tracker.status);
  const next = DELIVERY_PROGRESS[position + 1];
  if (position < 0 || !next) return tracker;
  tracker.status = next;
  tracker.tracking_details.push(detail(next));
  tracker.updated_at = timestamp();
  return tracker;
}
