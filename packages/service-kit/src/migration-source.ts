import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

/**
 * Extensions of migration files, in order of preference when one migration exists under two
 * extensions. The TypeScript source wins over JavaScript emitted next to it.
 */
export const MIGRATION_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs'] as const;

/** Declaration files that a TypeScript build writes next to compiled migrations. */
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

/** One migration file, named by its file name without the extension. */
export interface MigrationFile {
  name: string;
  file: string;
}

/** A knex migration module, with the optional `config` that knex reads (`{ transaction }`). */
interface MigrationModule extends Knex.Migration {
  config?: { transaction?: boolean };
}

/**
 * Knex migration source that reads `.ts` and `.js` migrations from one or more directories and
 * imports them with the running module loader. Under tsx or vitest that loader compiles
 * TypeScript, which knex's own loader, running from node_modules, cannot do.
 *
 * Migrations are recorded in `knex_migrations` without their extension, so a database migrated
 * from the `.ts` sources stays current when the compiled `.js` files run. Migrations run in name
 * order across all directories, and a name found in two directories is an error.
 */
export class DirectoryMigrationSource implements Knex.MigrationSource<MigrationFile> {
  private readonly directories: readonly string[];
  private readonly extensions: readonly string[];

  constructor(
    directories: string | readonly string[],
    extensions: readonly string[] = MIGRATION_EXTENSIONS,
  ) {
    this.directories = typeof directories === 'string' ? [directories] : directories;
    this.extensions = extensions;
  }

  /**
   * Lists the migrations in name order. Knex passes its default `loadExtensions` here and this
   * source ignores them, because knex drops a custom source when `loadExtensions` is set in the
   * migrate config. The constructor takes the extensions instead.
   */
  async getMigrations(_loadExtensions?: readonly string[]): Promise<MigrationFile[]> {
    const extensions = this.extensions;
    const byName = new Map<string, MigrationFile>();
    for (const directory of this.directories) {
      for (const migration of await listDirectory(directory, extensions)) {
        const existing = byName.get(migration.name);
        if (existing !== undefined) {
          throw new Error(
            `migration ${migration.name} exists twice: ${existing.file} and ${migration.file}`,
          );
        }
        byName.set(migration.name, migration);
      }
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  getMigrationName(migration: MigrationFile): string {
    return migration.name;
  }

  async getMigration(migration: MigrationFile): Promise<Knex.Migration> {
    const loaded = (await import(
      pathToFileURL(migration.file).href
    )) as Partial<MigrationModule> & {
      default?: Partial<MigrationModule>;
    };
    // CommonJS migrations arrive as the default export.
    const module = typeof loaded.up === 'function' ? loaded : loaded.default;
    if (typeof module?.up !== 'function') {
      throw new Error(`migration ${migration.file} exports no up() function`);
    }
    return { up: module.up, down: module.down, config: module.config } as MigrationModule;
  }
}

/** Lists one directory's migrations, keeping the preferred extension when a name repeats. */
async function listDirectory(
  directory: string,
  extensions: readonly string[],
): Promise<MigrationFile[]> {
  const chosen = new Map<string, { file: string; rank: number }>();
  for (const fileName of await readdir(directory)) {
    if (DECLARATION_FILE.test(fileName)) continue;
    const extension = path.extname(fileName);
    const rank = extensions.indexOf(extension);
    if (rank === -1) continue;

    const name = fileName.slice(0, -extension.length);
    const current = chosen.get(name);
    if (current === undefined || rank < current.rank) {
      chosen.set(name, { file: path.join(directory, fileName), rank });
    }
  }
  return [...chosen].map(([name, { file }]) => ({ name, file }));
}
