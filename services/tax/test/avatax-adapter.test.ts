import { randomUUID } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '@orderflow/sandbox';
import { ProviderError, createLogger, type ProviderPolicyOptions } from '@orderflow/service-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AvaTaxAdapter,
  type AvaTaxAdapterConfig,
  type TaxCalculationRequest,
} from '../src/adapters/providers/avatax/avatax-adapter.js';

const LICENSE_KEY = 'sandbox-license-9f2c';

/** Short limits so that retry and timeout cases finish quickly. */
const TEST_POLICY: ProviderPolicyOptions = {
  timeoutMs: 2_000,
  maxAttempts: 3,
  breakerAfterFailures: 1_000,
  halfOpenAfterMs: 1_000,
  maxConcurrent: 8,
};

let sandbox: RunningSandbox;
const logLines: string[] = [];
const log = createLogger({
  service: 'tax-test',
  level: 'debug',
  destination: { write: (line: string) => void logLines.push(line) },
});

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

afterEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/avatax/faults`, { method: 'DELETE' });
});

function adapter(overrides: Partial<AvaTaxAdapterConfig> = {}): AvaTaxAdapter {
  return new AvaTaxAdapter(
    {
      accountId: '1100000000',
      licenseKey: LICENSE_KEY,
      companyCode: 'ORDERFLOW',
      baseUrl: sandbox.url,
      policy: TEST_POLICY,
      ...overrides,
    },
    log,
  );
}

function order(overrides: Partial<TaxCalculationRequest> = {}): TaxCalculationRequest {
  return {
    orderId: `US-${randomUUID()}`,
    currency: 'USD',
    customerCode: 'DP-13000',
    shipTo: {
      street: '798 Hillcrest Road',
      city: 'Houston',
      region: 'TX',
      postalCode: '77095',
      country: 'US',
    },
    lines: [{ number: '1', amountMinor: 1_645, quantity: 2, itemCode: 'OFF-PA-10000174' }],
    commit: false,
    date: '2019-01-03',
    ...overrides,
  };
}

async function injectFault(fault: {
  statusCode?: number;
  delayMs?: number;
  count: number;
}): Promise<void> {
  const response = await fetch(`${sandbox.url}/_sandbox/avatax/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(response.status).toBe(201);
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('AvaTaxAdapter.calculateTax', () => {
  it('calculates Texas tax in minor units', async () => {
    const request = order();

    const result = await adapter().calculateTax(request);

    expect(result).toEqual({
      taxMinor: 103,
      totalMinor: 1_748,
      transactionCode: request.orderId,
      jurisdictions: [
        { name: 'TEXAS', type: 'State', taxName: 'TX STATE TAX', rate: 0.0625, taxMinor: 103 },
      ],
    });
  });

  it('sums several lines', async () => {
    const lines = [
      { number: '1', amountMinor: 354, quantity: 2, itemCode: 'OFF-BI-10004094' },
      { number: '2', amountMinor: 1_178, quantity: 3, itemCode: 'OFF-LA-10003223' },
      { number: '3', amountMinor: 27_274, quantity: 3, itemCode: 'OFF-ST-10002743' },
    ];

    const result = await adapter().calculateTax(order({ lines }));

    expect(result.taxMinor).toBe(22 + 74 + 1_705);
    expect(result.totalMinor).toBe(354 + 1_178 + 27_274 + 1_801);
  });

  it('reports GST and QST for Quebec', async () => {
    const shipTo = {
      street: '1 Rue Sainte-Catherine',
      city: 'Montreal',
      region: 'QC',
      postalCode: 'H3B',
      country: 'CA',
    };

    const result = await adapter().calculateTax(
      order({
        currency: 'CAD',
        shipTo,
        lines: [{ number: '1', amountMinor: 10_000, quantity: 1, itemCode: 'X' }],
      }),
    );

    expect(result.taxMinor).toBe(500 + 998);
    expect(
      result.jurisdictions.map((jurisdiction) => [
        jurisdiction.taxName,
        jurisdiction.type,
        jurisdiction.taxMinor,
      ]),
    ).toEqual([
      ['CANADA GST', 'Country', 500],
      ['QC QST', 'State', 998],
    ]);
  });

  it('uses the rates in force on the sale date', async () => {
    const shipTo = {
      street: '1 Portage Ave',
      city: 'Winnipeg',
      region: 'MB',
      postalCode: 'R3C',
      country: 'CA',
    };
    const line = [{ number: '1', amountMinor: 10_000, quantity: 1, itemCode: 'X' }];

    const before = await adapter().calculateTax(
      order({ currency: 'CAD', shipTo, lines: line, date: '2019-06-30' }),
    );
    const after = await adapter().calculateTax(
      order({ currency: 'CAD', shipTo, lines: line, date: '2019-07-01T15:30:00Z' }),
    );

    expect(before.taxMinor).toBe(1_300);
    expect(after.taxMinor).toBe(1_200);
  });

  it('converts zero-decimal and three-decimal currencies', async () => {
    const yen = await adapter().calculateTax(
      order({
        currency: 'JPY',
        lines: [{ number: '1', amountMinor: 999, quantity: 1, itemCode: 'X' }],
      }),
    );
    const dinar = await adapter().calculateTax(
      order({
        currency: 'KWD',
        lines: [{ number: '1', amountMinor: 12_345, quantity: 1, itemCode: 'X' }],
      }),
    );

    expect(yen.taxMinor).toBe(62);
    expect(yen.totalMinor).toBe(1_061);
    expect(dinar.taxMinor).toBe(772);
  });

  it('exempts a line with the non-taxable tax code', async () => {
    const lines = [
      { number: '1', amountMinor: 10_000, quantity: 1, itemCode: 'A' },
      { number: '2', amountMinor: 5_000, quantity: 1, itemCode: 'B', taxCode: 'NT' },
    ];

    const result = await adapter().calculateTax(order({ lines }));

    expect(result.taxMinor).toBe(625);
  });

  it('raises a final error for an unknown state', async () => {
    const error = await rejection(
      adapter().calculateTax(
        order({
          shipTo: {
            street: '1 Main St',
            city: 'Nowhere',
            region: 'XX',
            postalCode: '00000',
            country: 'US',
          },
        }),
      ),
    );

    expect(error.code).toBe('AVATAX_REQUEST_REJECTED');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('InvalidCountryRegion');
  });

  it('rejects an order without lines before calling AvaTax', async () => {
    await expect(adapter().calculateTax(order({ lines: [] }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

describe('AvaTaxAdapter committed invoices', () => {
  it('reuses a committed invoice when the same order is committed again', async () => {
    const request = order({ commit: true });

    const first = await adapter().calculateTax(request);
    const second = await adapter().calculateTax(request);

    expect(second).toEqual(first);
    expect(logLines.join('\n')).toContain('avatax invoice already recorded, reusing it');
  });

  it('raises a final conflict when the same code is committed with another amount', async () => {
    const request = order({ commit: true });
    await adapter().calculateTax(request);

    const error = await rejection(
      adapter().calculateTax({
        ...request,
        lines: [{ number: '1', amountMinor: 999, quantity: 1, itemCode: 'X' }],
      }),
    );

    expect(error.code).toBe('AVATAX_TRANSACTION_CODE_CONFLICT');
    expect(error.retryable).toBe(false);
  });

  it('voids a committed invoice, and voiding again is harmless', async () => {
    const request = order({ commit: true });
    await adapter().calculateTax(request);

    const first = await adapter().voidTransaction(request.orderId);
    const second = await adapter().voidTransaction(request.orderId);

    expect(first).toEqual({ outcome: 'voided', transactionCode: request.orderId });
    expect(second).toEqual({ outcome: 'already_voided', transactionCode: request.orderId });
  });

  it('reports an estimate as not found when voided', async () => {
    const request = order({ commit: false });
    await adapter().calculateTax(request);

    const result = await adapter().voidTransaction(request.orderId);

    expect(result).toEqual({ outcome: 'not_found', transactionCode: request.orderId });
  });
});

describe('AvaTaxAdapter faults', () => {
  it('retries a 500 and then succeeds', async () => {
    await injectFault({ statusCode: 500, count: 1 });

    const result = await adapter().calculateTax(order());

    expect(result.taxMinor).toBe(103);
  });

  it('raises a retryable error after every attempt is rate limited', async () => {
    await injectFault({ statusCode: 429, count: TEST_POLICY.maxAttempts });

    const error = await rejection(adapter().calculateTax(order()));

    expect(error.code).toBe('AVATAX_RATE_LIMITED');
    expect(error.retryable).toBe(true);
  });

  it('raises a retryable timeout when AvaTax is slow', async () => {
    await injectFault({ delayMs: 400, count: 1 });
    const quick = { ...TEST_POLICY, timeoutMs: 100, maxAttempts: 1 };

    const error = await rejection(adapter({ policy: quick }).calculateTax(order()));

    expect(error.code).toBe('AVATAX_TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('raises a final error when the credentials are rejected', async () => {
    const error = await rejection(adapter({ licenseKey: '' }).calculateTax(order()));

    expect(error.code).toBe('AVATAX_AUTHENTICATION_FAILED');
    expect(error.retryable).toBe(false);
  });

  it('raises a retryable error when nothing listens at the base URL', async () => {
    const closed = await startSandbox({ port: 0 });
    await closed.close();

    const error = await rejection(adapter({ baseUrl: closed.url }).calculateTax(order()));

    expect(error.code).toBe('AVATAX_UNREACHABLE');
    expect(error.retryable).toBe(true);
  });

  // The SDK sends requests to production when `environment` is not an http(s) URL.
  it('rejects a base URL without scheme', () => {
    expect(() => adapter({ baseUrl: '127.0.0.1:4010' })).toThrow(/must start with http/);
  });

  it('never logs the license key', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(LICENSE_KEY);
  });
});
