import type { CheckoutOrder } from '@orderflow/contracts';
import type { HandlerContext } from '@orderflow/messaging';
import { ProviderError } from '@orderflow/service-kit';
import {
  findCalculation,
  saveCalculation,
  type TaxAuditEntry,
  type TaxCalculation,
} from '../adapters/tax-repository.js';
import { calculateFallbackTax, type UsStateRate } from '../domain/fallback-tax.js';
import type { ProviderTax, TaxProvider, TaxRequest } from '../domain/tax-ports.js';

/**
 * Calculates the order's tax with the provider, or from stored rates when the provider fails,
 * then stores the calculation with its audit record and emits `tax.calculated`. An order that
 * already has a calculation is skipped, so a second `order.created` emits nothing.
 */
export async function calculateOrderTax(
  order: CheckoutOrder,
  provider: TaxProvider,
  usStateRates: ReadonlyMap<string, UsStateRate>,
  ctx: HandlerContext,
): Promise<void> {
  if (await findCalculation(ctx.trx, order.orderId)) {
    ctx.log.info('tax already calculated, skipped');
    return;
  }
  const request = taxRequestFor(order);
  const { calculation, audit } = await calculate(order, request, provider, usStateRates, ctx);
  await saveCalculation(ctx.trx, calculation, audit);
  await ctx.publish({
    type: 'tax.calculated',
    subject: order.orderId,
    data: {
      orderId: calculation.orderId,
      currency: calculation.currency,
      subtotalMinor: calculation.subtotalMinor,
      taxMinor: calculation.taxMinor,
      totalMinor: calculation.totalMinor,
      source: calculation.source,
      jurisdictions: calculation.jurisdictions,
      ...(calculation.fallbackReason ? { fallbackReason: calculation.fallbackReason } : {}),
      ...(calculation.transactionCode ? { transactionCode: calculation.transactionCode } : {}),
    },
  });
  ctx.log.info(
    { taxMinor: calculation.taxMinor, source: calculation.source, currency: calculation.currency },
    'tax calculated',
  );
}

/**
 * Builds the provider request. It is an estimate that the provider does not record as a sale.
 *
 * NOTE: nothing commits the sale to the provider after payment.captured or voids it after a
 * refund yet, so the provider's records hold no committed transactions from this service.
 */
function taxRequestFor(order: CheckoutOrder): TaxRequest {
  return {
    orderId: order.orderId,
    currency: order.currency,
    customerCode: order.customer.id,
    shipTo: order.shipTo,
    lines: order.lines.map((line, index) => ({
      number: String(index + 1),
      amountMinor: line.lineTotalMinor,
      quantity: line.quantity,
      itemCode: line.productId,
    })),
    commit: false,
    date: order.placedAt,
  };
}

type CalculationBase = Pick<TaxCalculation, 'orderId' | 'currency' | 'subtotalMinor'>;

interface CalculationWithAudit {
  calculation: TaxCalculation;
  audit: TaxAuditEntry;
}

async function calculate(
  order: CheckoutOrder,
  request: TaxRequest,
  provider: TaxProvider,
  usStateRates: ReadonlyMap<string, UsStateRate>,
  ctx: HandlerContext,
): Promise<CalculationWithAudit> {
  const base = {
    orderId: order.orderId,
    currency: order.currency,
    subtotalMinor: order.totals.subtotalMinor,
  };
  const auditRequest = auditedRequest(request);
  let result: ProviderTax;
  try {
    result = await provider.calculateTax(request);
  } catch (error) {
    // The adapter's policy has already retried, or its circuit is open. Stored rates keep
    // payment from waiting, and the event states that they were used.
    if (!(error instanceof ProviderError)) throw error;
    ctx.log.warn({ err: error, code: error.code }, 'tax provider failed, using stored rates');
    return fromStoredRates(order, base, error, usStateRates, auditRequest);
  }
  return {
    calculation: {
      ...base,
      taxMinor: result.taxMinor,
      totalMinor: base.subtotalMinor + result.taxMinor,
      source: 'provider',
      transactionCode: result.transactionCode,
      jurisdictions: result.jurisdictions.map(({ name, type, rate, taxMinor }) => ({
        name,
        type,
        rate,
        taxMinor,
      })),
    },
    audit: { request: auditRequest, response: { ...result } },
  };
}

function fromStoredRates(
  order: CheckoutOrder,
  base: CalculationBase,
  error: ProviderError,
  usStateRates: ReadonlyMap<string, UsStateRate>,
  auditRequest: Record<string, unknown>,
): CalculationWithAudit {
  const fallback = calculateFallbackTax(order, usStateRates);
  return {
    calculation: {
      ...base,
      taxMinor: fallback.taxMinor,
      totalMinor: base.subtotalMinor + fallback.taxMinor,
      source: 'fallback_rates',
      fallbackReason: `tax provider failed (${error.code}); ${fallback.basis}`,
      jurisdictions: fallback.jurisdictions,
    },
    audit: {
      request: auditRequest,
      response: {
        providerError: { provider: error.provider, code: error.code, retryable: error.retryable },
        fallback: { ...fallback },
      },
    },
  };
}

/**
 * Builds the audit copy of the provider request. It leaves out the customer code, name and
 * street, and keeps only the address fields that decide the jurisdiction.
 */
function auditedRequest(request: TaxRequest): Record<string, unknown> {
  const { city, region, postalCode, country } = request.shipTo;
  return {
    date: request.date,
    currency: request.currency,
    commit: request.commit,
    shipTo: { city, region, postalCode, country },
    lines: request.lines,
  };
}
