// Issue #15 item 5, as it happened: files were moved to Trash while the computer's clock read
// 1970; the first `run` after the clock was fixed purged them at once. Real processes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { killStartedClis, runCli, startCli, waitFor } from '../support/fixtures.js';
import { trashedLibrary } from './race-helpers.js';

after(killStartedClis);

describe('Trash and a clock that was wrong', () => {
  it('files trashed while the clock read 1970 survive the first `run` after the clock is fixed', { timeout: 120_000 }, async () => {
    const t = await trashedLibrary(5, 'clock');
    const db = new Database(path.join(t.library, 'catalog.sqlite'));
    db.prepare('UPDATE files SET trashed_at = ? WHERE trashed_at IS NOT NULL').run(3_600_000); // 1 January 1970, 01:00
    db.close();
    const run = startCli(['run'], { library: t.library });
    await waitFor(() => fs.existsSync(path.join(t.library, 'run-status.json')) || run.child.exitCode !== null, 60_000, 'run to start');
    run.child.kill('SIGTERM');
    assert.equal((await run.done).code, 0);
    const trash = JSON.parse((await runCli(['--json', 'trash', 'ls'], { library: t.library })).stdout) as Array<{ trashedAt: number }>;
    assert.equal(trash.length, 5, 'nothing purged');
    for (const f of trash) assert.ok(Math.abs(f.trashedAt - Date.now()) < 10 * 60_000, 'the untrusted date was replaced by the time of the purge');
    const check = JSON.parse((await runCli(['--json', 'check'], { library: t.library })).stdout) as { problems: unknown[]; blobsChecked: number };
    assert.deepEqual(check.problems, []);
    assert.equal(check.blobsChecked, 5);
  });
});
