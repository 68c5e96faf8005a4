import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { tempDir } from '../../../test/support/fixtures.js';
import { checkpoint, damagePage, pagesOf } from '../../../test/support/catalog-damage.js';
import { CatalogDb } from './catalog.js';
import { fitHeaderToFile, salvageCatalog } from './catalog-salvage.js';
const N = 600;
const hashOf = (i) => i.toString(16).padStart(64, '0');
function catalog() {
    const file = path.join(tempDir(), 'catalog.sqlite');
    const cdb = CatalogDb.open(file);
    cdb.write(() => {
        cdb.db.prepare(`INSERT INTO albums (name, kind, created_at) VALUES ('Holiday', 'user', 0)`).run();
        cdb.db.prepare(`INSERT INTO watches (path, mode, added_at) VALUES ('/home/me/Pictures', 'separate', 0)`).run();
        for (let i = 0; i < N; i++) {
            cdb.db.prepare(`INSERT INTO blobs (hash, hash_algorithm, size, created_at) VALUES (?, 'sha256', 10, 0)`).run(hashOf(i));
            const id = cdb.db.prepare('INSERT INTO files (name, blob_hash, size, media_type, created_at, trashed_at) VALUES (?, ?, 10, ?, 5, ?)').run(`IMG_${i}.jpg`, hashOf(i), 'image/jpeg', i % 10 === 0 ? 7 : null).lastInsertRowid;
            cdb.db.prepare('INSERT INTO source_records (path, album_id, file_id, size, mtime_ms, ino, hash, recorded_at) VALUES (?, 1, ?, 10, 0, ?, ?, 0)').run(`/home/me/Pictures/src_${i}.jpg`, id, i, hashOf(i));
        }
    });
    cdb.close();
    checkpoint(file);
    return file;
}
describe('catalog salvage', () => {
    it('reads every row of an undamaged catalog', () => {
        const s = salvageCatalog(catalog());
        assert.equal(s.unreadable, null);
        assert.equal(s.files.length, N);
        assert.equal(s.files.filter((f) => f.trashed).length, N / 10);
        assert.equal(s.sourceNames.get(hashOf(7)), 'src_7.jpg');
        assert.deepEqual(s.albums.map((a) => a.name), ['Holiday']);
        assert.deepEqual(s.watches.map((w) => [w.path, w.mode]), [['/home/me/Pictures', 'separate']]);
        assert.equal(s.rowsLost, 0);
    });
    it('one damaged page of files loses only the rows stored on it', () => {
        const file = catalog();
        const leaves = pagesOf(file, 'files').filter((p) => p.type === 'leaf');
        assert.ok(leaves.length >= 3, 'the table spans several pages');
        const victim = leaves[1].page;
        const db = new Database(file, { readonly: true });
        const onPage = db.prepare('SELECT COUNT(*) AS n FROM dbstat WHERE name = ? AND pageno = ?').get('files', victim).n;
        const cells = db.prepare('SELECT ncell FROM dbstat WHERE name = ? AND pageno = ?').get('files', victim).ncell;
        db.close();
        assert.equal(onPage, 1);
        damagePage(file, victim);
        const s = salvageCatalog(file);
        assert.equal(s.unreadable, null);
        assert.equal(s.files.length, N - cells, `exactly the ${cells} rows of page ${victim} are lost`);
        assert.ok(s.rowsLost >= 1);
        assert.equal(s.sourceNames.size, N, 'other tables read in full');
    });
    it('a copy cut short is read up to where it was cut', () => {
        const file = catalog();
        fs.truncateSync(file, Math.floor(fs.statSync(file).size * 0.6) + 123);
        assert.notEqual(salvageCatalog(file).unreadable, null, 'as it is, SQLite refuses the whole file');
        assert.equal(fitHeaderToFile(file), true);
        const s = salvageCatalog(file);
        assert.equal(s.unreadable, null);
        assert.ok(s.files.length > 0 && s.files.length < N, `${s.files.length} of ${N} files read`);
    });
    it('a file that is not a database gives nothing, without throwing', () => {
        const file = path.join(tempDir(), 'catalog.sqlite');
        fs.writeFileSync(file, Buffer.alloc(8192, 7));
        assert.equal(fitHeaderToFile(file), false);
        const s = salvageCatalog(file);
        assert.match(s.unreadable ?? '', /not a database/);
        assert.equal(s.files.length, 0);
    });
});
//# sourceMappingURL=catalog-salvage.test.js.map