/**
 * Rate computation of the EasyPost sandbox. Prices are invented but shaped like real ones: a
 * base price plus a price per started pound, which grows with the distance zone. Carriers differ
 * in base and per-pound price, so USPS is cheapest for light parcels and FedEx or UPS for heavy ones.
 *
 * Distance zone: each postal code is placed in a west-east band from 0 to 9. A US ZIP code's
 * band is its first digit (0 New England, 9 Pacific). A Canadian code's band comes from its
 * first letter, matched to the US ZIP area at the same longitude (table below). The zone is
 * 1 when the first three characters match, else 2 plus the band distance, at most 8.
 * A parcel crossing the US-Canada border costs 60% more and takes 2 days longer.
 */

export type Carrier = 'USPS' | 'UPS' | 'FedEx';

export interface ServiceSpec {
  carrier: Carrier;
  service: string;
  basePrice: number;
  pricePerPound: number;
  /** Extra share of the per-pound price for each zone above 1. */
  zoneFactor: number;
  maxWeightOz: number;
  deliveryDays: (zone: number) => number;
}

const groundDays = (zone: number): number => Math.min(5, 1 + Math.ceil(zone / 2));

const twoOrThreeDays = (zone: number): number => (zone <= 4 ? 2 : 3);
const oneOrTwoDays = (zone: number): number => (zone <= 4 ? 1 : 2);

function spec(
  carrier: Carrier,
  service: string,
  [basePrice, pricePerPound, zoneFactor]: [number, number, number],
  maxWeightOz: number,
  deliveryDays: (zone: number) => number,
): ServiceSpec {
  return { carrier, service, basePrice, pricePerPound, zoneFactor, maxWeightOz, deliveryDays };
}

/** Services offered by the sandbox's carrier accounts: base price and price per pound in USD. */
// prettier-ignore
export const SERVICES: readonly ServiceSpec[] = [
  spec('USPS', 'GroundAdvantage', [4.6, 1.35, 0.16], 1_120, groundDays),
  spec('USPS', 'Priority', [7.9, 1.6, 0.14], 1_120, twoOrThreeDays),
  spec('USPS', 'Express', [26.35, 2.4, 0.1], 1_120, oneOrTwoDays),
  spec('UPS', 'Ground', [9.4, 0.78, 0.15], 2_400, groundDays),
  spec('UPS', '3DaySelect', [14.1, 1.4, 0.1], 2_400, () => 3),
  spec('UPS', '2ndDayAir', [18.9, 1.9, 0.1], 2_400, () => 2),
  spec('UPS', 'NextDayAir', [31.5, 2.8, 0.08], 2_400, () => 1),
  spec('FedEx', 'FEDEX_GROUND', [9.8, 0.7, 0.15], 2_400, groundDays),
  spec('FedEx', 'FEDEX_2_DAY', [19.4, 1.85, 0.1], 2_400, () => 2),
  spec('FedEx', 'STANDARD_OVERNIGHT', [34.2, 2.9, 0.08], 2_400, () => 1),
];

/** West-east band of each first letter of a Canadian postal code, by the US ZIP area at that longitude. */
// prettier-ignore
const CANADIAN_BANDS: Record<string, number> = {
  A: 0, B: 0, C: 0, E: 0, // Atlantic provinces, east of New England
  G: 1, H: 1, J: 1, K: 1, // Quebec and eastern Ontario, north of New York
  L: 4, M: 4, N: 4, // southern Ontario, across from Michigan and Ohio
  P: 5, R: 5, S: 5, // northern Ontario and the prairies, north of Minnesota and the Dakotas
  T: 8, X: 8, // Alberta and the north, north of Montana and Idaho
  V: 9, Y: 9, // British Columbia and Yukon, north of Washington
};

export interface RatedLocation {
  country: string;
  zip: string;
}

/** Returns the west-east band of a US or Canadian postal code, or undefined for other places. */
export function postalBand(location: RatedLocation): number | undefined {
  const first = location.zip.trim().toUpperCase().charAt(0);
  if (location.country === 'US' && /\d/.test(first)) return Number(first);
  if (location.country === 'CA') return CANADIAN_BANDS[first];
  return undefined;
}

/** Returns the distance zone from 1 to 8 between two postal codes, or undefined if either has no band. */
export function distanceZone(from: RatedLocation, to: RatedLocation): number | undefined {
  const fromBand = postalBand(from);
  const toBand = postalBand(to);
  if (fromBand === undefined || toBand === undefined) return undefined;
  const samePrefix =
    from.zip.trim().slice(0, 3).toUpperCase() === to.zip.trim().slice(0, 3).toUpperCase();
  if (samePrefix && from.country === to.country) return 1;
  return Math.min(8, 2 + Math.abs(fromBand - toBand));
}

export interface ComputedRate {
  carrier: Carrier;
  service: string;
  /** Price in USD with two decimals, as EasyPost sends it. */
  rate: string;
  deliveryDays: number;
}

/** Computes every offered rate for a parcel of `weightOz` between two places. */
export function computeRates(
  from: RatedLocation,
  to: RatedLocation,
  weightOz: number,
): ComputedRate[] {
  const zone = distanceZone(from, to);
  if (zone === undefined) return [];
  const crossBorder = from.country !== to.country;
  const pounds = Math.max(1, Math.ceil(weightOz / 16));

  return SERVICES.filter((spec) => weightOz <= spec.maxWeightOz).map((spec) => {
    const perPound = spec.pricePerPound * (1 + spec.zoneFactor * (zone - 1));
    const price = (spec.basePrice + perPound * pounds) * (crossBorder ? 1.6 : 1);
    return {
      carrier: spec.carrier,
      service: spec.service,
      rate: price.toFixed(2),
      deliveryDays: spec.deliveryDays(zone) + (crossBorder ? 2 : 0),
    };
  });
}
