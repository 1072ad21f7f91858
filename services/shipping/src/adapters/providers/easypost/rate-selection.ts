/**
 * Rate selection by ship mode. Each mode has a filter and an order:
 * - Standard Class: ground services, cheapest first.
 * - Second Class: delivery within 3 days, cheapest first.
 * - First Class: delivery within 2 days, cheapest first.
 * - Same Day: fastest delivery first, then cheapest.
 * When no rate passes the filter (a cross-border parcel takes longer), every rate is ordered
 * fastest first instead, so the order still ships as fast as it can.
 */
import type { SHIP_MODES } from '@orderflow/contracts';

export type ShipMode = (typeof SHIP_MODES)[number];

/** The fields of an EasyPost rate that selection reads. */
export interface CarrierRate {
  id: string;
  carrier: string;
  service: string;
  /** Price as a decimal string, such as `7.47`. */
  rate: string;
  currency: string;
  delivery_days?: number | null;
}

/** Ground services by carrier, as EasyPost names them. */
const GROUND_SERVICES: Record<string, readonly string[]> = {
  USPS: ['GroundAdvantage', 'ParcelSelect'],
  UPS: ['Ground', 'UPSGroundsaver'],
  FedEx: ['FEDEX_GROUND', 'GROUND_HOME_DELIVERY', 'SMART_POST'],
};

const MAX_DELIVERY_DAYS: Partial<Record<ShipMode, number>> = {
  'Second Class': 3,
  'First Class': 2,
};

// Rates without delivery days count as the slowest.
const days = (rate: CarrierRate): number => rate.delivery_days ?? Number.POSITIVE_INFINITY;
const price = (rate: CarrierRate): number => Number(rate.rate);
const cheapestFirst = (a: CarrierRate, b: CarrierRate): number =>
  price(a) - price(b) || days(a) - days(b);
const fastestFirst = (a: CarrierRate, b: CarrierRate): number =>
  days(a) - days(b) || price(a) - price(b);

function eligible(rates: readonly CarrierRate[], shipMode: ShipMode): CarrierRate[] {
  if (shipMode === 'Standard Class') {
    return rates.filter((rate) => GROUND_SERVICES[rate.carrier]?.includes(rate.service));
  }
  const maxDays = MAX_DELIVERY_DAYS[shipMode];
  if (maxDays === undefined) return [...rates];
  return rates.filter((rate) => days(rate) <= maxDays);
}

export interface RateChoice {
  /** Best rate of each carrier, best carrier first: the first is bought, the others are fallbacks. */
  candidates: CarrierRate[];
  /** False when no rate met the ship mode and the fastest rates were taken instead. */
  shipModeMet: boolean;
}

/** Orders the rates for a ship mode and keeps the best rate of each carrier. */
export function chooseRates(rates: readonly CarrierRate[], shipMode: ShipMode): RateChoice {
  const matching = eligible(rates, shipMode);
  const shipModeMet = matching.length > 0;
  const ordered = shipModeMet
    ? matching.sort(shipMode === 'Same Day' ? fastestFirst : cheapestFirst)
    : [...rates].sort(fastestFirst);

  const seenCarriers = new Set<string>();
  const candidates = ordered.filter((rate) => {
    if (seenCarriers.has(rate.carrier)) return false;
    seenCarriers.add(rate.carrier);
    return true;
  });
  return { candidates, shipModeMet };
}

/** Converts a decimal price string such as `7.47` into minor units (747), rounding half up past two decimals. */
export function decimalToMinor(amount: string, decimals = 2): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new Error(`Rate amount ${amount} is not a decimal number`);
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(decimals + 1, '0');
  const minor = Number(whole) * 10 ** decimals + Number(fraction.slice(0, decimals) || '0');
  return Number(fraction.charAt(decimals)) >= 5 ? minor + 1 : minor;
}
