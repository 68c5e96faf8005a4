import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { tempDir } from '../../../test/support/fixtures.js';
import { checkpoint, damagePage, pagesOf } from '../../../test/support/catalog-damage.js';
import { CatalogDb } from './catalog.js';
import { dailySnapshotDue, listSnapshots, pruneSnapshots, runSnapshotTask, snapshotName, verifyCatalogFile, writeSnapshot } from './catalog-snapshots.js';
import { CURRENT_SCHEMA_VERSION, migrations } from './migrations.js';
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 12);
function catalogWithFiles(n) {
    const file = path.join(tempDir(), 'catalog.sqlite');
    const cdb = CatalogDb.open(file);
    cdb.write(() => {
        for (let i = 0; i < n; i++) {
            const hash = i.toString(16).padStart(64, '0');
            cdb.db.prepare(`INSERT INTO blobs (hash, hash_algorithm, size, created_at) VALUES (?, 'sha256', 10, 0)`).run(hash);
            cdb.db.prepare('INSERT INTO files (name, blob_hash, size, media_type, created_at) VALUES (?, ?, 10, ?, 0)').run(`IMG_${i}.jpg`, hash, 'image/jpeg');
        }
    });
    cdb.close();
    return file;
}
/** Writes empty files named like snapshots (retention and listing only look at names). */
function fakeSnapshots(dir, list) {
    fs.mkdirSync(dir, { recursive: true });
    for (const [at, kind] of list)
        fs.writeFileSync(path.join(dir, snapshotName(at, kind)), '');
}
describe('catalog snapshots', () => {
    it('a snapshot is a complete, verified copy under its final name, with no temp file left', () => {
        const file = catalogWithFiles(50);
        const dir = path.join(tempDir(), 'snapshots');
        const s = writeSnapshot(file, dir, 'daily', T0);
        assert.equal(s.name, 'catalog-2026-11-01T12-00-00.000Z-daily.sqlite');
        assert.deepEqual(fs.readdirSync(dir), [s.name]);
        assert.equal(s.schemaVersion, CURRENT_SCHEMA_VERSION);
        assert.deepEqual(verifyCatalogFile(s.file), { ok: true, problems: [], schemaVersion: CURRENT_SCHEMA_VERSION });
        const copy = new Database(s.file, { readonly: true });
        assert.equal(copy.prepare('SELECT COUNT(*) AS n FROM files').get().n, 50);
        assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete', 'one self-contained file, no WAL beside it');
        copy.close();
        assert.deepEqual(listSnapshots(dir).map((x) => [x.kind, x.takenAt]), [['daily', T0]]);
    });
    it('a catalog whose tables cannot be read gives no snapshot, and says it is damaged', () => {
        const file = catalogWithFiles(300);
        checkpoint(file);
        const leaf = pagesOf(file, 'files').find((p) => p.type === 'leaf');
        damagePage(file, leaf.page);
        const dir = path.join(tempDir(), 'snapshots');
        const r = runSnapshotTask({ catalogPath: file, dir, kind: 'daily', at: T0, checkSource: true });
        assert.equal(r.ok, false);
        assert.equal(!r.ok && r.damaged, true);
        assert.deepEqual(fs.readdirSync(dir), [], 'neither a snapshot nor its temp file is left');
    });
    it('a damaged index in the live catalog is reported by the daily snapshot', () => {
        const file = catalogWithFiles(300);
        checkpoint(file);
        damagePage(file, pagesOf(file, 'files_hash_name').at(-1).page);
        const r = runSnapshotTask({ catalogPath: file, dir: path.join(tempDir(), 'snapshots'), kind: 'daily', at: T0, checkSource: true });
        // The copy reads indexes too (and fails), or the check of the live catalog finds it.
        assert.ok((!r.ok && r.damaged) || (r.ok && r.sourceProblems.length > 0), JSON.stringify(r));
    });
    it('the temp file of a snapshot write that was killed is removed by the next write', () => {
        const file = catalogWithFiles(5);
        const dir = path.join(tempDir(), 'snapshots');
        fs.mkdirSync(dir);
        const dead = path.join(dir, `.${snapshotName(T0, 'daily')}.tmp-999999999-0`); // no such process
        const live = path.join(dir, `.${snapshotName(T0, 'daily')}.tmp-${process.pid}-7`); // another thread of ours, writing now
        fs.writeFileSync(dead, 'half a catalog');
        fs.writeFileSync(live, 'half a catalog');
        writeSnapshot(file, dir, 'daily', T0 + 1);
        assert.equal(fs.existsSync(dead), false);
        assert.equal(fs.existsSync(live), true);
    });
    it('keeps the last 7 daily, the last 2 migration and the last 3 before-operation snapshots', () => {
        const dir = path.join(tempDir(), 'snapshots');
        fakeSnapshots(dir, [
            ...Array.from({ length: 10 }, (_, i) => [T0 + i * DAY, 'daily']),
            [T0, 'migration'], [T0 + 1, 'migration'], [T0 + 2, 'migration'],
            [T0, 'before-repair'], [T0 + 1, 'before-empty-trash'], [T0 + 2, 'before-repair'], [T0 + 3, 'before-empty-trash'],
        ]);
        fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a snapshot');
        const removed = pruneSnapshots(dir);
        assert.equal(removed.length, 3 + 1 + 1);
        const left = listSnapshots(dir);
        assert.deepEqual(left.filter((s) => s.kind === 'daily').map((s) => s.takenAt), Array.from({ length: 7 }, (_, i) => T0 + (9 - i) * DAY));
        assert.deepEqual(left.filter((s) => s.kind === 'migration').map((s) => s.takenAt), [T0 + 2, T0 + 1]);
        assert.deepEqual(left.filter((s) => s.kind.startsWith('before')).map((s) => s.takenAt), [T0 + 3, T0 + 2, T0 + 1]);
        assert.ok(fs.existsSync(path.join(dir, 'notes.txt')), 'other files are left alone');
    });
    it('a daily snapshot is due with none, a day after the last, and when the last is dated in the future', () => {
        const daily = (at) => [{ file: '', name: '', kind: 'daily', takenAt: at, bytes: 0 }];
        assert.equal(dailySnapshotDue([], T0), true);
        assert.equal(dailySnapshotDue(daily(T0 - 23 * 3600_000), T0), false);
        assert.equal(dailySnapshotDue(daily(T0 - DAY), T0), true);
        assert.equal(dailySnapshotDue(daily(T0 + 365 * DAY), T0), true, 'taken while the clock was wrong');
        assert.equal(dailySnapshotDue([{ file: '', name: '', kind: 'before-repair', takenAt: T0, bytes: 0 }], T0), true, 'only daily ones count');
    });
    it('a migration is preceded by a verified snapshot of the catalog as it was', () => {
        const dir = tempDir();
        const file = path.join(dir, 'catalog.sqlite');
        const old = new Database(file);
        for (let v = 0; v < CURRENT_SCHEMA_VERSION - 1; v++)
            old.exec(migrations[v]);
        old.prepare(`INSERT INTO albums (name, kind, created_at) VALUES ('Uncategorized', 'uncategorized', 0)`).run();
        old.prepare(`INSERT INTO meta (key, value) VALUES ('hash_algorithm', 'sha256')`).run();
        old.pragma(`user_version = ${CURRENT_SCHEMA_VERSION - 1}`);
        old.close();
        const cdb = CatalogDb.open(file, { snapshotDir: path.join(dir, 'snapshots'), now: () => T0 });
        assert.equal(cdb.schemaVersion, CURRENT_SCHEMA_VERSION);
        cdb.close();
        const [s, ...rest] = listSnapshots(path.join(dir, 'snapshots'));
        assert.equal(rest.length, 0);
        assert.equal(s.kind, 'migration');
        assert.deepEqual(verifyCatalogFile(s.file), { ok: true, problems: [], schemaVersion: CURRENT_SCHEMA_VERSION - 1 });
        // A catalog already current, or a new one, takes none.
        CatalogDb.open(file, { snapshotDir: path.join(dir, 'snapshots') }).close();
        CatalogDb.open(path.join(dir, 'new.sqlite'), { snapshotDir: path.join(dir, 'snapshots') }).close();
        assert.equal(listSnapshots(path.join(dir, 'snapshots')).length, 1);
    });
});
//# sourceMappingURL=catalog-snapshots.test.js.map