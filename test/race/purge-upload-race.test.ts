// Issue #15 item 1: emptying Trash in one process while another uploads the same bytes must
// never leave a file whose bytes are gone. Real processes, held at exact steps by the fault layer's
// `pause` action (main/core/faults.ts), so each interleaving happens every run. test/torture/race-loop.ts
// runs the same races many times with free timing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { killStartedClis, runCli, startCli, waitFor } from '../support/fixtures.js';
import { PauseControl } from '../support/pause.js';
import { ageTrash, lostAfterRace, trashedLibrary } from './race-helpers.js';

const N = 40;

after(killStartedClis);

describe('Trash purge racing an upload of the same bytes (real processes)', () => {
  it('an upload that commits between the purge\'s row deletion and its blob removal keeps its bytes', { timeout: 180_000 }, async () => {
    const t = await trashedLibrary(N, 'gap');
    const pause = new PauseControl();
    const purge = startCli(['trash', 'empty', '--yes'], { library: t.library, env: pause.env('purge-committed') });
    await pause.reached('purge-committed', () => purge.child.exitCode !== null);
    const up = await runCli(['--json', 'upload', t.again], { library: t.library });
    assert.equal(up.code, 0, up.stderr);
    const summary = JSON.parse(up.stdout) as { failed: number; filesTotal: number };
    assert.equal(summary.failed, 0);
    assert.equal(summary.filesTotal, N);
    pause.release('purge-committed');
    const p = await purge.done;
    assert.equal(p.code, 0, p.stderr);
    assert.deepEqual(await lostAfterRace(t), []);
  });

  it('an upload that found the bytes stored, then lost them to the purge before committing, stores them again', { timeout: 180_000 }, async () => {
    const t = await trashedLibrary(N, 'placed');
    const pause = new PauseControl();
    const purge = startCli(['trash', 'empty', '--yes'], { library: t.library, env: pause.env('purge-committed') });
    await pause.reached('purge-committed', () => purge.child.exitCode !== null);
    // The upload copies its first file, finds the blob already there (drops its copy), and is
    // held before its commit; the purge then removes the blob; the commit must notice.
    const up = startCli(['--json', 'upload', t.again], { library: t.library, env: pause.env('upload-commit') });
    await pause.reached('upload-commit', () => up.child.exitCode !== null);
    pause.release('purge-committed');
    const p = await purge.done;
    assert.equal(p.code, 0, p.stderr);
    pause.release('upload-commit');
    const u = await up.done;
    assert.equal(u.code, 0, u.stderr);
    assert.equal((JSON.parse(u.stdout) as { failed: number }).failed, 0);
    assert.deepEqual(await lostAfterRace(t), []);
  });

  it('the purge `run` does on start (and daily) racing an upload keeps every uploaded file\'s bytes', { timeout: 180_000 }, async () => {
    const t = await trashedLibrary(N, 'run');
    ageTrash(t.library);
    const pause = new PauseControl();
    const run = startCli(['run'], { library: t.library, env: pause.env('purge-committed') });
    await pause.reached('purge-committed', () => run.child.exitCode !== null);
    const up = await runCli(['--json', 'upload', t.again], { library: t.library });
    assert.equal(up.code, 0, up.stderr);
    assert.equal((JSON.parse(up.stdout) as { failed: number }).failed, 0);
    pause.release('purge-committed');
    // run-status.json appears once the start-up purge is done and the watches are up.
    await waitFor(() => fs.existsSync(path.join(t.library, 'run-status.json')) || run.child.exitCode !== null, 60_000, 'run to start');
    run.child.kill('SIGTERM');
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse((await runCli(['--json', 'trash', 'ls'], { library: t.library })).stdout) as unknown[]).length, 0, 'run purged the expired Trash');
    assert.deepEqual(await lostAfterRace(t), []);
  });

  it('a purge killed between its row deletions and its blob removal finishes at the next open', { timeout: 180_000 }, async () => {
    const t = await trashedLibrary(8, 'killed');
    const objects = path.join(t.library, 'objects');
    const blobFiles = () => fs.readdirSync(objects).flatMap((d) => fs.readdirSync(path.join(objects, d))).length;
    assert.equal(blobFiles(), 8);
    const pause = new PauseControl();
    const purge = startCli(['trash', 'empty', '--yes'], { library: t.library, env: pause.env('purge-committed') });
    await pause.reached('purge-committed', () => purge.child.exitCode !== null);
    purge.child.kill('SIGKILL');
    await purge.done;
    assert.equal(blobFiles(), 8, 'the rows are gone, the files not yet');
    const status = await runCli(['status'], { library: t.library });
    assert.equal(status.code, 0, status.stderr);
    assert.equal(blobFiles(), 0, 'the next open removed the purged blobs');
    const check = JSON.parse((await runCli(['--json', 'check'], { library: t.library })).stdout) as { problems: unknown[]; strayBlobs: number };
    assert.deepEqual(check.problems, []);
    assert.equal(check.strayBlobs, 0);
  });
});
