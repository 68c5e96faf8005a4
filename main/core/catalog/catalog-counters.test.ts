import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { tempDir } from '../../../test/support/fixtures.js';
import { CatalogDb } from './catalog.js';
import { LibraryCatalog } from './library-catalog.js';

/** What the counters must say: counted directly. */
function direct(db: Database.Database, watchId: number) {
  const w = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM source_records WHERE watch_id = ?').get(watchId);
  const b = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM blobs').get();
  return { w, b };
}

type Op =
  | { op: 'upsert'; p: number; album: number; watch: number | null; size: number }
  | { op: 'touch' | 'delete' | 'adopt'; p: number; size: number }
  | { op: 'release'; watch: number }
  | { op: 'blob'; size: number }
  | { op: 'rolledBack'; p: number; size: number }
  | { op: 'otherConnection'; p: number; size: number }
  | { op: 'dropTrigger' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('upsert' as const), p: fc.nat(5), album: fc.integer({ min: 0, max: 1 }), watch: fc.constantFrom(1, 2, null), size: fc.nat(1000) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constantFrom('touch' as const, 'delete' as const, 'adopt' as const), p: fc.nat(5), size: fc.nat(1000) }), weight: 4 },
  fc.record({ op: fc.constant('release' as const), watch: fc.constantFrom(1, 2) }),
  fc.record({ op: fc.constant('blob' as const), size: fc.nat(1000) }),
  fc.record({ op: fc.constant('rolledBack' as const), p: fc.nat(5), size: fc.nat(1000) }),
  fc.record({ op: fc.constant('otherConnection' as const), p: fc.nat(5), size: fc.nat(1000) }),
  fc.constant({ op: 'dropTrigger' as const }),
);

describe('catalog counters (status counts kept by temp triggers)', () => {
  it('watch and blob counts always equal a direct count: every kind of write, rollbacks, other connections, a dropped trigger', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const file = path.join(tempDir(), 'catalog.sqlite');
        const cdb = CatalogDb.open(file);
        const other = new Database(file);
        try {
          const catalog = new LibraryCatalog(cdb);
          const albums = cdb.write(() => [catalog.ensureAlbum('A'), catalog.ensureAlbum('B')]);
          cdb.write(() => {
            for (const w of [1, 2]) cdb.db.prepare(`INSERT INTO watches (id, path, mode, added_at) VALUES (?, ?, 'single', 0)`).run(w, `/w${w}`);
          });
          let blobs = 0;
          const fileFor = (size: number) => {
            const hash = `h${blobs++}`;
            catalog.insertBlob(hash, size);
            return { hash, fileId: catalog.insertFile({ name: `${hash}.jpg`, hash, size, mediaType: 'image/jpeg', modifiedAt: 0 }) };
          };
          const record = (p: number) => cdb.db.prepare('SELECT id FROM source_records WHERE path = ? LIMIT 1').get(`/w1/${p}`) as { id: number } | undefined;
          const check = () => {
            for (const w of [1, 2]) {
              const got = cdb.counters.watch(w);
              assert.deepEqual({ n: got.n, bytes: got.bytes }, { ...(direct(cdb.db, w).w as object) });
              assert.deepEqual(catalog.sources.totals(w), { files: got.n, bytes: got.bytes });
            }
            const b = cdb.counters.blobs();
            assert.deepEqual({ n: b.n, bytes: b.bytes }, { ...(direct(cdb.db, 1).b as object) });
          };
          check();
          for (const o of ops) {
            if (o.op === 'upsert') {
              cdb.write(() => {
                const f = fileFor(o.size);
                catalog.sources.upsert({ path: `/w1/${o.p}`, albumId: albums[o.album]!, fileId: f.fileId, size: o.size, mtimeMs: 0, ino: 0, hash: f.hash, watchId: o.watch });
              });
            } else if (o.op === 'touch' || o.op === 'delete' || o.op === 'adopt') {
              const r = record(o.p);
              if (!r) continue;
              cdb.write(() => (o.op === 'touch' ? catalog.sources.touch(r.id, o.size, 1, 1) : o.op === 'delete' ? catalog.sources.delete(r.id) : catalog.sources.adopt(r.id, 2)));
            } else if (o.op === 'release') {
              cdb.write(() => catalog.sources.release(o.watch));
            } else if (o.op === 'blob') {
              cdb.write(() => fileFor(o.size));
            } else if (o.op === 'rolledBack') {
              assert.throws(() => cdb.write(() => {
                const f = fileFor(o.size);
                catalog.sources.upsert({ path: `/w1/rb${o.p}`, albumId: albums[0]!, fileId: f.fileId, size: o.size, mtimeMs: 0, ino: 0, hash: f.hash, watchId: 1 });
                throw new Error('rolled back');
              }), /rolled back/);
            } else if (o.op === 'otherConnection') {
              other.transaction(() => {
                const hash = `o${blobs++}`;
                other.prepare('INSERT INTO blobs (hash, hash_algorithm, size, created_at) VALUES (?, ?, ?, 0)').run(hash, 'sha256', o.size);
                const fileId = other.prepare(`INSERT INTO files (name, blob_hash, size, media_type, created_at) VALUES ('x', ?, ?, 'image/jpeg', 0)`).run(hash, o.size).lastInsertRowid;
                other.prepare('INSERT INTO source_records (path, album_id, file_id, size, mtime_ms, ino, hash, recorded_at, watch_id) VALUES (?, ?, ?, ?, 0, 0, ?, 0, 1)').run(`/w1/o${o.p}-${blobs}`, albums[0]!, fileId, o.size, hash);
              })();
            } else {
              cdb.db.exec('DROP TRIGGER IF EXISTS temp.shoebox_sources_insert'); // as a schema change dropping the table would
            }
            check();
          }
        } finally {
          other.close();
          cdb.close();
        }
      }),
      { numRuns: 100 },
    );
  });
});
