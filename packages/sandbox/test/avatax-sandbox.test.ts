import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAvaTax } from '../src/providers/avatax.js';
import { taxOn } from '../src/providers/avatax/transactions.js';
import {
  US_STATE_RATES,
  parseUsStateRates,
  splitCsvLine,
} from '../src/providers/avatax/us-state-rates.js';

const CREDENTIALS = `Basic ${Buffer.from('2000123456:LICENSEKEY0123').toString('base64')}`;

let app: FastifyInstance;
let baseUrl: string;

beforeAll(async () => {
  app = Fastify({ logger: false });
  await registerAvaTax(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await app.close();
});

async function avatax(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  authorization: string | null = CREDENTIALS,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(authorization === null ? {} : { authorization }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

interface Place {
  region: string;
  country: string;
  postalCode?: string;
}

function transaction(place: Place, amounts: number[], extra: Record<string, unknown> = {}) {
  return {
    type: 'SalesOrder',
    companyCode: 'ORDERFLOW',
    date: '2024-05-01',
    customerCode: 'DP-13000',
    currencyCode: place.country === 'CA' ? 'CAD' : 'USD',
    addresses: { shipTo: { line1: '1 Main St', city: 'Somewhere', postalCode: '00000', ...place } },
    lines: amounts.map((amount, index) => ({
      number: String(index + 1),
      amount,
      quantity: 1,
      itemCode: `SKU-${index}`,
    })),
    ...extra,
  };
}

async function create(body: unknown): Promise<{ status: number; body: any }> {
  return avatax('POST', '/api/v2/transactions/create', body);
}

/** Tax in major units on 100.00, rounded half up: the rate in millionths divided by 100 is the tax in cents. */
function taxOnHundred(rate: number): number {
  return Math.round(Math.round(rate * 1_000_000) / 100) / 100;
}

const TEXAS: Place = { region: 'TX', country: 'US', postalCode: '77095' };

describe('avatax sandbox authentication and ping', () => {
  it('answers ping without credentials as unauthenticated', async () => {
    const response = await avatax('GET', '/api/v2/utilities/ping', undefined, null);

    expect(response.status).toBe(200);
    expect(response.body.authenticated).toBe(false);
  });

  it('answers ping with credentials as authenticated', async () => {
    const response = await avatax('GET', '/api/v2/utilities/ping');

    expect(response.body.authenticated).toBe(true);
    expect(response.body.authenticatedUserName).toBe('2000123456');
  });

  it('rejects a transaction without credentials', async () => {
    const response = await avatax(
      'POST',
      '/api/v2/transactions/create',
      transaction(TEXAS, [10]),
      null,
    );

    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('AuthenticationException');
    expect(response.body.error.target).toBe('HttpRequestHeaders');
    expect(response.body.error.details[0].faultCode).toBe('Client');
  });
});

describe('avatax sandbox US tax', () => {
  it('charges the Texas state rate with details and summary', async () => {
    const response = await create(transaction(TEXAS, [16.45]));

    expect(response.status).toBe(201);
    expect(response.body.totalAmount).toBe(16.45);
    expect(response.body.totalTax).toBe(1.03);
    expect(response.body.status).toBe('Temporary');
    expect(response.body.lines[0].tax).toBe(1.03);
    expect(response.body.lines[0].details[0]).toMatchObject({
      jurisType: 'STA',
      jurisName: 'TEXAS',
      rate: 0.0625,
      tax: 1.03,
    });
    expect(response.body.summary).toEqual([
      expect.objectContaining({
        jurisType: 'State',
        jurisName: 'TEXAS',
        rate: 0.0625,
        tax: 1.03,
        taxable: 16.45,
      }),
    ]);
  });

  it('rounds each line and sums the lines into the totals', async () => {
    const response = await create(transaction(TEXAS, [3.54, 11.78, 272.74]));
    const lineTaxes = response.body.lines.map((line: any) => line.tax);

    expect(lineTaxes).toEqual([0.22, 0.74, 17.05]);
    expect(response.body.totalTax).toBe(18.01);
    expect(response.body.summary[0].tax).toBe(18.01);
  });

  it.each([...US_STATE_RATES.values()].map((state) => [state.code, state.rate] as const))(
    'charges the statewide rate of %s',
    async (code, rate) => {
      const response = await create(transaction({ region: code, country: 'US' }, [100]));

      expect(response.status).toBe(201);
      expect(response.body.summary[0].rate).toBe(rate);
      expect(response.body.totalTax).toBe(taxOnHundred(rate));
    },
  );

  it('applies an enacted rate change from its effective date', async () => {
    const before = await create(
      transaction({ region: 'SD', country: 'US' }, [100], { date: '2027-06-30' }),
    );
    const after = await create(
      transaction({ region: 'SD', country: 'US' }, [100], { date: '2027-07-01' }),
    );

    expect(before.body.totalTax).toBe(4.2);
    expect(after.body.totalTax).toBe(4.5);
  });

  it('charges nothing in a state without sales tax', async () => {
    const response = await create(transaction({ region: 'OR', country: 'US' }, [100]));

    expect(response.body.totalTax).toBe(0);
    expect(response.body.summary[0]).toMatchObject({ jurisName: 'OREGON', rate: 0, tax: 0 });
  });

  it('exempts a line with tax code NT', async () => {
    const body = transaction(TEXAS, [100, 50]);
    body.lines[1] = { ...body.lines[1], taxCode: 'NT' } as (typeof body.lines)[number];
    const response = await create(body);

    expect(response.body.totalTax).toBe(6.25);
    expect(response.body.totalExempt).toBe(50);
    expect(response.body.lines[1].isItemTaxable).toBe(false);
  });

  it('exempts the whole document with an exemption number', async () => {
    const response = await create(transaction(TEXAS, [100], { exemptionNo: 'EX-42' }));

    expect(response.body.totalTax).toBe(0);
    expect(response.body.totalExempt).toBe(100);
  });

  it('charges nothing outside the US and Canada', async () => {
    const response = await create(transaction({ region: 'BE', country: 'DE' }, [100]));

    expect(response.body.totalTax).toBe(0);
    expect(response.body.summary).toEqual([]);
  });

  it('rounds to whole units in a zero-decimal currency', async () => {
    const response = await create(transaction(TEXAS, [999], { currencyCode: 'JPY' }));

    expect(response.body.totalTax).toBe(62);
  });
});

describe('avatax sandbox Canadian tax', () => {
  const provinces = [
    ['ON', '2024-05-01', [['ON HST', 'State', 0.13]]],
    ['NB', '2024-05-01', [['NB HST', 'State', 0.15]]],
    ['NL', '2024-05-01', [['NL HST', 'State', 0.15]]],
    ['PE', '2024-05-01', [['PE HST', 'State', 0.15]]],
    ['NS', '2025-03-31', [['NS HST', 'State', 0.15]]],
    ['NS', '2025-04-01', [['NS HST', 'State', 0.14]]],
    [
      'QC',
      '2024-05-01',
      [
        ['CANADA GST', 'Country', 0.05],
        ['QC QST', 'State', 0.09975],
      ],
    ],
    [
      'BC',
      '2024-05-01',
      [
        ['CANADA GST', 'Country', 0.05],
        ['BC PST', 'State', 0.07],
      ],
    ],
    [
      'MB',
      '2019-06-30',
      [
        ['CANADA GST', 'Country', 0.05],
        ['MB RST', 'State', 0.08],
      ],
    ],
    [
      'MB',
      '2019-07-01',
      [
        ['CANADA GST', 'Country', 0.05],
        ['MB RST', 'State', 0.07],
      ],
    ],
    [
      'SK',
      '2024-05-01',
      [
        ['CANADA GST', 'Country', 0.05],
        ['SK PST', 'State', 0.06],
      ],
    ],
    ['AB', '2024-05-01', [['CANADA GST', 'Country', 0.05]]],
    ['NT', '2024-05-01', [['CANADA GST', 'Country', 0.05]]],
    ['NU', '2024-05-01', [['CANADA GST', 'Country', 0.05]]],
    ['YT', '2024-05-01', [['CANADA GST', 'Country', 0.05]]],
  ] as const;

  it.each(provinces)('charges the taxes of %s on %s', async (region, date, taxes) => {
    const response = await create(
      transaction({ region, country: 'CA', postalCode: 'M7A' }, [100], { date }),
    );
    const summary = response.body.summary.map((entry: any) => [
      entry.taxName,
      entry.jurisType,
      entry.rate,
    ]);
    const expectedCents = taxes.reduce(
      (sum, [, , rate]) => sum + Math.round(taxOnHundred(rate) * 100),
      0,
    );

    expect(response.status).toBe(201);
    expect(summary).toEqual(taxes.map((tax) => [...tax]));
    expect(response.body.totalTax).toBe(expectedCents / 100);
  });

  it('rounds QST per line', async () => {
    const response = await create(transaction({ region: 'QC', country: 'CA' }, [10]));

    expect(response.body.lines[0].details.map((detail: any) => detail.tax)).toEqual([0.5, 1]);
  });
});

describe('avatax sandbox validation', () => {
  const invalid = [
    [
      'an unknown US state',
      transaction({ region: 'XX', country: 'US' }, [10]),
      'InvalidCountryRegion',
    ],
    [
      'an unknown province',
      transaction({ region: 'XX', country: 'CA' }, [10]),
      'InvalidCountryRegion',
    ],
    ['no lines', transaction(TEXAS, []), 'MissingLine'],
    ['no shipTo address', { ...transaction(TEXAS, [10]), addresses: {} }, 'MissingAddress'],
    ['no customer code', { ...transaction(TEXAS, [10]), customerCode: '' }, 'ValueRequiredError'],
    ['a malformed date', transaction(TEXAS, [10], { date: '05/01/2024' }), 'DateFormatError'],
    [
      'a line without amount',
      { ...transaction(TEXAS, [10]), lines: [{ number: '1' }] },
      'ValueRequiredError',
    ],
    [
      'a return document type',
      transaction(TEXAS, [10], { type: 'ReturnInvoice' }),
      'InvalidDocumentType',
    ],
  ] as const;

  it.each(invalid)('rejects %s', async (_case, body, code) => {
    const response = await create(body);

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.target).toBe('IncorrectData');
    expect(response.body.error.message.length).toBeGreaterThan(0);
  });

  it('accepts the SDK numeric document type', async () => {
    const response = await create(transaction(TEXAS, [10], { type: 1, code: randomUUID() }));

    expect(response.body.type).toBe('SalesInvoice');
  });
});

describe('avatax sandbox recorded invoices and voids', () => {
  it('does not record a SalesOrder', async () => {
    const code = randomUUID();
    await create(transaction(TEXAS, [10], { code }));
    const fetched = await avatax('GET', `/api/v2/companies/ORDERFLOW/transactions/${code}`);

    expect(fetched.status).toBe(404);
    expect(fetched.body.error.code).toBe('EntityNotFoundError');
  });

  it('records a committed SalesInvoice and rejects its code again', async () => {
    const code = randomUUID();
    const created = await create(
      transaction(TEXAS, [10], { type: 'SalesInvoice', code, commit: true }),
    );
    const fetched = await avatax('GET', `/api/v2/companies/ORDERFLOW/transactions/${code}`);
    const again = await create(
      transaction(TEXAS, [10], { type: 'SalesInvoice', code, commit: true }),
    );

    expect(created.body.status).toBe('Committed');
    expect(fetched.body.totalTax).toBe(created.body.totalTax);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('TransactionAlreadyExists');
  });

  it('replaces an uncommitted SalesInvoice with the same code', async () => {
    const code = randomUUID();
    await create(transaction(TEXAS, [10], { type: 'SalesInvoice', code }));
    const replaced = await create(transaction(TEXAS, [20], { type: 'SalesInvoice', code }));

    expect(replaced.body.status).toBe('Saved');
    expect(replaced.body.version).toBe(2);
    expect(replaced.body.totalAmount).toBe(20);
  });

  it('voids an invoice once', async () => {
    const code = randomUUID();
    await create(transaction(TEXAS, [10], { type: 'SalesInvoice', code, commit: true }));
    const path = `/api/v2/companies/ORDERFLOW/transactions/${code}/void`;
    const voided = await avatax('POST', path, { code: 'DocVoided' });
    const again = await avatax('POST', path, { code: 'DocVoided' });

    expect(voided.body.status).toBe('Cancelled');
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('TransactionAlreadyCancelled');
  });

  it('requires a void reason code', async () => {
    const code = randomUUID();
    await create(transaction(TEXAS, [10], { type: 'SalesInvoice', code, commit: true }));
    const response = await avatax(
      'POST',
      `/api/v2/companies/ORDERFLOW/transactions/${code}/void`,
      {},
    );

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('ValueRequiredError');
  });

  it('returns 404 for a void of an unknown transaction', async () => {
    const response = await avatax('POST', '/api/v2/companies/ORDERFLOW/transactions/nope/void', {
      code: 'DocVoided',
    });

    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('EntityNotFoundError');
  });
});

describe('avatax sandbox helpers', () => {
  it('rounds tax half away from zero in exact integers', () => {
    expect(taxOn(1_000, 0.09975)).toBe(100);
    expect(taxOn(1_000, 0.06875)).toBe(69);
    expect(taxOn(1_645, 0.0625)).toBe(103);
    expect(taxOn(-1_645, 0.0625)).toBe(-103);
  });

  it('splits CSV lines with quoted commas', () => {
    expect(splitCsvLine('FL,Florida,"FL DOR (county surtax has $5,000 cap)"')).toEqual([
      'FL',
      'Florida',
      'FL DOR (county surtax has $5,000 cap)',
    ]);
  });

  it('reads all 50 states and DC with their scheduled changes', () => {
    const rates = parseUsStateRates(
      'code,name,state_rate_pct,scheduled_change_date,scheduled_change_pct\nLA,Louisiana,5.000,2030-01-01,4.750\n',
    );

    expect(US_STATE_RATES.size).toBe(51);
    expect(rates.get('LA')).toEqual({
      code: 'LA',
      name: 'Louisiana',
      rate: 0.05,
      change: { effectiveDate: '2030-01-01', rate: 0.0475 },
    });
  });
});
