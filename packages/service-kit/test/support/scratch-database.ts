import { randomBytes } from 'node:crypto';
import knex from 'knex';

/** Admin connection to the local PostgreSQL that the tests use (trust auth, user postgres). */
const ADMIN_URL =
  process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database created for one test file. */
export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database named `orderflow_kit_<random>`; `drop()` removes it. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `orderflow_kit_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.raw('create database ??', [name]));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // FORCE ends connections a failed test left open (PostgreSQL 13 and later).
    drop: () => withAdmin((admin) => admin.raw('drop database if exists ?? with (force)', [name])),
  };
}

async function withAdmin(work: (admin: knex.Knex) => Promise<unknown>): Promise<void> {
  const admin = knex({ client: 'pg', connection: ADMIN_URL, pool: { min: 0, max: 1 } });
  try {
    await work(admin);
  } finally {
    await admin.destroy();
  }
}
