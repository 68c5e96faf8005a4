import assert from 'node:assert/strict';
import { it } from 'node:test';
import { catalogAtSchema } from '../../../test/support/catalog-at-schema.js';
import { CatalogDb } from './catalog.js';
import { migrations } from './migrations.js';

it('migration 14 fills in the path an earlier version was backed up from, from the activity log', () => {
  const { file, db } = catalogAtSchema(13);
  db.prepare(`INSERT INTO blobs (hash, hash_algorithm, size, created_at) VALUES ('a', 'sha256', 1, 1), ('b', 'sha256', 1, 1), ('c', 'sha256', 1, 1), ('d', 'sha256', 1, 1)`).run();
  // a.jpg edited twice (1 ← 2 ← 3), d.jpg never edited
  db.prepare(`INSERT INTO files (id, name, blob_hash, size, media_type, created_at, previous_version_id) VALUES (1, 'a.jpg', 'a', 1, 'image/jpeg', 1, NULL), (2, 'a.jpg', 'b', 1, 'image/jpeg', 2, 1), (3, 'a.jpg', 'c', 1, 'image/jpeg', 3, 2), (4, 'd.jpg', 'd', 1, 'image/jpeg', 1, NULL)`).run();
  db.prepare(`INSERT INTO activity (at, level, code, path, file_id, message) VALUES (2, 'info', 'NEW_VERSION', '/p/a.jpg', 2, 'x'), (3, 'info', 'NEW_VERSION', '/p/moved/a.jpg', 3, 'x'), (3, 'info', 'BACKED_UP', '/p/d.jpg', 4, 'x')`).run();
  db.close();
  const cdb = CatalogDb.open(file);
  try {
    assert.equal(cdb.schemaVersion, migrations.length);
    assert.deepEqual(cdb.db.prepare('SELECT id, source_path AS p FROM files ORDER BY id').all(), [{ id: 1, p: '/p/a.jpg' }, { id: 2, p: '/p/moved/a.jpg' }, { id: 3, p: null }, { id: 4, p: null }]);
    assert.deepEqual(cdb.integrityCheck(), ['ok']);
  } finally {
    cdb.close();
  }
});
