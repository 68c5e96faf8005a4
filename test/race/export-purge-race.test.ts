// An export running while another process empties Trash of the photos it is writing: the ones it
// can no longer read were deleted, not damaged. Real processes, the export held at an exact step
// by the fault layer's `pause` action (main/core/faults.ts), so the interleaving happens every run.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { jpeg, killStartedClis, parseLines, runCli, startCli, tempDir, writeTree } from '../support/fixtures.js';
import { PauseControl } from '../support/pause.js';
import type { ExportSummary } from '../../main/core/export/export-service.js';

const N = 40;

after(killStartedClis);

describe('export racing a Trash purge (real processes)', () => {
  it('photos purged while the export runs are reported as deleted, never as damaged bytes to repair', { timeout: 180_000 }, async () => {
    const library = path.join(tempDir('shoebox-race-'), 'lib');
    const src = path.join(tempDir('shoebox-race-tree-'), 'Trip');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < N; i++) files[`IMG_${i}.jpg`] = await jpeg(`export-purge-${i}`, 3000 + (i % 5) * 5000);
    writeTree(src, files);
    assert.equal((await runCli(['upload', src], { library })).code, 0);
    const ids = parseLines<{ fileId: number }>((await runCli(['--json', 'ls', 'Trip'], { library })).stdout).map((r) => String(r.fileId));
    const pause = new PauseControl();
    const dest = path.join(tempDir(), 'out');
    const exp = startCli(['--json', 'export', '--all', dest], { library, env: pause.env('export-file') });
    await pause.reached('export-file', () => exp.child.exitCode !== null);
    assert.equal((await runCli(['rm', ...ids], { library })).code, 0);
    assert.equal((await runCli(['trash', 'empty', '--yes'], { library })).code, 0);
    pause.release('export-file');
    const r = await exp.done;
    const s = JSON.parse(r.stdout) as ExportSummary;
    assert.ok(s.failed.length > 0, 'some photos were purged before the export reached them');
    assert.equal(s.written + s.linked + s.skipped + s.failed.length, N);
    for (const f of s.failed) {
      assert.equal(f.code, 'NOT_FOUND', f.message);
      assert.match(f.message, /was deleted from the library \(its Trash emptied\) while the export ran/);
    }
    assert.doesNotMatch(r.stderr, /check --repair/);
    const check = await runCli(['check'], { library });
    assert.equal(check.code, 0, check.stdout + check.stderr);
  });
});
