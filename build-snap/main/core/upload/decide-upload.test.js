import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideUpload } from './decide-upload.js';
describe('decideUpload (DESIGN §3)', () => {
    it('same name and hash already in the target album is skipped', () => {
        assert.deepEqual(decideUpload({ inTargetAlbum: 7, elsewhere: 7 }), { action: 'skip', fileId: 7 });
    });
    it('same name and hash in another album adds a membership', () => {
        assert.deepEqual(decideUpload({ inTargetAlbum: undefined, elsewhere: 3 }), { action: 'addMembership', fileId: 3 });
    });
    it('nothing with that name and hash creates a new file', () => {
        assert.deepEqual(decideUpload({ inTargetAlbum: undefined, elsewhere: undefined }), { action: 'create' });
    });
    it('a loose file whose copy is in some album is already backed up (no Uncategorized membership)', () => {
        assert.deepEqual(decideUpload({ inTargetAlbum: undefined, elsewhere: 4, targetIsUncategorized: true }), { action: 'skip', fileId: 4 });
    });
});
//# sourceMappingURL=decide-upload.test.js.map