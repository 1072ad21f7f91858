/**
 * Tax calculation of the AvaTax sandbox: a CreateTransactionModel in, a TransactionModel out.
 * US destinations pay the statewide rate of their state; local rates are not modelled.
 * Canadian destinations pay GST, HST, QST or PST by province. Other countries get no tax,
 * as for a company without nexus there.
 *
 * Amounts arrive and leave in major units with decimals, as AvaTax sends them. Tax is computed
 * in minor units for each line and jurisdiction and rounded half away from zero, so that the
 * lines always add up to the totals.
 */
import { randomUUID } from 'node:crypto';
import { canadianTaxesOn } from './canada-rates.js';
import { incorrectData } from './errors.js';
import { usStateRateOn } from './us-state-rates.js';

const DOCUMENT_TYPES = ['SalesOrder', 'SalesInvoice'] as const;
type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Decimals of currencies that do not use two. */
const CURRENCY_DECIMALS: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  BHD: 3,
  KWD: 3,
  JOD: 3,
  OMR: 3,
  TND: 3,
};

/** Tax code that AvaTax uses for non-taxable items. */
const NON_TAXABLE_TAX_CODE = 'NT';

interface Jurisdiction {
  country: string;
  region: string;
  jurisdictionType: 'Country' | 'State';
  jurisCode: string;
  jurisName: string;
  taxName: string;
  taxType: 'Sales' | 'Output';
  rate: number;
}

interface ShipTo {
  line1: string | null;
  city: string | null;
  region: string;
  country: string;
  postalCode: string | null;
}

interface ParsedLine {
  lineNumber: string;
  itemCode: string | null;
  taxCode: string;
  description: string | null;
  quantity: number;
  amountMinor: number;
}

export interface TransactionRequest {
  companyCode: string;
  code: string;
  type: DocumentType;
  date: string;
  customerCode: string;
  currencyCode: string;
  commit: boolean;
  exemptionNo: string | null;
  shipTo: ShipTo;
  lines: ParsedLine[];
}

export type TransactionModel = Record<string, unknown> & {
  code: string;
  status: 'Temporary' | 'Saved' | 'Committed' | 'Cancelled';
  type: DocumentType;
};

function text(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') return String(value);
  return null;
}

function parseDocumentType(value: unknown): DocumentType {
  if (value === undefined) return 'SalesOrder';
  // The SDK's enums serialize as numbers: SalesOrder is 0, SalesInvoice is 1.
  const byNumber: Record<number, DocumentType> = { 0: 'SalesOrder', 1: 'SalesInvoice' };
  const type =
    typeof value === 'number' ? byNumber[value] : DOCUMENT_TYPES.find((name) => name === value);
  if (!type) {
    throw incorrectData(
      'InvalidDocumentType',
      `Document type ${String(value)} is not supported: the sandbox takes SalesOrder or SalesInvoice.`,
    );
  }
  return type;
}

function parseDate(value: unknown): string {
  const date = text(value);
  if (!date) throw incorrectData('ValueRequiredError', 'The field date is required.');
  const day = date.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) {
    throw incorrectData('DateFormatError', `The date ${date} is not a valid date; use YYYY-MM-DD.`);
  }
  return day;
}

function parseShipTo(addresses: unknown): ShipTo {
  const all = (addresses ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const address = all.shipTo ?? all.singleLocation;
  if (!address) {
    throw incorrectData(
      'MissingAddress',
      'The transaction has no shipTo or singleLocation address.',
    );
  }
  const country = text(address.country)?.toUpperCase();
  const region = text(address.region)?.toUpperCase();
  if (!country) throw incorrectData('InvalidCountry', 'The shipTo address has no country.');
  if (!region) throw incorrectData('InvalidCountryRegion', 'The shipTo address has no region.');
  return {
    line1: text(address.line1),
    city: text(address.city),
    region,
    country,
    postalCode: text(address.postalCode),
  };
}

function toMinor(amount: number, decimals: number): number {
  return Math.round(amount * 10 ** decimals);
}

function parseLine(raw: unknown, index: number, decimals: number): ParsedLine {
  const line = (raw ?? {}) as Record<string, unknown>;
  const amount = line.amount;
  if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    throw incorrectData(
      'ValueRequiredError',
      `The field lines[${index}].amount is required and must be a number.`,
    );
  }
  const quantity = line.quantity === undefined ? 1 : Number(line.quantity);
  if (!Number.isFinite(quantity) || quantity < 0) {
    throw incorrectData('RangeError', `The field lines[${index}].quantity must be zero or more.`);
  }
  return {
    lineNumber: text(line.number) ?? String(index + 1),
    itemCode: text(line.itemCode),
    taxCode: text(line.taxCode) ?? 'P0000000',
    description: text(line.description),
    quantity,
    amountMinor: toMinor(amount, decimals),
  };
}

/** Validates a CreateTransactionModel and reads the fields the sandbox uses. */
export function parseTransactionRequest(body: unknown): TransactionRequest {
  if (typeof body !== 'object' || body === null)
    throw incorrectData('ModelRequired', 'The request body must be a CreateTransactionModel.');
  const model = body as Record<string, unknown>;
  const customerCode = text(model.customerCode);
  if (!customerCode)
    throw incorrectData('ValueRequiredError', 'The field customerCode is required.');
  const currencyCode = (text(model.currencyCode) ?? 'USD').toUpperCase();
  const decimals = CURRENCY_DECIMALS[currencyCode] ?? 2;
  if (!Array.isArray(model.lines) || model.lines.length === 0) {
    throw incorrectData('MissingLine', 'The transaction has no lines; add at least one.');
  }
  return {
    companyCode: text(model.companyCode) ?? 'DEFAULT',
    code: text(model.code) ?? randomUUID(),
    type: parseDocumentType(model.type),
    date: parseDate(model.date),
    customerCode,
    currencyCode,
    commit: model.commit === true,
    exemptionNo: text(model.exemptionNo),
    shipTo: parseShipTo(model.addresses),
    lines: model.lines.map((line, index) => parseLine(line, index, decimals)),
  };
}

function jurisdictionsFor(shipTo: ShipTo, date: string): Jurisdiction[] {
  const place = { country: shipTo.country, region: shipTo.region };
  if (shipTo.country === 'US') {
    const state = usStateRateOn(shipTo.region, date);
    if (!state)
      throw incorrectData(
        'InvalidCountryRegion',
        `Region ${shipTo.region} is not a US state or DC.`,
      );
    return [
      {
        ...place,
        jurisdictionType: 'State',
        jurisCode: shipTo.region,
        jurisName: state.name.toUpperCase(),
        taxName: `${shipTo.region} STATE TAX`,
        taxType: 'Sales',
        rate: state.rate,
      },
    ];
  }
  if (shipTo.country === 'CA') {
    const taxes = canadianTaxesOn(shipTo.region, date);
    if (!taxes)
      throw incorrectData(
        'InvalidCountryRegion',
        `Region ${shipTo.region} is not a Canadian province or territory.`,
      );
    return taxes.map((tax) => ({
      ...place,
      jurisdictionType: tax.jurisdictionType,
      jurisCode: tax.jurisdictionType === 'Country' ? 'CA' : shipTo.region,
      jurisName: tax.jurisName,
      taxName: tax.taxName,
      taxType: tax.taxName.endsWith('PST') || tax.taxName.endsWith('RST') ? 'Sales' : 'Output',
      rate: tax.rate,
    }));
  }
  return [];
}

/** Multiplies an amount in minor units by a rate and rounds half away from zero, in exact integers. */
export function taxOn(amountMinor: number, rate: number): number {
  const ratePpm = Math.round(rate * 1_000_000);
  const sign = amountMinor < 0 ? -1 : 1;
  const product = Math.abs(amountMinor) * ratePpm;
  return sign * Math.floor((product + 500_000) / 1_000_000);
}

interface Money {
  toMajor(minor: number): number;
}

/** One computed line: the TransactionLineModel to return and its amounts in minor units. */
interface ComputedLine {
  model: Record<string, unknown>;
  amountMinor: number;
  taxableMinor: number;
  taxMinor: number;
  /** Tax of each jurisdiction, in the order of the jurisdictions. */
  jurisdictionTaxMinor: number[];
}

function computeLine(
  line: ParsedLine,
  jurisdictions: Jurisdiction[],
  exempt: boolean,
  money: Money,
): ComputedLine {
  const taxableMinor = exempt || line.taxCode === NON_TAXABLE_TAX_CODE ? 0 : line.amountMinor;
  const jurisdictionTaxMinor = jurisdictions.map((jurisdiction) =>
    taxOn(taxableMinor, jurisdiction.rate),
  );
  const taxMinor = jurisdictionTaxMinor.reduce((sum, tax) => sum + tax, 0);
  const details = jurisdictions.map((jurisdiction, index) => ({
    country: jurisdiction.country,
    region: jurisdiction.region,
    jurisCode: jurisdiction.jurisCode,
    jurisName: jurisdiction.jurisName,
    jurisType: jurisdiction.jurisdictionType === 'Country' ? 'CNT' : 'STA',
    jurisdictionType: jurisdiction.jurisdictionType,
    taxName: jurisdiction.taxName,
    taxType: jurisdiction.taxType,
    rateType: 'General',
    rate: jurisdiction.rate,
    taxableAmount: money.toMajor(taxableMinor),
    nonTaxableAmount: money.toMajor(line.amountMinor - taxableMinor),
    tax: money.toMajor(jurisdictionTaxMinor[index] ?? 0),
    taxCalculated: money.toMajor(jurisdictionTaxMinor[index] ?? 0),
  }));
  const model = {
    lineNumber: line.lineNumber,
    itemCode: line.itemCode,
    description: line.description,
    taxCode: line.taxCode,
    quantity: line.quantity,
    lineAmount: money.toMajor(line.amountMinor),
    isItemTaxable: taxableMinor !== 0 || line.amountMinor === 0,
    taxableAmount: money.toMajor(taxableMinor),
    exemptAmount: money.toMajor(line.amountMinor - taxableMinor),
    tax: money.toMajor(taxMinor),
    taxCalculated: money.toMajor(taxMinor),
    details,
  };
  return { model, amountMinor: line.amountMinor, taxableMinor, taxMinor, jurisdictionTaxMinor };
}

function summarize(jurisdictions: Jurisdiction[], lines: ComputedLine[], money: Money) {
  const amountMinor = lines.reduce((sum, line) => sum + line.amountMinor, 0);
  const taxableMinor = lines.reduce((sum, line) => sum + line.taxableMinor, 0);
  return jurisdictions.map((jurisdiction, index) => {
    const taxMinor = lines.reduce((sum, line) => sum + (line.jurisdictionTaxMinor[index] ?? 0), 0);
    return {
      country: jurisdiction.country,
      region: jurisdiction.region,
      jurisType: jurisdiction.jurisdictionType,
      jurisCode: jurisdiction.jurisCode,
      jurisName: jurisdiction.jurisName,
      taxName: jurisdiction.taxName,
      taxType: jurisdiction.taxType,
      rateType: 'General',
      rate: jurisdiction.rate,
      taxable: money.toMajor(taxableMinor),
      nonTaxable: money.toMajor(amountMinor - taxableMinor),
      tax: money.toMajor(taxMinor),
      taxCalculated: money.toMajor(taxMinor),
    };
  });
}

/** Returns the status of a new document: estimates are temporary, invoices saved or committed. */
function documentStatus(request: TransactionRequest): TransactionModel['status'] {
  if (request.type === 'SalesOrder') return 'Temporary';
  return request.commit ? 'Committed' : 'Saved';
}

/** Computes the TransactionModel for a validated request. `id` is the transaction's number. */
export function computeTransaction(request: TransactionRequest, id: number): TransactionModel {
  const decimals = CURRENCY_DECIMALS[request.currencyCode] ?? 2;
  const money: Money = { toMajor: (minor) => Number((minor / 10 ** decimals).toFixed(decimals)) };
  const jurisdictions = jurisdictionsFor(request.shipTo, request.date);
  const exempt = request.exemptionNo !== null;
  const lines = request.lines.map((line) => computeLine(line, jurisdictions, exempt, money));

  const amountMinor = lines.reduce((sum, line) => sum + line.amountMinor, 0);
  const taxableMinor = lines.reduce((sum, line) => sum + line.taxableMinor, 0);
  const taxMinor = lines.reduce((sum, line) => sum + line.taxMinor, 0);
  return {
    id,
    code: request.code,
    companyCode: request.companyCode,
    date: request.date,
    taxDate: request.date,
    status: documentStatus(request),
    type: request.type,
    currencyCode: request.currencyCode,
    customerCode: request.customerCode,
    exemptNo: request.exemptionNo,
    locked: false,
    version: 1,
    exchangeRate: 1,
    totalAmount: money.toMajor(amountMinor),
    totalExempt: money.toMajor(amountMinor - taxableMinor),
    totalDiscount: 0,
    totalTaxable: money.toMajor(taxableMinor),
    totalTax: money.toMajor(taxMinor),
    totalTaxCalculated: money.toMajor(taxMinor),
    addresses: [{ ...request.shipTo, boundaryLevel: 'Zip5' }],
    lines: lines.map((line) => line.model),
    summary: summarize(jurisdictions, lines, money),
  };
}
