// The window remembers its size and position (issue #19), clamped to the displays there are now.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WINDOW_SIZE, parseWindowState, restoreWindowBounds } from './window-state.js';
const laptop = { x: 0, y: 0, width: 1920, height: 1050 }; // a 1080p screen less a 30 px panel
const right = { x: 1920, y: 0, width: 2560, height: 1410 };
describe('window state', () => {
    it('a window saved on a visible display opens where it was, at its size', () => {
        const saved = { bounds: { x: 2100, y: 100, width: 1400, height: 900 }, maximized: false };
        assert.deepEqual(restoreWindowBounds(saved, [laptop, right]), { x: 2100, y: 100, width: 1400, height: 900, maximized: false });
    });
    it('a window saved on a monitor that is gone opens at the default size, centred on the primary display', () => {
        const saved = { bounds: { x: 2100, y: 100, width: 1400, height: 900 }, maximized: true };
        assert.deepEqual(restoreWindowBounds(saved, [laptop]), { width: WINDOW_SIZE.width, height: WINDOW_SIZE.height, maximized: true });
    });
    it('a window partly off-screen is moved wholly onto the display it overlaps most', () => {
        const saved = { bounds: { x: -300, y: 900, width: 1000, height: 600 }, maximized: false };
        assert.deepEqual(restoreWindowBounds(saved, [laptop, right]), { x: 0, y: 450, width: 1000, height: 600, maximized: false });
    });
    it('a window larger than its display (resolution lowered since) is shrunk to the work area, never below the minimum the display allows', () => {
        const saved = { bounds: { x: 0, y: 0, width: 2500, height: 1400 }, maximized: false };
        assert.deepEqual(restoreWindowBounds(saved, [laptop]), { x: 0, y: 0, width: 1920, height: 1050, maximized: false });
        const tiny = { x: 0, y: 0, width: 640, height: 480 };
        assert.deepEqual(restoreWindowBounds(saved, [tiny]), { x: 0, y: 0, width: 640, height: 480, maximized: false });
        assert.deepEqual(restoreWindowBounds(null, [tiny]), { width: 640, height: 480, maximized: false });
    });
    it('a damaged or hand-edited state file is ignored', () => {
        for (const bad of [null, 'x', {}, { bounds: { x: 0, y: 0, width: -5, height: 10 } }, { bounds: { x: 'a', y: 0, width: 5, height: 10 } }, { bounds: { x: Infinity, y: 0, width: 5, height: 10 } }]) {
            assert.equal(parseWindowState(bad), null, JSON.stringify(bad));
        }
        assert.deepEqual(parseWindowState({ bounds: { x: 10.4, y: 20, width: 900, height: 600 }, maximized: 'yes' }), { bounds: { x: 10, y: 20, width: 900, height: 600 }, maximized: false });
    });
});
//# sourceMappingURL=window-state.test.js.map