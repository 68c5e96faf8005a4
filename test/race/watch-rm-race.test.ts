// `watch rm` while the folder's files are on their way into the library (found by a walk-through:
// the commit failed with "FOREIGN KEY constraint failed", was reported as a library write error
// that never cleared, and status said Paused). Placed by construction: the syncing process stops
// once a file's bytes are identified, before its commit; the folder is removed meanwhile.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnPaused } from '../support/crash-kit.js';
import { jpeg, killStartedClis, runCli, tempDir, writeTree } from '../support/fixtures.js';

after(killStartedClis);

describe('stop watching a folder while it syncs', () => {
  it('the files on their way are dropped quietly: no library error, nothing half-recorded, the library checks clean, no stray blob left', { timeout: 120_000 }, async () => {
    const library = path.join(tempDir(), 'lib');
    const root = path.join(tempDir(), 'Photos');
    writeTree(root, { 'a.jpg': await jpeg('watch-rm-a'), 'b.jpg': await jpeg('watch-rm-b') });
    const adding = spawnPaused(['watch', 'add', root], { library, point: 'upload-commit', step: 1 });
    await adding.paused;
    const rm = await runCli(['watch', 'rm', root], { library });
    assert.equal(rm.code, 0, rm.stderr);
    adding.resume();
    const done = await adding.exited;
    assert.equal(done.code, 0, done.stderr);
    assert.doesNotMatch(done.stderr, /FOREIGN KEY|failed|went wrong/i, done.stderr);
    assert.match(done.stderr, /stopped being watched while it was backed up/);
    const status = JSON.parse((await runCli(['--json', 'status'], { library })).stdout) as { errors: number; recentErrors: unknown[] };
    assert.deepEqual([status.errors, status.recentErrors], [0, []], 'no error recorded');
    const check = await runCli(['--json', 'check'], { library });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    // The bytes already placed for the dropped files name no row: the process collects them at close.
    assert.equal((JSON.parse(check.stdout) as { strayBlobs: number }).strayBlobs, 0, 'no stray blob left behind');
    const rows = (await runCli(['--json', 'watch', 'ls'], { library })).stdout;
    assert.deepEqual(JSON.parse(rows) as unknown[], [], 'the folder is not watched');
  });
});
