// A library disk filled to the last block (helper-49): the catalog cannot even open without room
// for SQLite's shared-memory file, so every command failed "disk full", also `ls`, `export` to
// another disk and `trash empty`, the ones that get photos out or free space. The library's
// reserve is released so that they run ([Note: The disk reserve]).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { jpeg, killStartedClis, parseLines, runCli, tempDir, writeTree } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';

interface LsRow { name: string; fileId: number }

const root = process.platform === 'linux' && process.getuid?.() === 0;

/** A tmpfs of `size` at a fresh folder, or undefined where mounting is not allowed. */
function tmpfs(size: string): string | undefined {
  const mnt = tempDir('shoebox-reserve-');
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'shoebox-reserve', mnt]).status === 0 ? mnt : undefined;
}

/** Fills the file system holding `dir` up to its last 8 KiB. */
function fill(dir: string): void {
  const { bavail, bsize } = fs.statfsSync(dir);
  execFileSync('fallocate', ['-l', String(bavail * bsize - 8192), path.join(dir, 'filler')]);
}

describe('a library disk that is full to the last block', { skip: !root && 'needs root to mount a small tmpfs' }, () => {
  after(killStartedClis);

  it('reading, exporting elsewhere, moving to Trash and emptying it still work; the reserve comes back once there is room', async () => {
    const mnt = tmpfs('300m'); // 256 MiB at least get a reserve
    if (!mnt) return;
    try {
      const library = path.join(mnt, 'lib');
      const src = path.join(tempDir(), 'Trip');
      writeTree(src, { 'a.jpg': await jpeg('reserve-a'), 'b.jpg': await jpeg('reserve-b') });
      assert.equal((await runCli(['upload', src], { library })).code, 0);
      assert.equal(fs.statSync(path.join(library, 'reserve')).size, 4 * 1024 * 1024, 'made with the library');
      fill(mnt);
      const ls = await runCli(['--json', 'ls'], { library });
      assert.equal(ls.code, 0, ls.stderr);
      assert.deepEqual(parseLines<LsRow>(ls.stdout).map((r) => r.name).sort(), ['a.jpg', 'b.jpg']);
      assert.match(ls.stderr, /the library disk is full: released its reserve/);
      assert.equal(fs.existsSync(path.join(library, 'reserve')), false);
      const out = tempDir();
      assert.equal((await runCli(['export', '--all', out], { library })).code, 0);
      assert.equal(fs.readdirSync(path.join(out, 'Trip')).length, 2);
      const id = parseLines<LsRow>(ls.stdout).find((r) => r.name === 'a.jpg')!.fileId;
      assert.equal((await runCli(['rm', String(id)], { library })).code, 0);
      const empty = await runCli(['trash', 'empty', '--yes'], { library });
      assert.equal(empty.code, 0, empty.stderr);
      assert.match(empty.stdout, /Deleted 1 file for good/);
      assert.deepEqual(verifyLibrary(library).problems, []);
      // Room again: the next command makes the reserve again.
      fs.rmSync(path.join(mnt, 'filler'));
      assert.equal((await runCli(['status'], { library })).code, 0);
      assert.equal(fs.statSync(path.join(library, 'reserve')).size, 4 * 1024 * 1024);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('on a disk under 256 MiB no reserve is made (it would take a large share of it), however much of it is free', async () => {
    const mnt = tmpfs('200m');
    if (!mnt) return;
    try {
      const library = path.join(mnt, 'lib');
      const src = path.join(tempDir(), 'One');
      writeTree(src, { 'a.jpg': await jpeg('reserve-small') });
      assert.equal((await runCli(['upload', src], { library })).code, 0);
      assert.equal(fs.existsSync(path.join(library, 'reserve')), false);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
