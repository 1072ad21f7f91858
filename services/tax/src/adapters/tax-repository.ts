import type { CurrencyCode } from '@orderflow/contracts';
import type { Knex } from 'knex';
import type { JurisdictionTax } from '../domain/fallback-tax.js';

/**
 * Retention of tax audit records. NOTE: nothing deletes expired rows yet; a purge job must
 * delete rows whose `retain_until` has passed.
 */
export const TAX_AUDIT_RETENTION_YEARS = 7;

export type TaxSource = 'provider' | 'fallback_rates';

export interface TaxCalculationRow {
  order_id: string;
  currency: CurrencyCode;
  /** PostgreSQL bigint columns arrive as strings. */
  subtotal_minor: string;
  tax_minor: string;
  total_minor: string;
  source: TaxSource;
  fallback_reason: string | null;
  transaction_code: string | null;
  jurisdictions: JurisdictionTax[];
  calculated_at: Date;
}

export interface TaxCalculation {
  orderId: string;
  currency: CurrencyCode;
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  source: TaxSource;
  fallbackReason?: string;
  transactionCode?: string;
  jurisdictions: JurisdictionTax[];
}

/** Request sent to the provider and its response, without personal data. */
export interface TaxAuditEntry {
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

export async function findCalculation(
  db: Knex | Knex.Transaction,
  orderId: string,
): Promise<TaxCalculationRow | undefined> {
  return (await db('tax_calculations').where({ order_id: orderId }).first()) as
    TaxCalculationRow | undefined;
}

/** Inserts the order's calculation and its audit record. */
export async function saveCalculation(
  trx: Knex.Transaction,
  calculation: TaxCalculation,
  audit: TaxAuditEntry,
): Promise<void> {
  await trx('tax_calculations').insert({
    order_id: calculation.orderId,
    currency: calculation.currency,
    subtotal_minor: calculation.subtotalMinor,
    tax_minor: calculation.taxMinor,
    total_minor: calculation.totalMinor,
    source: calculation.source,
    fallback_reason: calculation.fallbackReason ?? null,
    transaction_code: calculation.transactionCode ?? null,
    jurisdictions: JSON.stringify(calculation.jurisdictions),
  });
  await trx('tax_audit_records').insert({
    order_id: calculation.orderId,
    source: calculation.source,
    request: JSON.stringify(audit.request),
    response: JSON.stringify(audit.response),
    retain_until: trx.raw(`(now() + make_interval(years => ?))::date`, [TAX_AUDIT_RETENTION_YEARS]),
  });
}
