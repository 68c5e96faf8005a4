import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { tempDir } from '../../../test/support/fixtures.js';
import { CatalogDb } from './catalog.js';
import { TimelineCatalog, recountTimelineDays } from './timeline-catalog.js';
import { checkLibrary } from '../check/library-check.js';

const DAY = 86_400_000;

/** The timeline as a plain query over every live file would give it (the reference). */
function reference(cdb: CatalogDb): Array<{ fileId: number; at: number }> {
  return cdb.db
    .prepare('SELECT id AS fileId, COALESCE(taken_at, modified_at, created_at) AS at FROM files WHERE trashed_at IS NULL ORDER BY at DESC, id DESC')
    .all() as Array<{ fileId: number; at: number }>;
}

/** Days and counts of the reference, newest first. */
function referenceDays(rows: Array<{ at: number }>): Array<{ day: string; count: number }> {
  const out: Array<{ day: string; count: number }> = [];
  for (const r of rows) {
    const day = new Date(Math.floor(r.at / DAY) * DAY).toISOString().slice(0, 10);
    if (out.at(-1)?.day === day) out.at(-1)!.count++;
    else out.push({ day, count: 1 });
  }
  return out;
}

type Op =
  | { kind: 'add'; takenAt: number | null; modifiedAt: number | null; createdAt: number; trashed: boolean }
  | { kind: 'trash' | 'restore' | 'delete'; pick: number }
  | { kind: 'date'; pick: number; takenAt: number | null };

// Dates from 1950 to 2040, some on the same few days, some before 1970 (negative ms).
const when = fc.oneof(fc.integer({ min: -630_000_000_000, max: 2_200_000_000_000 }), fc.constantFrom(0, -1, DAY - 1, DAY, -DAY, 1_722_686_400_000));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), takenAt: fc.option(when), modifiedAt: fc.option(when), createdAt: when, trashed: fc.boolean() }) },
  fc.record({ kind: fc.constantFrom('trash' as const, 'restore' as const, 'delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('date' as const), pick: fc.nat(), takenAt: fc.option(when) }),
);

function apply(cdb: CatalogDb, ops: Op[]): void {
  const db = cdb.db;
  db.prepare(`INSERT OR IGNORE INTO blobs (hash, hash_algorithm, size, created_at) VALUES (?, 'sha256', 1, 0)`).run('a'.repeat(64));
  const ids = () => (db.prepare('SELECT id FROM files ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
  for (const o of ops) {
    if (o.kind === 'add') {
      db.prepare(`INSERT INTO files (name, blob_hash, size, media_type, taken_at, modified_at, created_at, trashed_at) VALUES ('x.jpg', ?, 1, 'image/jpeg', ?, ?, ?, ?)`)
        .run('a'.repeat(64), o.takenAt, o.modifiedAt, o.createdAt, o.trashed ? 1 : null);
      continue;
    }
    const all = ids();
    if (all.length === 0) continue;
    const id = all[o.pick % all.length]!;
    if (o.kind === 'trash') db.prepare('UPDATE files SET trashed_at = 5 WHERE id = ?').run(id);
    if (o.kind === 'restore') db.prepare('UPDATE files SET trashed_at = NULL WHERE id = ?').run(id);
    if (o.kind === 'delete') db.prepare('DELETE FROM files WHERE id = ?').run(id);
    if (o.kind === 'date') db.prepare(`UPDATE files SET taken_at = ?, date_source = 'exif' WHERE id = ?`).run(o.takenAt, id);
  }
}

describe('the timeline day index', () => {
  it('after any adds, trashes, restores, deletes and date changes, the days and every page match a full query', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (ops, pageSize) => {
        const cdb = CatalogDb.open(path.join(tempDir(), 'catalog.sqlite'));
        try {
          apply(cdb, ops);
          const t = new TimelineCatalog(cdb);
          const ref = reference(cdb);
          assert.deepEqual(t.days(), referenceDays(ref));
          assert.deepEqual(t.dayIndexErrors(), []);
          const paged: Array<{ fileId: number; at: number }> = [];
          for (let offset = 0; offset < ref.length + pageSize; offset += pageSize) {
            const p = t.page(offset, pageSize);
            assert.equal(p.total, ref.length);
            paged.push(...p.items.map((i) => ({ fileId: i.fileId, at: i.at })));
          }
          assert.deepEqual(paged, ref);
        } finally {
          cdb.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a day index out of step with the files is reported by check and recounted', () => {
    const cdb = CatalogDb.open(path.join(tempDir(), 'catalog.sqlite'));
    try {
      apply(cdb, [
        { kind: 'add', takenAt: 1_722_686_400_000, modifiedAt: null, createdAt: 1, trashed: false },
        { kind: 'add', takenAt: 1_722_686_400_000 + 1000, modifiedAt: null, createdAt: 1, trashed: false },
      ]);
      cdb.db.prepare('UPDATE timeline_days SET files = 7').run();
      const t = new TimelineCatalog(cdb);
      assert.deepEqual(t.dayIndexErrors(), [{ day: Math.floor(1_722_686_400_000 / DAY), recorded: 7, actual: 2 }]);
      const problems = checkLibrary(cdb, path.join(tempDir(), 'objects')).problems.filter((p) => p.kind === 'timeline-index');
      assert.equal(problems.length, 1);
      assert.match(problems[0]!.message, /day index says 7 files on 2024-08-03, there are 2/);
      cdb.write(() => recountTimelineDays(cdb.db));
      assert.deepEqual(t.dayIndexErrors(), []);
      assert.deepEqual(t.days(), [{ day: '2024-08-03', count: 2 }]);
    } finally {
      cdb.close();
    }
  });
});
