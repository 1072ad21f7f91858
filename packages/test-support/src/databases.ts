import knex from 'knex';
import { uniqueName } from './unique-name.js';

/** Superuser connection used to create and drop scratch databases, unless overridden. */
export const DEFAULT_POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** PostgreSQL limits identifiers to 63 bytes and silently truncates longer ones. */
const MAX_IDENTIFIER_LENGTH = 63;

/** Length of the random suffix that {@link uniqueName} appends, separator included. */
const RANDOM_SUFFIX_LENGTH = 9;

/** A database made for one test file by {@link createScratchDatabase}. */
export interface ScratchDatabase {
  /** Database name: the sanitized prefix plus a random suffix. */
  name: string;
  /** Connection URL, as the owner role. */
  url: string;
  /** Drops the database, closing any connections still open to it. */
  drop(): Promise<void>;
}

/** Options of {@link createScratchDatabase}. */
export interface ScratchDatabaseOptions {
  /** Existing role that owns the database and appears in `url`. Defaults to the superuser. */
  owner?: string;
}

/**
 * Returns the test database URL of a service, for example
 * `postgres://orderflow_crm_sync@127.0.0.1:5432/orderflow_test_crm_sync` for `crm-sync`.
 * `TEST_DATABASE_URL_<SERVICE>` (here `TEST_DATABASE_URL_CRM_SYNC`) overrides it.
 * The role and database come from `infra/postgres/setup-databases.sh --test`.
 */
export function databaseUrl(service: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(service)) {
    throw new Error(`Invalid service name "${service}": expected lower case, digits and "-"`);
  }
  const suffix = service.replaceAll('-', '_');
  const override = process.env[`TEST_DATABASE_URL_${suffix.toUpperCase()}`];
  if (override) return override;
  return `postgres://orderflow_${suffix}@127.0.0.1:5432/orderflow_test_${suffix}`;
}

/**
 * Creates a fresh database with a unique name that starts with `prefix`, connecting as the
 * PostgreSQL superuser (`TEST_POSTGRES_ADMIN_URL`, default
 * postgres://postgres@127.0.0.1:5432/postgres). Call `drop()` when the test file ends.
 *
 * @example
 * const database = await createScratchDatabase('outbox');
 * afterAll(() => database.drop());
 */
export async function createScratchDatabase(
  prefix: string,
  options: ScratchDatabaseOptions = {},
): Promise<ScratchDatabase> {
  const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL || DEFAULT_POSTGRES_ADMIN_URL;
  const name = scratchDatabaseName(prefix);

  await runAsAdmin(adminUrl, async (admin) => {
    if (options.owner) {
      await admin.raw('create database ?? owner ??', [name, options.owner]);
    } else {
      await admin.raw('create database ??', [name]);
    }
  });

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (options.owner) {
    url.username = options.owner;
    url.password = '';
  }

  return {
    name,
    url: url.toString(),
    drop: () =>
      runAsAdmin(adminUrl, async (admin) => {
        await admin.raw('drop database if exists ?? with (force)', [name]);
      }),
  };
}

/** Lower-cases the prefix, replaces characters outside [a-z0-9_] and adds a random suffix. */
function scratchDatabaseName(prefix: string): string {
  const cleaned = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const base = /^[a-z_]/.test(cleaned) ? cleaned : `t_${cleaned}`;
  return uniqueName(base.slice(0, MAX_IDENTIFIER_LENGTH - RANDOM_SUFFIX_LENGTH), '_');
}

async function runAsAdmin(
  adminUrl: string,
  work: (admin: knex.Knex) => Promise<void>,
): Promise<void> {
  const admin = knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await work(admin);
  } finally {
    await admin.destroy();
  }
}
