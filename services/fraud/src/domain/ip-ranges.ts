import { isIPv4 } from 'node:net';

/** An IPv4 block with the country it is registered in. */
export interface IpRange {
  cidr: string;
  country: string;
  /** Kind of anonymizing service, set when every address of the block hides the real client. */
  anonymizer?: string;
}

/**
 * Built-in geolocation table of the local rules. Real blocks carry their registry country. The
 * RFC 5737 documentation blocks never appear on the internet, so they get countries assigned
 * for tests (the same ones as in the provider sandbox).
 *
 * NOTE: this is a handful of blocks, not a geolocation database. Addresses outside it and all
 * IPv6 addresses have no country, so the IP rules do not fire for them.
 */
export const IP_RANGES: readonly IpRange[] = [
  { cidr: '185.220.100.0/22', country: 'DE', anonymizer: 'Tor exit relay' },
  { cidr: '8.8.8.0/24', country: 'US' },
  { cidr: '17.0.0.0/8', country: 'US' },
  { cidr: '193.0.0.0/21', country: 'NL' },
  { cidr: '192.0.2.0/24', country: 'US' },
  { cidr: '198.51.100.0/24', country: 'CA' },
  { cidr: '203.0.113.0/24', country: 'GB' },
];

interface ParsedRange {
  range: IpRange;
  network: number;
  mask: number;
}

const PARSED_RANGES: readonly ParsedRange[] = IP_RANGES.map((range) => {
  const [address = '', prefixLength = '32'] = range.cidr.split('/');
  const mask = networkMask(Number(prefixLength));
  return { range, network: (ipv4ToInteger(address) & mask) >>> 0, mask };
});

/** Finds the table entry containing `ip`; undefined for IPv6 and for addresses outside it. */
export function lookupIpRange(ip: string): IpRange | undefined {
  if (!isIPv4(ip)) return undefined;
  const value = ipv4ToInteger(ip);
  return PARSED_RANGES.find((entry) => (value & entry.mask) >>> 0 === entry.network)?.range;
}

function ipv4ToInteger(ip: string): number {
  return ip.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function networkMask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (~0 << (32 - prefixLength)) >>> 0;
}
