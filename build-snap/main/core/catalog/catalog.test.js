import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { tempDir } from '../../../test/support/fixtures.js';
import { CatalogDb } from './catalog.js';
import { LibraryCatalog } from './library-catalog.js';
import { CURRENT_SCHEMA_VERSION } from './migrations.js';
function open() {
    const file = path.join(tempDir(), 'catalog.sqlite');
    const cdb = CatalogDb.open(file);
    return { file, cdb, cat: new LibraryCatalog(cdb) };
}
describe('catalog', () => {
    it('migrates a new catalog to the current version with WAL and foreign keys on', () => {
        const { cdb } = open();
        assert.equal(cdb.schemaVersion, CURRENT_SCHEMA_VERSION);
        assert.equal(cdb.db.pragma('journal_mode', { simple: true }), 'wal');
        assert.equal(cdb.db.pragma('foreign_keys', { simple: true }), 1);
        assert.equal(cdb.meta('hash_algorithm'), 'sha256');
        assert.deepEqual(cdb.integrityCheck(), ['ok']);
    });
    it('reopening does not migrate twice', () => {
        const { file, cdb } = open();
        cdb.close();
        const again = CatalogDb.open(file);
        assert.equal(again.schemaVersion, CURRENT_SCHEMA_VERSION);
        assert.equal(again.db.prepare(`SELECT COUNT(*) AS n FROM albums WHERE kind = 'uncategorized'`).get().n, 1);
    });
    it('refuses a catalog written by a newer Shoebox and leaves it unchanged', () => {
        const { file, cdb } = open();
        cdb.db.pragma(`user_version = ${CURRENT_SCHEMA_VERSION + 5}`);
        cdb.close();
        assert.throws(() => CatalogDb.open(file), (e) => e.code === 'LIBRARY_TOO_NEW' && /newer version of Shoebox/.test(e.message));
        const raw = new Database(file);
        assert.equal(raw.pragma('user_version', { simple: true }), CURRENT_SCHEMA_VERSION + 5);
        raw.close();
    });
    it('refuses a file that is not a catalog with a message that protects the library', () => {
        const file = path.join(tempDir(), 'catalog.sqlite');
        fs.writeFileSync(file, 'this is not sqlite at all, just text that is long enough to be a header........');
        assert.throws(() => CatalogDb.open(file), (e) => e.code === 'LIBRARY_CORRUPT' && /bytes are safe in .*objects.*`shoebox check --recover`/.test(e.message));
    });
    it('a file in no user album is in Uncategorized, and leaves it when it gains an album', () => {
        const { cdb, cat } = open();
        const fileId = cdb.write(() => {
            cat.insertBlob('aa', 1);
            const id = cat.insertFile({ name: 'x.jpg', hash: 'aa', size: 1, mediaType: 'image/jpeg', modifiedAt: null });
            cat.settleUncategorized(id);
            return id;
        });
        const albumsOf = () => cdb.db.prepare('SELECT album_id AS a FROM memberships WHERE file_id = ? ORDER BY a').all(fileId).map((r) => r.a);
        assert.deepEqual(albumsOf(), [cat.uncategorizedId]);
        const summer = cdb.write(() => cat.ensureAlbum('Summer'));
        cdb.write(() => cat.addMembership(summer, fileId));
        assert.deepEqual(albumsOf(), [summer]);
        cdb.write(() => cat.removeMembership(summer, fileId));
        assert.deepEqual(albumsOf(), [cat.uncategorizedId]);
    });
    it('albums are found by name', () => {
        const { cdb, cat } = open();
        const a = cdb.write(() => cat.ensureAlbum('Summer'));
        const b = cdb.write(() => cat.ensureAlbum('Summer'));
        assert.equal(a, b);
        assert.equal(cat.albumIdByName('Uncategorized'), cat.uncategorizedId);
    });
});
//# sourceMappingURL=catalog.test.js.map