import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, tempDir, writeTree } from '../../../test/support/fixtures.js';
import { verifyLibrary } from '../../../test/support/verify-library.js';
import { Engine } from '../engine.js';
import { blobPath } from './blob-store.js';
describe('collecting leftovers of a crashed process', () => {
    it('removes a dead process\'s temp files and unreferenced blobs, keeps every referenced blob', async () => {
        const libraryDir = path.join(tempDir(), 'lib');
        const src = path.join(tempDir(), 'A');
        writeTree(src, { 'a.jpg': await jpeg('gc-a'), 'b.jpg': await jpeg('gc-b') });
        let engine = Engine.open({ libraryDir });
        await engine.upload({ paths: [src] });
        await engine.close();
        // What a process killed between placing a blob and committing its row leaves behind:
        const stray = blobPath(path.join(libraryDir, 'objects'), 'ab'.repeat(32));
        fs.mkdirSync(path.dirname(stray), { recursive: true });
        fs.writeFileSync(stray, 'orphan bytes');
        const deadPid = 2 ** 22 + 12345; // above Linux's pid_max default: never alive
        fs.writeFileSync(path.join(libraryDir, 'procs', String(deadPid)), '');
        fs.mkdirSync(path.join(libraryDir, 'tmp', String(deadPid)));
        fs.writeFileSync(path.join(libraryDir, 'tmp', String(deadPid), 'x.part'), 'half a photo');
        engine = Engine.open({ libraryDir });
        await engine.close();
        assert.equal(fs.existsSync(stray), false);
        assert.equal(fs.existsSync(path.join(libraryDir, 'tmp', String(deadPid))), false);
        const v = verifyLibrary(libraryDir);
        assert.deepEqual(v.problems, []);
        assert.equal(v.blobsChecked, 2);
        assert.equal(v.strayBlobs, 0);
    });
    it('a blob that vanished from disk is stored again when its bytes are uploaded again', async () => {
        const libraryDir = path.join(tempDir(), 'lib');
        const src = path.join(tempDir(), 'B');
        const bytes = await jpeg('gc-c');
        writeTree(src, { 'c.jpg': bytes });
        const engine = Engine.open({ libraryDir });
        try {
            await engine.upload({ paths: [src] });
            const [row] = engine.list();
            fs.rmSync(blobPath(engine.paths.objects, row.hash));
            assert.equal(verifyLibrary(libraryDir).problems[0]?.kind, 'blob-missing');
            const again = path.join(tempDir(), 'C');
            writeTree(again, { 'c-copy.jpg': bytes }); // a new name: rule 3 creates a file and needs the bytes
            const s = await engine.upload({ paths: [again] });
            assert.equal(s.failed, 0);
            assert.deepEqual(fs.readFileSync(blobPath(engine.paths.objects, row.hash)), bytes);
            assert.deepEqual(verifyLibrary(libraryDir).problems, []);
        }
        finally {
            await engine.close();
        }
    });
});
//# sourceMappingURL=blob-gc.test.js.map