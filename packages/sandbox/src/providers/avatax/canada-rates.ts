/**
 * Canadian sales taxes by province and territory. Facts from the Canada Revenue Agency's
 * GST/HST rate table, Revenu Québec (QST), and the finance ministries of British Columbia (PST),
 * Manitoba (RST) and Saskatchewan (PST).
 *
 * The sandbox reports HST as one provincial line, although it combines the 5% federal part
 * with the provincial part.
 */

export interface CanadianTax {
  taxName: string;
  jurisdictionType: 'Country' | 'State';
  jurisName: string;
  rate: number;
  /** First day the rate applies (YYYY-MM-DD), when it changed within the years the sandbox serves. */
  from?: string;
  /** Last day the rate applies (YYYY-MM-DD). */
  until?: string;
}

const GST: CanadianTax = {
  taxName: 'CANADA GST',
  jurisdictionType: 'Country',
  jurisName: 'CANADA',
  rate: 0.05,
};

const provincial = (
  taxName: string,
  jurisName: string,
  rate: number,
  dates: Pick<CanadianTax, 'from' | 'until'> = {},
): CanadianTax => ({
  taxName,
  jurisdictionType: 'State',
  jurisName,
  rate,
  ...dates,
});

/** Taxes of each province and territory, by its two-letter code. */
export const CANADIAN_TAXES: Readonly<Record<string, readonly CanadianTax[]>> = {
  AB: [GST],
  BC: [GST, provincial('BC PST', 'BRITISH COLUMBIA', 0.07)],
  MB: [
    GST,
    provincial('MB RST', 'MANITOBA', 0.08, { until: '2019-06-30' }),
    provincial('MB RST', 'MANITOBA', 0.07, { from: '2019-07-01' }),
  ],
  NB: [provincial('NB HST', 'NEW BRUNSWICK', 0.15)],
  NL: [provincial('NL HST', 'NEWFOUNDLAND AND LABRADOR', 0.15)],
  NS: [
    provincial('NS HST', 'NOVA SCOTIA', 0.15, { until: '2025-03-31' }),
    provincial('NS HST', 'NOVA SCOTIA', 0.14, { from: '2025-04-01' }),
  ],
  NT: [GST],
  NU: [GST],
  ON: [provincial('ON HST', 'ONTARIO', 0.13)],
  PE: [provincial('PE HST', 'PRINCE EDWARD ISLAND', 0.15)],
  QC: [GST, provincial('QC QST', 'QUEBEC', 0.09975)],
  SK: [GST, provincial('SK PST', 'SASKATCHEWAN', 0.06)],
  YT: [GST],
};

/** Returns the taxes of a province on `date` (YYYY-MM-DD), or undefined for an unknown province. */
export function canadianTaxesOn(province: string, date: string): CanadianTax[] | undefined {
  const taxes = CANADIAN_TAXES[province];
  if (!taxes) return undefined;
  return taxes.filter(
    (tax) => (!tax.from || date >= tax.from) && (!tax.until || date <= tax.until),
  );
}
