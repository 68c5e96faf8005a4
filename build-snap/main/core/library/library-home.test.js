import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/support/fixtures.js';
import { LibraryHome, makeDirBelow } from './library-home.js';
describe('the library folder as opened', () => {
    it('is in place until renamed; then LIBRARY_MOVED names the new place (Linux) and stays', () => {
        const base = tempDir();
        const root = path.join(base, 'lib');
        fs.mkdirSync(root);
        const home = new LibraryHome(root);
        try {
            assert.equal(home.check(), null);
            fs.renameSync(root, path.join(base, 'elsewhere'));
            const err = home.check();
            assert.equal(err?.code, 'LIBRARY_MOVED');
            if (process.platform === 'linux')
                assert.match(err.userMessage, new RegExp(`it is now ${path.join(base, 'elsewhere')}`));
            fs.mkdirSync(root); // a new, different folder at the old path is not the library either
            assert.throws(() => home.assertInPlace(), /was moved or renamed/);
        }
        finally {
            home.close();
        }
    });
    it('makeDirBelow creates only the last levels asked for, never the library folder itself', () => {
        const base = tempDir();
        const root = path.join(base, 'lib');
        assert.throws(() => makeDirBelow(path.join(root, 'objects', 'ab'), 2), { code: 'ENOENT' });
        assert.equal(fs.existsSync(root), false);
        fs.mkdirSync(root);
        makeDirBelow(path.join(root, 'objects', 'ab'), 2);
        makeDirBelow(path.join(root, 'objects', 'ab'), 2); // already there: fine
        assert.ok(fs.statSync(path.join(root, 'objects', 'ab')).isDirectory());
    });
});
//# sourceMappingURL=library-home.test.js.map