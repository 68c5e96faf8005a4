// Two commands on a brand-new library at once (found by a walk-through: one in four rounds of two
// `watch add`s failed with exit 5, "table meta already exists"). The race is placed by
// construction: the first process stops after reading the schema version, before it takes the
// write lock for the first migration step; the second creates the whole catalog meanwhile.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnPaused } from '../support/crash-kit.js';
import { jpeg, killStartedClis, parseLines, runCli, tempDir, writeTree } from '../support/fixtures.js';

after(killStartedClis);

describe('two processes creating one library', () => {
  it('the one that read the schema version before the other migrated goes on from where the catalog is, and both commands do their work', { timeout: 120_000 }, async () => {
    const library = path.join(tempDir(), 'lib');
    const root = tempDir();
    writeTree(root, { 'A/a.jpg': await jpeg('new-lib-a'), 'B/b.jpg': await jpeg('new-lib-b') });
    const first = spawnPaused(['upload', path.join(root, 'A')], { library, point: 'catalog-migrate', step: 1 });
    await first.paused;
    const second = await runCli(['upload', path.join(root, 'B')], { library });
    assert.equal(second.code, 0, second.stderr);
    first.resume();
    const done = await first.exited;
    assert.equal(done.code, 0, done.stderr);
    const rows = parseLines<{ album: string; name: string }>((await runCli(['--json', 'ls'], { library })).stdout);
    assert.deepEqual(rows.map((r) => `${r.album}/${r.name}`).sort(), ['A/a.jpg', 'B/b.jpg']);
    const check = await runCli(['check'], { library });
    assert.equal(check.code, 0, check.stdout + check.stderr);
  });
});
