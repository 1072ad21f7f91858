import knex from 'knex';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createScratchDatabase, databaseUrl } from '../src/index.js';

describe('databaseUrl', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('builds the test database URL of a service', () => {
    expect(databaseUrl('payment')).toBe(
      'postgres://orderflow_payment@127.0.0.1:5432/orderflow_test_payment',
    );
  });

  it('turns dashes into underscores', () => {
    expect(databaseUrl('crm-sync')).toBe(
      'postgres://orderflow_crm_sync@127.0.0.1:5432/orderflow_test_crm_sync',
    );
  });

  it('takes the URL from TEST_DATABASE_URL_<SERVICE>', () => {
    vi.stubEnv('TEST_DATABASE_URL_CRM_SYNC', 'postgres://someone@127.0.0.1:5433/elsewhere');
    expect(databaseUrl('crm-sync')).toBe('postgres://someone@127.0.0.1:5433/elsewhere');
  });

  it('rejects an invalid service name', () => {
    expect(() => databaseUrl('Payment Service')).toThrow('Invalid service name');
  });
});

describe('createScratchDatabase', () => {
  it('creates a usable database and drops it', async () => {
    const database = await createScratchDatabase('Test-Support Scratch');
    expect(database.name).toMatch(/^test_support_scratch_[0-9a-f]{8}$/);

    const client = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 1 } });
    try {
      const result = await client.raw('select current_database() as name');
      expect(result.rows[0].name).toBe(database.name);
    } finally {
      await client.destroy();
    }

    await database.drop();
    const admin = knex({
      client: 'pg',
      connection: 'postgres://postgres@127.0.0.1:5432/postgres',
      pool: { min: 0, max: 1 },
    });
    try {
      const found = await admin.raw('select 1 from pg_database where datname = ?', [database.name]);
      expect(found.rows).toHaveLength(0);
    } finally {
      await admin.destroy();
    }
  });

  it('shortens long prefixes to the identifier limit', async () => {
    const database = await createScratchDatabase('x'.repeat(80));
    try {
      expect(database.name.length).toBeLessThanOrEqual(63);
    } finally {
      await database.drop();
    }
  });
});
