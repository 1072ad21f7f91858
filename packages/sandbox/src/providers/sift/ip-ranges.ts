import { isIPv4 } from 'node:net';

/** A block of IPv4 addresses with the country it is registered in. */
export interface IpRange {
  cidr: string;
  country: string;
  /** Set when the block is a known anonymizing service, such as Tor exit relays. */
  anonymizer?: string;
  source: string;
}

/**
 * The sandbox's whole IP geolocation table. Real blocks carry their registry country. The
 * RFC 5737 documentation blocks have countries that the sandbox assigns, so that tests can
 * place an address in a country without using anyone's real address.
 */
export const SANDBOX_IP_RANGES: readonly IpRange[] = [
  {
    cidr: '185.220.100.0/22',
    country: 'DE',
    anonymizer: 'Tor exit relay',
    source: 'Tor exit relays registered in Germany (RIPE NCC)',
  },
  { cidr: '8.8.8.0/24', country: 'US', source: 'Google Public DNS (ARIN)' },
  { cidr: '17.0.0.0/8', country: 'US', source: 'Apple Inc. (ARIN)' },
  { cidr: '193.0.0.0/21', country: 'NL', source: 'RIPE NCC, Amsterdam (RIPE NCC)' },
  { cidr: '192.0.2.0/24', country: 'US', source: 'TEST-NET-1, country assigned by the sandbox' },
  { cidr: '198.51.100.0/24', country: 'CA', source: 'TEST-NET-2, country assigned by the sandbox' },
  { cidr: '203.0.113.0/24', country: 'GB', source: 'TEST-NET-3, country assigned by the sandbox' },
];

interface ParsedRange {
  range: IpRange;
  network: number;
  mask: number;
}

const PARSED_RANGES: ParsedRange[] = SANDBOX_IP_RANGES.map((range) => {
  const [address = '', prefix = '32'] = range.cidr.split('/');
  const mask = maskOf(Number(prefix));
  return { range, network: (toInteger(address) & mask) >>> 0, mask };
});

/**
 * Finds the table entry that contains `ip`. Returns undefined for addresses outside the table,
 * for private and loopback addresses, and for IPv6 addresses.
 */
export function lookupIp(ip: string): IpRange | undefined {
  if (!isIPv4(ip)) return undefined;
  const value = toInteger(ip);
  return PARSED_RANGES.find((entry) => (value & entry.mask) >>> 0 === entry.network)?.range;
}

function toInteger(ip: string): number {
  return ip.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function maskOf(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (~0 << (32 - prefixLength)) >>> 0;
}
