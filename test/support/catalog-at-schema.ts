import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from '../../main/core/catalog/migrations.js';
import { tempDir } from './fixtures.js';

/**
 * A new catalog file built up to schema `version` (an older Shoebox's), with its Uncategorized
 * album, open for the caller to add rows to and close: the next CatalogDb.open migrates it.
 */
export function catalogAtSchema(version: number): { file: string; db: Database.Database } {
  const file = path.join(tempDir(), 'catalog.sqlite');
  const db = new Database(file);
  for (let v = 0; v < version; v++) {
    db.exec(migrations[v]!);
    if (v === 0) db.prepare(`INSERT INTO albums (name, kind, created_at) VALUES ('Uncategorized', 'uncategorized', 1)`).run();
  }
  db.pragma(`user_version = ${version}`);
  return { file, db };
}
