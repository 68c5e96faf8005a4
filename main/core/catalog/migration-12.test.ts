import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogAtSchema } from '../../../test/support/catalog-at-schema.js';
import { CatalogDb } from './catalog.js';
import { LibraryCatalog } from './library-catalog.js';
import type { FileMetadata } from './metadata-catalog.js';
import { captureDaySql, migrations } from './migrations.js';

/**
 * A catalog at schema 11 (before issue #21: freed sources and the timeline's day index, with its
 * triggers, in place) with a dated file, an undated one, a live photo and a freed source.
 */
function catalogAt11(): string {
  const { file, db } = catalogAtSchema(11);
  db.prepare(`INSERT INTO blobs (hash, hash_algorithm, size, created_at) VALUES ('a', 'sha256', 1, 1), ('b', 'sha256', 2, 1), ('v', 'sha256', 3, 1)`).run();
  db.prepare(`INSERT INTO files (id, name, blob_hash, size, media_type, created_at, taken_at, date_source, camera) VALUES (1, 'IMG_1.HEIC', 'a', 1, 'image/heic', 1, 1000, 'exif', 'Canon'), (2, 'b.jpg', 'b', 2, 'image/jpeg', 1, NULL, NULL, NULL)`).run();
  db.prepare(`INSERT INTO memberships (album_id, file_id, added_at) VALUES (1, 1, 1), (1, 2, 1)`).run();
  db.prepare(`INSERT INTO live_parts (file_id, blob_hash, name, size, media_type) VALUES (1, 'v', 'IMG_1.MOV', 3, 'video/quicktime')`).run();
  db.prepare(`INSERT INTO freed_sources (path, hash, size, mtime_ms, ino, method, state, freed_at) VALUES ('/card/b.jpg', 'b', 2, 1, 7, 'trash', 'trashed', 1)`).run();
  db.close();
  return file;
}

const takeout = (takenAt: number): FileMetadata => ({ source: 'takeout', sidecar: 'x.zip!/IMG_1.HEIC.json', takenAt, takenInstant: takenAt, location: { latitude: 1.5, longitude: 2.5, altitude: null }, description: 'hello', favorite: true, rating: null });

describe('migration 12 (parts, sidecar metadata, sidecar date sources)', () => {
  it('keeps every date and its source, and a live photo video becomes a part with role live', () => {
    const cdb = CatalogDb.open(catalogAt11());
    const cat = new LibraryCatalog(cdb);
    assert.deepEqual(cdb.db.prepare('SELECT id, taken_at AS t, date_source AS s, camera FROM files ORDER BY id').all(), [{ id: 1, t: 1000, s: 'exif', camera: 'Canon' }, { id: 2, t: null, s: null, camera: null }]);
    assert.deepEqual(cat.parts.of(1), [{ role: 'live', hash: 'v', name: 'IMG_1.MOV', size: 3, mediaType: 'video/quicktime' }]);
    assert.equal(cat.livePart(1)?.hash, 'v');
    assert.deepEqual(cdb.integrityCheck(), ['ok']);
    assert.deepEqual(cdb.db.pragma('foreign_key_check'), []);
    // the undated index is back and used by the back-fill
    assert.equal((cdb.db.prepare('SELECT COUNT(*) AS n FROM files INDEXED BY files_undated WHERE date_source IS NULL').get() as { n: number }).n, 1);
    assert.equal(cdb.schemaVersion, migrations.length, 'migrated to the latest');
    assert.deepEqual(cdb.db.prepare('SELECT path, state FROM freed_sources').all(), [{ path: '/card/b.jpg', state: 'trashed' }]);
  });

  it('the timeline day index and its triggers still count every live file after the date-source column is made again', () => {
    const cdb = CatalogDb.open(catalogAt11());
    const days = () => cdb.db.prepare('SELECT day, files FROM timeline_days ORDER BY day').all();
    const recount = () => cdb.db.prepare(`SELECT ${captureDaySql('')} AS day, COUNT(*) AS files FROM files WHERE trashed_at IS NULL GROUP BY 1 ORDER BY 1`).all();
    assert.deepEqual(days(), recount());
    cdb.write(() => {
      cdb.db.prepare(`INSERT INTO blobs (hash, hash_algorithm, size, created_at) VALUES ('c', 'sha256', 4, 1)`).run();
      cdb.db.prepare(`INSERT INTO files (id, name, blob_hash, size, media_type, created_at, taken_at, date_source) VALUES (3, 'c.jpg', 'c', 4, 'image/jpeg', 1, 86400000 * 3, 'takeout')`).run();
      cdb.db.prepare(`UPDATE files SET taken_at = 86400000 * 5, date_source = 'xmp' WHERE id = 2`).run();
    });
    assert.deepEqual(days(), recount());
    assert.equal((days() as Array<{ files: number }>).reduce((n, d) => n + d.files, 0), 3);
  });

  it('allows sidecar date sources and refuses unknown ones', () => {
    const cdb = CatalogDb.open(catalogAt11());
    cdb.db.prepare(`UPDATE files SET date_source = 'takeout' WHERE id = 2`).run();
    cdb.db.prepare(`UPDATE files SET date_source = 'xmp' WHERE id = 2`).run();
    assert.throws(() => cdb.db.prepare(`UPDATE files SET date_source = 'guess' WHERE id = 2`).run(), /CHECK constraint/);
  });

  it('one live and one raw part per file, XMP sidecars by name', () => {
    const cdb = CatalogDb.open(catalogAt11());
    const cat = new LibraryCatalog(cdb);
    cdb.write(() => {
      cat.insertBlob('r', 9);
      cat.parts.add(1, { role: 'raw', hash: 'r', name: 'IMG_1.CR2', size: 9, mediaType: 'image/x-canon-cr2' });
      cat.parts.add(1, { role: 'xmp', hash: 'r', name: 'IMG_1.xmp', size: 9, mediaType: 'application/rdf+xml' });
      cat.parts.add(1, { role: 'xmp', hash: 'r', name: 'IMG_1.CR2.xmp', size: 9, mediaType: 'application/rdf+xml' });
    });
    assert.throws(() => cdb.write(() => cat.parts.add(1, { role: 'raw', hash: 'r', name: 'IMG_1.NEF', size: 9, mediaType: 'image/x-nikon-nef' })), /UNIQUE/);
    assert.deepEqual(cat.parts.of(1).map((p) => `${p.role}:${p.name}`), ['live:IMG_1.MOV', 'raw:IMG_1.CR2', 'xmp:IMG_1.CR2.xmp', 'xmp:IMG_1.xmp']);
  });

  it('a sidecar date marks a file dated from its own bytes as undated, so the back-fill dates it again by precedence', () => {
    const cdb = CatalogDb.open(catalogAt11());
    const cat = new LibraryCatalog(cdb);
    cdb.write(() => cat.metadata.record(1, [takeout(5000)]));
    assert.equal((cdb.db.prepare('SELECT date_source AS s FROM files WHERE id = 1').get() as { s: string | null }).s, null);
    assert.deepEqual(cat.metadata.sidecarDate(1), { source: 'takeout', takenAt: 5000 });
    assert.deepEqual(cat.metadata.of(1), [takeout(5000)]);
    // already dated by that sidecar: left alone
    cdb.db.prepare(`UPDATE files SET taken_at = 5000, date_source = 'takeout' WHERE id = 1`).run();
    cdb.write(() => cat.metadata.record(1, [takeout(5000)]));
    assert.equal((cdb.db.prepare('SELECT date_source AS s FROM files WHERE id = 1').get() as { s: string }).s, 'takeout');
    // the sidecar read again says no date any more (an XMP edited): the date it gave is not kept
    cdb.write(() => cat.metadata.record(1, [{ ...takeout(5000), takenAt: null, takenInstant: null }]));
    assert.equal((cdb.db.prepare('SELECT date_source AS s FROM files WHERE id = 1').get() as { s: string | null }).s, null);
  });

  it('metadata goes with its file when the file is deleted for good', () => {
    const cdb = CatalogDb.open(catalogAt11());
    const cat = new LibraryCatalog(cdb);
    cdb.write(() => cat.metadata.record(2, [takeout(7)]));
    cdb.write(() => {
      cdb.db.prepare('DELETE FROM memberships WHERE file_id = 2').run();
      cdb.db.prepare('DELETE FROM files WHERE id = 2').run();
    });
    assert.deepEqual(cat.metadata.of(2), []);
  });
});
