import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATHS } from '../src/index.js';
import { databaseName, passwordVariable, SERVICES } from '../src/platform.js';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';
import { repo } from './helpers.js';

const INIT_SQL = `${repo.root}/${PATHS.initSql}`;

/** The psql options that the postgres image's entrypoint uses for the init scripts. */
const ENTRYPOINT_PSQL = ['-v', 'ON_ERROR_STOP=1', '--username', 'postgres', '--no-password'];

/** A password per service, with a quote and a space to show that psql quotes them. */
const PASSWORDS = Object.fromEntries(
  SERVICES.map((service) => [passwordVariable(service.name), `it's ${service.name} 1`]),
);

function runInitScript(postgres: PrivatePostgres, env: Record<string, string>) {
  return postgres.psql(
    [...ENTRYPOINT_PSQL, '--no-psqlrc', '--dbname', 'postgres', '-f', INIT_SQL],
    env,
  );
}

function query(postgres: PrivatePostgres, sql: string): string {
  const result = postgres.psql(['-U', 'postgres', '-d', 'postgres', '-At', '-c', sql]);
  expect(result.stderr).toBe('');
  return result.stdout.trim();
}

describe('init SQL on a private PostgreSQL', () => {
  let postgres: PrivatePostgres;

  beforeAll(() => {
    postgres = startPrivatePostgres();
    const result = runInitScript(postgres, PASSWORDS);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  afterAll(() => postgres?.stop());

  it('creates each service database owned by its role', () => {
    const rows = query(
      postgres,
      "SELECT d.datname || ' ' || r.rolname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba " +
        "WHERE d.datname LIKE 'orderflow%' ORDER BY 1",
    );

    const expected = SERVICES.map((service) => databaseName(service.name))
      .sort()
      .map((name) => `${name} ${name}`);
    expect(rows.split('\n')).toEqual(expected);
  });

  it('lets a role log in to its own database with its password', () => {
    const result = postgres.psql(
      ['-U', 'orderflow_payment', '-d', 'orderflow_payment', '-At', '-c', 'SELECT current_user'],
      { PGPASSWORD: PASSWORDS.ORDERFLOW_PAYMENT_DB_PASSWORD as string },
    );

    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('orderflow_payment');
  });

  it("rejects a role in another service's database", () => {
    const result = postgres.psql(
      ['-U', 'orderflow_payment', '-d', 'orderflow_tax', '-c', 'SELECT 1'],
      { PGPASSWORD: PASSWORDS.ORDERFLOW_PAYMENT_DB_PASSWORD as string },
    );

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/permission denied for database "?orderflow_tax"?/);
  });

  it('rejects a wrong password', () => {
    const result = postgres.psql(
      ['-U', 'orderflow_payment', '-d', 'orderflow_payment', '-c', 'SELECT 1'],
      { PGPASSWORD: 'wrong' },
    );

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/password authentication failed for user "orderflow_payment"/);
  });
});

describe('init SQL without a password variable', () => {
  it('stops at the role whose password is unset', () => {
    const postgres = startPrivatePostgres();
    try {
      const { ORDERFLOW_TAX_DB_PASSWORD: _unset, ...withoutTax } = PASSWORDS;
      const result = runInitScript(postgres, withoutTax);

      expect(result.status).toBe(3);
      expect(result.stderr).toMatch(/syntax error at or near ":"/);
      const sql =
        "SELECT string_agg(rolname, ' ' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'orderflow%'";
      expect(query(postgres, sql)).toBe('orderflow_gateway orderflow_payment orderflow_shipping');
    } finally {
      postgres.stop();
    }
  });
});
