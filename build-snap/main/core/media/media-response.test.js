import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMediaPath, parseRange } from './media-response.js';
describe('media requests', () => {
    it('reads single byte ranges the way HTTP defines them', () => {
        assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 });
        assert.deepEqual(parseRange('bytes=900-', 1000), { start: 900, end: 999 });
        assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 });
        assert.deepEqual(parseRange('bytes=990-5000', 1000), { start: 990, end: 999 }, 'an end past the file is cut');
        assert.equal(parseRange('bytes=1000-', 1000), 'unsatisfiable');
        assert.equal(parseRange('bytes=50-10', 1000), 'unsatisfiable');
        assert.equal(parseRange('bytes=-0', 1000), 'unsatisfiable');
        assert.equal(parseRange(undefined, 1000), null);
        assert.equal(parseRange('bytes=0-1,5-6', 1000), null, 'several ranges: the whole file');
        assert.equal(parseRange('items=0-1', 1000), null);
    });
    it('a media path names a kind and a file id, nothing else', () => {
        assert.deepEqual(parseMediaPath('thumb/12'), { kind: 'thumb', fileId: 12 });
        assert.deepEqual(parseMediaPath('original/1'), { kind: 'original', fileId: 1 });
        for (const bad of ['thumb/0', 'thumb/-1', 'thumb/01', 'thumb/1.5', 'thumb/1/x', '../thumb/1', 'thumb/', 'file/1', 'thumb/99999999999999999999', ''])
            assert.equal(parseMediaPath(bad), null, bad);
    });
});
//# sourceMappingURL=media-response.test.js.map