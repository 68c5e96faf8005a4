import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { albumNameFor } from './album-mapping.js';
describe('albumNameFor (DESIGN §2)', () => {
    it('single mode puts every file at any depth in the root album', () => {
        assert.equal(albumNameFor('Photos', '2024/Summer', 'single'), 'Photos');
        assert.equal(albumNameFor('Photos', '', 'single'), 'Photos');
    });
    it('separate mode uses only the leaf folder name', () => {
        assert.equal(albumNameFor('Photos', '2024/Summer', 'separate'), 'Summer');
        assert.equal(albumNameFor('Photos', 'Backup/Summer', 'separate'), 'Summer');
        assert.equal(albumNameFor('Photos', '2024', 'separate'), '2024');
    });
    it('separate mode puts files directly in the root into the root album', () => {
        assert.equal(albumNameFor('Photos', '', 'separate'), 'Photos');
    });
});
//# sourceMappingURL=album-mapping.test.js.map