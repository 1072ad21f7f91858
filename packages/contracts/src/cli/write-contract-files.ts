// Writes the generated AsyncAPI document and a snapshot of each event schema version that has
// none yet. An existing snapshot is never overwritten: it records what consumers already rely on.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAsyncApiDocument } from '../asyncapi.js';
import { EVENT_CATALOG, EVENT_TYPES } from '../event-catalog.js';
import { eventDataJsonSchema } from '../json-schema.js';

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ASYNCAPI_PATH = join(PACKAGE_DIR, 'asyncapi.json');
export const SNAPSHOT_DIR = join(PACKAGE_DIR, 'snapshots');

/** Path of the committed snapshot of one event type at one schema version. */
export function snapshotPath(type: string, version: number): string {
  return join(SNAPSHOT_DIR, `${type}.v${version}.json`);
}

function main(): void {
  writeFileSync(ASYNCAPI_PATH, `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`);
  console.log(`wrote ${ASYNCAPI_PATH}`);
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  for (const type of EVENT_TYPES) {
    const path = snapshotPath(type, EVENT_CATALOG[type].version);
    if (existsSync(path)) continue;
    writeFileSync(path, `${JSON.stringify(eventDataJsonSchema(type), null, 2)}\n`);
    console.log(`wrote ${path}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
