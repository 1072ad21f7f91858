import knex, { type Knex } from 'knex';
import type { Logger } from './logger.js';
import { DirectoryMigrationSource } from './migration-source.js';

/** Connection pool limits of every service's database client. */
export const DATABASE_POOL = { min: 0, max: 10 } as const;

/** Options of `openDatabase`. */
export interface DatabaseOptions {
  /** PostgreSQL URL, such as `postgres://orderflow_payment@127.0.0.1:5432/orderflow_payment`. */
  url: string;
  /**
   * Directories of knex migration files (`.ts` or `.js`), such as the service's own and a
   * shared package's. Each file exports `up(knex)` and optionally `down(knex)`.
   */
  migrationsDirectory: string | readonly string[];
  logger: Logger;
}

/**
 * Opens a knex client for PostgreSQL and brings the schema up to date with `migrate.latest`
 * before returning it. Logs the names of the migrations that were applied. Concurrent starts are
 * safe, because knex holds a lock row in `knex_migrations_lock` while it migrates.
 *
 * On a failed migration the client is destroyed and the error is thrown.
 *
 * @example
 * const db = await openDatabase({ url: config.DATABASE_URL, logger,
 *   migrationsDirectory: fileURLToPath(new URL('../migrations', import.meta.url)) });
 */
export async function openDatabase(options: DatabaseOptions): Promise<Knex> {
  const db = knex({
    client: 'pg',
    connection: options.url,
    pool: { ...DATABASE_POOL },
    log: knexLogBridge(options.logger),
  });
  try {
    const [batch, applied] = (await db.migrate.latest({
      migrationSource: new DirectoryMigrationSource(options.migrationsDirectory),
    })) as [number, string[]];
    if (applied.length > 0) {
      options.logger.info({ batch, migrations: applied }, 'database migrations applied');
    } else {
      options.logger.info('database schema is up to date');
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

/** Sends knex's own messages, which it would otherwise print with console, to the logger. */
function knexLogBridge(logger: Logger): Knex.Config['log'] {
  const log = logger.child({ component: 'knex' });
  return {
    warn: (detail: unknown) => log.warn({ detail: String(detail) }, 'knex warning'),
    error: (detail: unknown) => log.error({ detail: String(detail) }, 'knex error'),
    deprecate: (method: string, alternative: string) =>
      log.warn({ method, alternative }, 'knex deprecation'),
    debug: (detail: unknown) => log.debug({ detail: String(detail) }, 'knex debug'),
  };
}
