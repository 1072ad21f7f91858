import type { StoredRate } from './tax-rates.js';

const GST: StoredRate = { name: 'CANADA', type: 'Country', ratePpm: 50_000 };

function provincial(name: string, ratePpm: number): StoredRate {
  return { name, type: 'State', ratePpm };
}

/**
 * Sales taxes by Canadian province and territory. Every province and territory charges the 5 %
 * federal GST, either alone, beside a provincial tax (PST, QST or RST), or as part of the
 * harmonized HST that replaces both. An HST is one provincial entry although it includes the
 * federal part. Manitoba lowered its RST from 8 % to 7 % on 2019-07-01, and Nova Scotia its HST
 * from 15 % to 14 % on 2025-04-01.
 */
export const CANADA_SALES_TAXES: Readonly<Record<string, readonly StoredRate[]>> = {
  AB: [GST],
  BC: [GST, provincial('BRITISH COLUMBIA', 70_000)],
  MB: [
    GST,
    {
      ...provincial('MANITOBA', 80_000),
      change: { effectiveFrom: '2019-07-01', ratePpm: 70_000 },
    },
  ],
  NB: [provincial('NEW BRUNSWICK', 150_000)],
  NL: [provincial('NEWFOUNDLAND AND LABRADOR', 150_000)],
  NS: [
    {
      ...provincial('NOVA SCOTIA', 150_000),
      change: { effectiveFrom: '2025-04-01', ratePpm: 140_000 },
    },
  ],
  NT: [GST],
  NU: [GST],
  ON: [provincial('ONTARIO', 130_000)],
  PE: [provincial('PRINCE EDWARD ISLAND', 150_000)],
  QC: [GST, provincial('QUEBEC', 99_750)],
  SK: [GST, provincial('SASKATCHEWAN', 60_000)],
  YT: [GST],
};
