// Catalog snapshots are taken while other processes write (issue #15, item 4): a snapshot taken
// during an upload in another process is a consistent catalog (every invariant holds, every
// blob it lists is on disk), and taking it never blocks or breaks the upload.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { CLI, jpeg, tempDir, waitFor, writeTree } from '../support/fixtures.js';
import { writeSnapshot } from '../../main/core/catalog/catalog-snapshots.js';
import { CatalogDb } from '../../main/core/catalog/catalog.js';
import { checkLibrary } from '../../main/core/check/library-check.js';
const FILES = 1500;
function count(file) {
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 15_000 });
    try {
        return db.prepare('SELECT COUNT(*) AS n FROM files').get().n;
    }
    finally {
        db.close();
    }
}
describe('catalog snapshots beside a running upload', () => {
    it('a snapshot taken during a concurrent upload is a consistent catalog', async () => {
        const library = path.join(tempDir(), 'lib');
        const src = path.join(tempDir(), 'Burst');
        const files = {};
        for (let i = 0; i < FILES; i++)
            files[`IMG_${i}.jpg`] = await jpeg(`burst-${i}`);
        writeTree(src, files);
        const catalog = path.join(library, 'catalog.sqlite');
        const upload = spawn(process.execPath, [CLI, 'upload', src], { env: { ...process.env, SHOEBOX_LIBRARY: library }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        upload.stderr.on('data', (d) => (stderr += d.toString()));
        let running = true;
        const exited = new Promise((resolve) => upload.on('exit', (code) => ((running = false), resolve(code))));
        await waitFor(() => { try {
            return count(catalog) > 0;
        }
        catch {
            return false;
        } }, 60_000, 'the first committed file');
        const dir = path.join(tempDir(), 'snapshots');
        const snapshots = [];
        // What the snapshot job runs in its worker, minus pruning (every snapshot is checked below).
        const take = () => snapshots.push(writeSnapshot(catalog, dir, 'before-repair', Date.now() + snapshots.length));
        // The first one by construction mid-upload: the upload can't commit while this connection
        // holds the write lock, and the snapshot (a reader) must not need it.
        const writer = new Database(catalog, { timeout: 15_000 });
        writer.prepare('BEGIN IMMEDIATE').run();
        const committed = writer.prepare('SELECT COUNT(*) AS n FROM files').get().n;
        try {
            take();
        }
        finally {
            writer.prepare('ROLLBACK').run();
            writer.close();
        }
        // Then as many as fit while the upload commits file after file.
        while (running) {
            take();
            await new Promise((r) => setTimeout(r, 5));
        }
        assert.equal(await exited, 0, stderr);
        assert.equal(count(catalog), FILES);
        const counts = snapshots.map((s) => count(s.file));
        assert.equal(counts[0], committed, 'the first snapshot holds exactly what was committed');
        assert.ok(counts[0] > 0 && counts[0] < FILES, `taken mid-upload (${counts[0]} of ${FILES})`);
        for (let i = 1; i < counts.length; i++)
            assert.ok(counts[i] >= counts[i - 1], 'later snapshots never hold less');
        for (const s of snapshots) {
            const cdb = CatalogDb.open(s.file, { readonly: true });
            try {
                const report = checkLibrary(cdb, path.join(library, 'objects'));
                assert.deepEqual(report.problems, [], `${s.name}: every invariant holds and every blob it lists is on disk`);
            }
            finally {
                cdb.close();
            }
        }
    });
});
//# sourceMappingURL=catalog-snapshot-concurrency.test.js.map