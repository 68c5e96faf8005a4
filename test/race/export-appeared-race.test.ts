// A file put where an export or a restore is writing, while it writes (helper-50: a 300 MB
// export replaced "FOREIGN", put at its name mid-copy, and said "written"). Real processes, held
// by the fault layer's `pause` action right before the verified copy takes its name
// ([Note: Never over a file that appeared meanwhile]), so the interleaving happens every run.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { jpeg, killStartedClis, runCli, startCli, tempDir, writeTree } from '../support/fixtures.js';
import { PauseControl } from '../support/pause.js';

after(killStartedClis);

describe('a file put where an export or restore is writing, while it writes (real processes)', () => {
  it('is never replaced: export reports a conflict, restore writes beside it', { timeout: 120_000 }, async () => {
    const library = path.join(tempDir('shoebox-race-'), 'lib');
    const src = path.join(tempDir('shoebox-race-tree-'), 'Trip');
    const photo = await jpeg('appeared-mid-copy', 20_000);
    writeTree(src, { 'big.jpg': photo });
    assert.equal((await runCli(['watch', 'add', src], { library })).code, 0);

    const dest = path.join(tempDir(), 'out');
    const pause = new PauseControl();
    const exp = startCli(['--json', 'export', '--all', dest], { library, env: pause.env('export-copied') });
    await pause.reached('export-copied', () => exp.child.exitCode !== null);
    fs.writeFileSync(path.join(dest, 'Trip', 'big.jpg'), 'FOREIGN');
    pause.release('export-copied');
    const e = await exp.done;
    assert.equal(e.code, 3, e.stdout + e.stderr);
    const s = JSON.parse(e.stdout) as { written: number; failed: Array<{ code: string }> };
    assert.deepEqual([s.written, s.failed.map((f) => f.code)], [0, ['CONFLICT']]);
    assert.equal(fs.readFileSync(path.join(dest, 'Trip', 'big.jpg'), 'utf8'), 'FOREIGN', 'never replaced');
    assert.deepEqual(fs.readdirSync(path.join(dest, 'Trip')), ['big.jpg'], 'no temp copy left');

    const to = tempDir();
    const again = new PauseControl();
    const res = startCli(['--json', 'restore', src, '--to', to], { library, env: again.env('export-copied') });
    await again.reached('export-copied', () => res.child.exitCode !== null);
    fs.writeFileSync(path.join(to, 'big.jpg'), 'FOREIGN');
    again.release('export-copied');
    const r = await res.done;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const rs = JSON.parse(r.stdout) as { written: number; beside: Array<{ path: string; wroteBeside: string }> };
    assert.equal(fs.readFileSync(path.join(to, 'big.jpg'), 'utf8'), 'FOREIGN', 'never replaced');
    assert.equal(rs.beside.length, 1);
    assert.deepEqual(fs.readFileSync(rs.beside[0]!.wroteBeside), photo, 'the photo written beside it');
  });
});
