import { describe, expect, it } from 'vitest';
import { parseInitSql } from '../src/postgres/init-sql.js';
import { edit, findingsWith, rulesOf } from './helpers.js';

const INIT_SQL = 'infra/postgres/docker-init/01-databases.sql';

describe('init SQL parser', () => {
  it('reads roles, databases, owners and \\getenv variables', async () => {
    const { summary, findings } = await parseInitSql(
      'init.sql',
      [
        "-- a comment may mention :'name'",
        '\\getenv shop_password SHOP_DB_PASSWORD',
        "CREATE ROLE shop LOGIN PASSWORD :'shop_password';",
        'CREATE DATABASE shop OWNER shop;',
        "SELECT '1'::int;",
      ].join('\n'),
    );

    expect(findings).toEqual([]);
    expect(summary?.roles).toEqual(['shop']);
    expect(summary?.databases).toEqual([{ name: 'shop', owner: 'shop' }]);
    expect(summary?.environmentVariables).toEqual(['SHOP_DB_PASSWORD']);
  });

  it('reports a variable that no \\getenv sets', async () => {
    const { findings } = await parseInitSql('init.sql', "CREATE ROLE shop PASSWORD :'secret';");

    expect(findings).toEqual([
      {
        file: 'init.sql',
        rule: 'init-sql/variable',
        message: 'psql variable secret is used but no \\getenv sets it',
      },
    ]);
  });

  it('reports psql meta-commands it does not model', async () => {
    const { findings } = await parseInitSql('init.sql', '\\connect shop\nSELECT 1;');

    expect(rulesOf(findings)).toEqual(['init-sql/meta-command']);
    expect(findings[0]?.message).toBe(
      'line 1: psql meta-command \\connect is not supported by this check',
    );
  });

  it('reports SQL that PostgreSQL cannot parse', async () => {
    const { summary, findings } = await parseInitSql('init.sql', 'CREATE DATABSE shop;');

    expect(summary).toBeUndefined();
    expect(findings[0]?.rule).toBe('init-sql/syntax');
    expect(findings[0]?.message).toMatch(/syntax error at or near "DATABSE"/);
  });
});

describe('init SQL check', () => {
  it.each([
    {
      change: 'a database of no service',
      search: 'CREATE DATABASE orderflow_tax OWNER orderflow_tax;',
      replacement: 'CREATE DATABASE orderflow_taxes OWNER orderflow_taxes;',
      message:
        'databases differ from the services: missing orderflow_tax; unexpected orderflow_taxes',
    },
    {
      change: 'a database without its owner',
      search: 'CREATE DATABASE orderflow_fraud OWNER orderflow_fraud;',
      replacement: 'CREATE DATABASE orderflow_fraud;',
      message:
        'database orderflow_fraud must be owned by role orderflow_fraud; found no OWNER clause',
    },
    {
      change: 'a missing role',
      search: "CREATE ROLE orderflow_gateway LOGIN PASSWORD :'gateway_password';",
      replacement: '',
      message: 'roles differ from the services: missing orderflow_gateway',
    },
    {
      change: 'a password variable of no service',
      search: '\\getenv tax_password ORDERFLOW_TAX_DB_PASSWORD',
      replacement: '\\getenv tax_password TAX_PASSWORD',
      message:
        "\\getenv variables differ from the services' password variables: " +
        'missing ORDERFLOW_TAX_DB_PASSWORD; unexpected TAX_PASSWORD',
    },
  ])('reports $change', async ({ search, replacement, message }) => {
    const findings = await findingsWith(edit(INIT_SQL, search, replacement));

    expect(findings.map((finding) => finding.message)).toContain(message);
    expect(rulesOf(findings)).toContain('cross/databases');
  });
});
