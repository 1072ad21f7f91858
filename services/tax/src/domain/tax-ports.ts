import type { CurrencyCode, PostalAddress } from '@orderflow/contracts';
import type { JurisdictionTax } from './fallback-tax.js';

export interface TaxLine {
  /** Line number, unique within the request, such as `1`. */
  number: string;
  amountMinor: number;
  quantity: number;
  itemCode: string;
}

export interface TaxRequest {
  orderId: string;
  currency: CurrencyCode;
  customerCode: string;
  shipTo: PostalAddress;
  lines: TaxLine[];
  /** False for an estimate that the provider does not record as a sale. */
  commit: boolean;
  /** Date of the sale (ISO 8601), which picks the rates in force. */
  date: string;
}

export interface ProviderTax {
  taxMinor: number;
  totalMinor: number;
  transactionCode: string;
  jurisdictions: JurisdictionTax[];
}

/** The tax provider as the tax service uses it; failures are thrown as ProviderError. */
export interface TaxProvider {
  calculateTax(request: TaxRequest): Promise<ProviderTax>;
}
