import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/database.js';
import { DirectoryMigrationSource } from '../src/migration-source.js';
import { captureLogger } from './support/capture-logger.js';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';

const MIGRATIONS = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));

describe('openDatabase', () => {
  let scratch: ScratchDatabase;
  const opened: Knex[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase();
  });

  afterAll(async () => {
    await Promise.all(opened.map((db) => db.destroy()));
    await scratch.drop();
  });

  it('applies TypeScript and JavaScript migrations once', async () => {
    const { logger, withMessage } = captureLogger();
    const db = await openDatabase({ url: scratch.url, migrationsDirectory: MIGRATIONS, logger });
    opened.push(db);

    const [applied] = withMessage('database migrations applied');
    expect(applied?.migrations).toEqual(['001_create_widgets', '002_add_widget_color']);
    expect(applied?.batch).toBe(1);

    await db('widgets').insert({ name: 'bolt', color: 'grey' });
    const rows = await db('widgets').select('name', 'color');
    expect(rows).toEqual([{ name: 'bolt', color: 'grey' }]);
  });

  it('applies nothing when opened again', async () => {
    const { logger, withMessage } = captureLogger();
    const db = await openDatabase({ url: scratch.url, migrationsDirectory: MIGRATIONS, logger });
    opened.push(db);

    expect(withMessage('database migrations applied')).toHaveLength(0);
    expect(withMessage('database schema is up to date')).toHaveLength(1);
    const recorded = await db('knex_migrations').orderBy('id').pluck('name');
    expect(recorded).toEqual(['001_create_widgets', '002_add_widget_color']);
  });

  it('rejects unreachable database', async () => {
    const { logger, withMessage } = captureLogger();
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const url = 'postgres://postgres@127.0.0.1:1/none';
    await expect(openDatabase({ url, migrationsDirectory: MIGRATIONS, logger })).rejects.toThrow(
      /ECONNREFUSED/,
    );
    expect(withMessage('database migrations applied')).toHaveLength(0);
  });
});

describe('DirectoryMigrationSource', () => {
  it('skips declaration and non-script files', async () => {
    const source = new DirectoryMigrationSource(MIGRATIONS);
    const migrations = await source.getMigrations();
    expect(migrations.map((migration) => migration.file.split('/').pop())).toEqual([
      '001_create_widgets.ts',
      '002_add_widget_color.js',
    ]);
  });

  it('rejects a migration name found in two directories', async () => {
    const source = new DirectoryMigrationSource([MIGRATIONS, MIGRATIONS]);
    await expect(source.getMigrations()).rejects.toThrow(/001_create_widgets exists twice/);
  });

  it('loads up and down from a migration module', async () => {
    const source = new DirectoryMigrationSource(MIGRATIONS);
    const [first] = await source.getMigrations();
    if (first === undefined) throw new Error('fixture migration missing');
    const migration = await source.getMigration(first);
    expect(typeof migration.up).toBe('function');
    expect(typeof migration.down).toBe('function');
  });
});
