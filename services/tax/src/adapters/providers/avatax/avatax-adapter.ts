import type { CurrencyCode } from '@orderflow/contracts';
import {
  PROVIDER_POLICY_PRESETS,
  ProviderError,
  ValidationError,
  createProviderPolicy,
  type Logger,
  type ProviderPolicyOptions,
} from '@orderflow/service-kit';
import { DocumentType } from 'avatax/lib/enums/DocumentType.js';
import { VoidReasonCode } from 'avatax/lib/enums/VoidReasonCode.js';
import type { CreateTransactionModel } from 'avatax/lib/models/CreateTransactionModel.js';
import type { IPolicy } from 'cockatiel';
import { createAvaTaxClient, type AvaTaxClient, type AvaTaxConfig } from './avatax-client.js';
import { isAvaTaxAnswer, toPolicyError, toProviderError } from './avatax-errors.js';
import { toMajorUnits, toMinorUnits } from './minor-units.js';

/** Logger methods the adapter uses; a pino logger fits. */
export type AvaTaxAdapterLogger = Pick<Logger, 'info' | 'warn'>;

export interface AvaTaxAdapterConfig extends AvaTaxConfig {
  /** Resilience limits; defaults to `PROVIDER_POLICY_PRESETS.standard`. */
  policy?: ProviderPolicyOptions;
}

export interface TaxCalculationRequest {
  orderId: string;
  currency: CurrencyCode;
  customerCode: string;
  shipTo: { street: string; city: string; region: string; postalCode: string; country: string };
  lines: {
    number: string;
    amountMinor: number;
    quantity: number;
    itemCode: string;
    taxCode?: string;
  }[];
  /**
   * True records the sale as a committed SalesInvoice under the order id, which
   * `voidTransaction` can undo. False requests an estimate (SalesOrder) that AvaTax does not record.
   */
  commit: boolean;
  /** Date of the sale (YYYY-MM-DD or ISO 8601), which picks the rates in force; defaults to today. */
  date?: string;
}

/** Tax of one jurisdiction, summed over the lines. */
export interface JurisdictionTax {
  /** Jurisdiction name as AvaTax reports it, such as `TEXAS` or `CANADA`. */
  name: string;
  /** Jurisdiction level: `Country`, `State`, `County`, `City` or `Special`. */
  type: string;
  /** Name of the tax, such as `CANADA GST` or `ON HST`. */
  taxName: string;
  /** Decimal fraction, such as 0.0625 for 6.25 %. */
  rate: number;
  taxMinor: number;
}

export interface TaxCalculation {
  taxMinor: number;
  /** Line amounts plus tax, in minor units. */
  totalMinor: number;
  /** AvaTax document code, which is the order id. */
  transactionCode: string;
  jurisdictions: JurisdictionTax[];
}

export type VoidResult = {
  outcome: 'voided' | 'already_voided' | 'not_found';
  transactionCode: string;
};

/** The fields of a TransactionModel that the adapter reads; the SDK returns the JSON as it is. */
interface TransactionSummary {
  code?: string;
  status?: string;
  totalAmount?: number;
  totalTax?: number;
  summary?: {
    jurisName?: string;
    jurisType?: unknown;
    taxName?: string;
    rate?: number;
    tax?: number;
  }[];
}

function saleDate(date: string | undefined): Date {
  const day = (date ?? new Date().toISOString()).slice(0, 10);
  const parsed = new Date(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(parsed.getTime())) {
    throw new ValidationError([
      { path: 'date', message: `must be a date such as 2024-05-01, got ${date}` },
    ]);
  }
  return parsed;
}

function validateLines(lines: TaxCalculationRequest['lines']): void {
  if (lines.length === 0)
    throw new ValidationError([{ path: 'lines', message: 'must contain at least one line' }]);
  lines.forEach((line, index) => {
    if (!Number.isSafeInteger(line.amountMinor)) {
      throw new ValidationError([
        {
          path: `lines.${index}.amountMinor`,
          message: `must be an integer, got ${line.amountMinor}`,
        },
      ]);
    }
  });
}

/**
 * Sales tax through AvaTax. Amounts go in and come back in minor units; the adapter converts
 * them to AvaTax's decimal major units by the currency's number of minor digits. Every call
 * runs under the standard resilience policy, and faults are thrown as `ProviderError`.
 *
 * Logs carry order ids, transaction codes and amounts, never the license key.
 */
export class AvaTaxAdapter {
  private readonly client: AvaTaxClient;
  private readonly policy: IPolicy;
  private readonly companyCode: string;

  constructor(
    config: AvaTaxAdapterConfig,
    private readonly log: AvaTaxAdapterLogger,
  ) {
    const policyOptions = config.policy ?? PROVIDER_POLICY_PRESETS.standard;
    this.client = createAvaTaxClient({ requestTimeoutMs: policyOptions.timeoutMs, ...config });
    this.policy = createProviderPolicy(policyOptions);
    this.companyCode = config.companyCode;
  }

  /**
   * Calculates the tax of an order. A committed invoice whose code already exists (a retry
   * after a lost response) is read back instead, provided that its amount matches the request.
   */
  async calculateTax(request: TaxCalculationRequest): Promise<TaxCalculation> {
    validateLines(request.lines);
    const model: CreateTransactionModel = {
      type: request.commit ? DocumentType.SalesInvoice : DocumentType.SalesOrder,
      code: request.orderId,
      companyCode: this.companyCode,
      date: saleDate(request.date),
      customerCode: request.customerCode,
      currencyCode: request.currency,
      commit: request.commit,
      addresses: {
        shipTo: {
          line1: request.shipTo.street,
          city: request.shipTo.city,
          region: request.shipTo.region,
          postalCode: request.shipTo.postalCode,
          country: request.shipTo.country,
        },
      },
      lines: request.lines.map((line) => ({
        number: line.number,
        amount: toMajorUnits(line.amountMinor, request.currency),
        quantity: line.quantity,
        itemCode: line.itemCode,
        ...(line.taxCode ? { taxCode: line.taxCode } : {}),
      })),
    };

    const transaction = await this.call('calculate tax', async (): Promise<TransactionSummary> => {
      try {
        return (await this.client.createTransaction({ model })) as TransactionSummary;
      } catch (error) {
        if (!request.commit || !isAvaTaxAnswer(error) || error.code !== 'TransactionAlreadyExists')
          throw error;
        return this.existingInvoice(request);
      }
    });
    const result = this.toCalculation(transaction, request);
    this.log.info(
      {
        orderId: request.orderId,
        transactionCode: result.transactionCode,
        taxMinor: result.taxMinor,
        commit: request.commit,
      },
      'avatax tax calculated',
    );
    return result;
  }

  /** Voids the committed invoice of an order; voiding twice or voiding an estimate is harmless. */
  async voidTransaction(transactionCode: string): Promise<VoidResult> {
    const result = await this.call('void transaction', async (): Promise<VoidResult> => {
      try {
        await this.client.voidTransaction({
          companyCode: this.companyCode,
          transactionCode,
          documentType: DocumentType.SalesInvoice,
          model: { code: VoidReasonCode.DocVoided },
        });
        return { outcome: 'voided', transactionCode };
      } catch (error) {
        if (isAvaTaxAnswer(error) && error.code === 'TransactionAlreadyCancelled')
          return { outcome: 'already_voided', transactionCode };
        if (isAvaTaxAnswer(error) && error.code === 'EntityNotFoundError')
          return { outcome: 'not_found', transactionCode };
        throw error;
      }
    });
    this.log.info({ transactionCode, outcome: result.outcome }, 'avatax transaction voided');
    return result;
  }

  private async existingInvoice(request: TaxCalculationRequest): Promise<TransactionSummary> {
    const existing = (await this.client.getTransactionByCode({
      companyCode: this.companyCode,
      transactionCode: request.orderId,
      documentType: DocumentType.SalesInvoice,
    })) as TransactionSummary;
    const requestedMinor = request.lines.reduce((sum, line) => sum + line.amountMinor, 0);
    const recordedMinor = toMinorUnits(existing.totalAmount ?? 0, request.currency);
    if (existing.status === 'Cancelled' || recordedMinor !== requestedMinor) {
      throw new ProviderError(
        'avatax',
        'AVATAX_TRANSACTION_CODE_CONFLICT',
        `AvaTax already holds a ${existing.status} invoice ${request.orderId} of ${recordedMinor}, not ${requestedMinor}`,
        {
          retryable: false,
          statusCode: 409,
        },
      );
    }
    this.log.info({ orderId: request.orderId }, 'avatax invoice already recorded, reusing it');
    return existing;
  }

  private toCalculation(
    transaction: TransactionSummary,
    request: TaxCalculationRequest,
  ): TaxCalculation {
    const taxMinor = toMinorUnits(transaction.totalTax ?? 0, request.currency);
    return {
      taxMinor,
      totalMinor: toMinorUnits(transaction.totalAmount ?? 0, request.currency) + taxMinor,
      transactionCode: transaction.code ?? request.orderId,
      jurisdictions: (transaction.summary ?? []).map((entry) => ({
        name: entry.jurisName ?? '',
        type: String(entry.jurisType ?? ''),
        taxName: entry.taxName ?? '',
        rate: entry.rate ?? 0,
        taxMinor: toMinorUnits(entry.tax ?? 0, request.currency),
      })),
    };
  }

  /** Runs one SDK call under the policy and converts every failure into a `ProviderError`. */
  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(async () => {
        try {
          return await run();
        } catch (error) {
          throw toProviderError(error, operation);
        }
      });
    } catch (error) {
      const mapped = toPolicyError(error, operation);
      if (mapped instanceof ProviderError) {
        this.log.warn(
          { operation, code: mapped.code, retryable: mapped.retryable },
          'avatax call failed',
        );
      }
      throw mapped;
    }
  }
}
