// A burst of 10,000 files copied into a watched folder at once (issue #4): no event is lost,
// every file is backed up exactly once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../main/core/engine.js';
import { jpeg, tempDir, waitFor } from '../support/fixtures.js';
describe('a burst of 10,000 new files in a watched folder', () => {
    it('backs up every one exactly once', { timeout: 180_000 }, async (t) => {
        const root = path.join(tempDir(), 'Burst');
        fs.mkdirSync(root);
        const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib'), watch: { timing: { settleMs: 300, deleteDelayMs: 1500 }, tickMs: 50 } });
        try {
            await engine.addWatch(root, {});
            const run = await engine.run();
            const base = await jpeg('burst');
            const started = Date.now();
            for (let i = 0; i < 10_000; i++) {
                const dir = path.join(root, `D${i % 20}`);
                if (i < 20)
                    fs.mkdirSync(dir);
                const b = Buffer.from(base);
                b.write(String(i).padStart(8, '0'), 30, 'latin1');
                fs.writeFileSync(path.join(dir, `IMG_${i}.jpg`), b);
            }
            await waitFor(() => engine.status().files === 10_000 && engine.status().sync?.queued === 0, 150_000, 'all 10,000 files backed up');
            t.diagnostic(`10,000 files backed up ${((Date.now() - started) / 1000).toFixed(1)} s after the burst began`);
            await run.stop();
            const rows = engine.list();
            assert.equal(rows.length, 10_000);
            assert.equal(new Set(rows.map((r) => `${r.album}/${r.name}`)).size, 10_000);
        }
        finally {
            await engine.close();
        }
    });
});
//# sourceMappingURL=burst.test.js.map