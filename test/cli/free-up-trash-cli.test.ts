// The system Trash going wrong under `shoebox free-up` (real processes, real files): a full disk
// where the Trash is, a crash between reserving a name in the Trash and writing it. Each leaves
// every source in place, says what happened without a stack trace, and leaves no info file
// behind to push the next free-up's names to X.2.jpg.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { jpeg, runCli, tempDir, writeTree } from '../support/fixtures.js';

const NAMES = ['a.jpg', 'b.jpg', 'c.jpg'];

/** A folder of photos backed up into a library elsewhere; the Trash's data home next to the photos (the same device). */
async function backedUp(base: string): Promise<{ library: string; root: string; data: string; env: NodeJS.ProcessEnv }> {
  const root = path.join(base, 'Photos');
  const files: Record<string, Buffer> = {};
  for (const n of NAMES) files[n] = await jpeg(`trash-cli-${n}-${base}`, 3000);
  writeTree(root, files);
  const library = path.join(tempDir(), 'lib');
  const data = path.join(base, 'data');
  const up = await runCli(['upload', root], { library });
  assert.equal(up.code, 0, up.stderr);
  return { library, root, data, env: { XDG_DATA_HOME: data } };
}

/** Every file freed as itself (no X.2.jpg), each with its info file, and no other info file. */
function assertCleanTrash(data: string): void {
  assert.deepEqual(fs.readdirSync(path.join(data, 'Trash/files')).sort(), NAMES);
  assert.deepEqual(fs.readdirSync(path.join(data, 'Trash/info')).sort(), NAMES.map((n) => `${n}.trashinfo`));
  for (const n of NAMES) assert.match(fs.readFileSync(path.join(data, 'Trash/info', `${n}.trashinfo`), 'utf8'), /^\[Trash Info\]\nPath=\/.*\nDeletionDate=/);
}

describe('free-up when the Trash goes wrong', () => {
  const mounts: string[] = [];
  after(() => {
    for (const m of mounts) spawnSync('umount', ['-l', m]);
  });

  it('a full disk where the Trash is: exit 6 with the disk-full message, no stack trace, every source in place and no info file left; with room again each goes in under its own name', { skip: process.getuid?.() === 0 ? false : 'needs root to mount a small tmpfs' }, async () => {
    const disk = tempDir('shoebox-full-');
    assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'shoebox-full', disk]).status, 0);
    mounts.push(disk);
    const { library, root, data, env } = await backedUp(disk);
    fs.mkdirSync(path.join(data, 'Trash/files'), { recursive: true });
    fs.mkdirSync(path.join(data, 'Trash/info'), { recursive: true });
    const filler = path.join(disk, 'filler');
    const fd = fs.openSync(filler, 'w');
    try {
      for (const chunk = Buffer.alloc(64 * 1024); ;) fs.writeSync(fd, chunk);
    } catch (err) {
      assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
    } finally {
      fs.closeSync(fd);
    }

    const full = await runCli(['free-up', '--yes', root], { library, env });
    assert.equal(full.code, 6, full.stderr);
    assert.match(full.stderr, /The disk that holds the Trash \(.*Trash\) is full: Free up space stopped, and the file it was about to move stays where it is\./);
    assert.doesNotMatch(full.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(fs.readdirSync(root).sort(), NAMES, 'every source in place');
    assert.deepEqual(fs.readdirSync(path.join(data, 'Trash/info')), [], 'the partial info file was removed');

    fs.rmSync(filler);
    const freed = await runCli(['free-up', '--yes', root], { library, env });
    assert.equal(freed.code, 0, freed.stderr);
    assertCleanTrash(data);
  });

  it('a read-only card: the review already keeps every file, deleting or not, instead of promising what the apply cannot do', { skip: process.getuid?.() === 0 ? false : 'needs root to mount a tmpfs' }, async () => {
    const card = tempDir('shoebox-ro-');
    assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'shoebox-ro', card]).status, 0);
    mounts.push(card);
    const { library, root, env } = await backedUp(card);
    assert.equal(spawnSync('mount', ['-o', 'remount,ro', card]).status, 0);
    for (const how of [['--delete'], []]) {
      const r = await runCli(['free-up', '--yes', ...how, root], { library, env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Nothing can be freed\./, how.join(' '));
      assert.match(r.stdout, /cannot be moved from its folder: 3 files, /, how.join(' '));
      assert.ok(r.stdout.includes(`${path.join(root, 'a.jpg')} — its folder ${root} is on a read-only drive\n`), r.stdout);
      assert.doesNotMatch(r.stdout, /Can free/);
    }
    assert.deepEqual(fs.readdirSync(root).sort(), NAMES);
  });

  it('a crash between creating an info file and writing it: the next free-up removes the empty info file it recorded, and the file goes in under its own name', async () => {
    const { library, root, data, env } = await backedUp(tempDir());
    const killed = await runCli(['free-up', '--yes', root], { library, env: { ...env, SHOEBOX_FAULTS: 'free-up-info-open:kill:#1' } });
    assert.equal(killed.signal, 'SIGKILL', killed.stderr);
    const orphans = fs.readdirSync(path.join(data, 'Trash/info'));
    assert.equal(orphans.length, 1);
    assert.equal(fs.statSync(path.join(data, 'Trash/info', orphans[0]!)).size, 0, 'killed with its info file created, not written');
    assert.deepEqual(fs.readdirSync(root).sort(), NAMES);

    const again = await runCli(['free-up', '--yes', root], { library, env });
    assert.equal(again.code, 0, again.stderr);
    assertCleanTrash(data);
  });
});
