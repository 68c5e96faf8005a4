// `shoebox export|restore|cat|check` as a person uses them (issue #9), including an export
// killed halfway and an export onto a full disk.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { describePlan, runKilled, spawnPaused } from '../support/crash-kit.js';
import { CLI, jpeg, runCli, tempDir, writeTree } from '../support/fixtures.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else out.push(path.relative(root, path.join(d, e.name)));
    }
  };
  walk(root);
  return out.sort();
}

/**
 * Runs `fn` on a 4 MiB tmpfs mounted for it (it may remount it larger), unmounted after; does
 * nothing where mounting is not permitted.
 */
async function onSmallDisk(prefix: string, fn: (mnt: string) => Promise<void>): Promise<void> {
  const mnt = tempDir(prefix);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]);
  } catch {
    return; // mounting is not permitted here
  }
  try {
    await fn(mnt);
  } finally {
    execFileSync('umount', [mnt]);
  }
}

describe('shoebox export / restore / cat / check (CLI)', () => {
  const library = path.join(tempDir(), 'lib');
  const src = path.join(tempDir(), 'Trip');
  const files: Record<string, Buffer> = {};
  before(async () => {
    for (let i = 0; i < 300; i++) files[`Day ${i % 3}/IMG_${i}.jpg`] = await jpeg(`cli-export-${i}`, 60_000);
    writeTree(src, files);
    assert.equal((await runCli(['upload', src], { library })).code, 0);
  });

  it('an export killed halfway leaves no partial file under a final name, and the re-run completes', async () => {
    const dest = path.join(tempDir(), 'out');
    // Killed three times by construction (issue #15): mid-copy of the 100th file, with the 50th
    // file of the next run copied but not yet renamed to its name, and after the 250th file.
    for (const plan of [
      { kind: 'point', point: 'blob-write', step: 100 },
      { kind: 'point', point: 'export-copied', step: 50 },
      { kind: 'point', point: 'export-file', step: 250 },
    ] as const) {
      const k = await runKilled(['export', '--all', dest], { library, plan });
      assert.ok(k.landed, `killed at ${describePlan(plan)} (exit ${k.code}, signal ${k.signal}): ${k.stderr.slice(-300)}`);
      const partial = listFiles(dest);
      assert.ok(partial.filter((p) => !path.basename(p).startsWith('.shoebox-part')).length < 300, 'killed before the end');
      if (plan.point === 'export-copied') assert.ok(partial.some((p) => path.basename(p).startsWith('.shoebox-part')), 'a complete copy was left under its temp name');
      for (const rel of partial.filter((p) => !path.basename(p).startsWith('.shoebox-part'))) {
        const [day, name] = rel.split(path.sep);
        assert.equal(sha(fs.readFileSync(path.join(dest, rel))), sha(files[`${day}/${name}`]!), `${rel} is complete`);
      }
    }
    const r = await runCli(['--json', 'export', '--all', dest], { library });
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { written: number; skipped: number; files: number };
    assert.equal(s.files, 300);
    assert.ok(s.skipped > 0 && s.written < 300, `resumed: ${s.skipped} skipped, ${s.written} written`);
    assert.deepEqual(listFiles(dest), Object.keys(files).map((k) => k.split('/').join(path.sep)).sort(), 'exactly the photos: the killed run\'s temp files are gone');
  });

  it('Ctrl-C during an export or a restore finishes the files in progress, says what is left (exit 130), and the same command finishes it', async () => {
    for (const cmd of ['export', 'restore'] as const) {
      const dest = path.join(tempDir(), `out-${cmd}`);
      if (cmd === 'restore') fs.mkdirSync(dest);
      const args = cmd === 'export' ? ['export', '--all', dest] : ['restore', src, '--to', dest];
      const point = cmd === 'export' ? 'export-file' : 'export-copied';
      const run = spawnPaused(args, { library, point, step: 20 });
      await run.paused; // the 20th file is done: Ctrl-C arrives now
      run.child.kill('SIGINT');
      run.resume();
      const r = await run.exited;
      assert.equal(r.code, 130, r.stdout + r.stderr);
      assert.match(r.stderr, /stopping after the files in progress/);
      const verb = cmd === 'export' ? 'Exported' : 'Restored';
      const m = new RegExp(`^${verb} (\\d+) of 300 files .*\\nInterrupted: (\\d+) not ${verb.toLowerCase()} yet\\. Run the same command again to finish`).exec(r.stdout);
      assert.ok(m, r.stdout);
      assert.equal(Number(m[1]) + Number(m[2]), 300);
      const written = listFiles(dest).length;
      assert.ok(written >= 19 && written < 300, `${written} written before it stopped`);
      const again = await runCli(['--json', ...args], { library });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(listFiles(dest).length, 300);
    }
  });

  it('an export onto a full disk stops with exit 6 and resumes once there is room', { skip: process.getuid?.() !== 0 && 'needs root to mount a small tmpfs' }, async () => {
    await onSmallDisk('shoebox-exportfull-', async (mnt) => {
      const r = await runCli(['export', '--all', path.join(mnt, 'out')], { library });
      assert.equal(r.code, 6, r.stderr);
      assert.match(r.stderr, /export destination .* is full\. Free space and run the same command again/);
      assert.match(r.stdout, /^Exported \d+ of 300 files to /, 'how far it got');
      execFileSync('mount', ['-o', 'remount,size=64m', mnt]);
      const again = await runCli(['--json', 'export', '--all', path.join(mnt, 'out')], { library });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(listFiles(path.join(mnt, 'out')).length, 300);
    });
  });

  it('a restore onto a full disk stops with exit 6, as an export does, and resumes once there is room', { skip: process.getuid?.() !== 0 && 'needs root to mount a small tmpfs' }, async () => {
    await onSmallDisk('shoebox-restorefull-', async (mnt) => {
      const r = await runCli(['restore', src, '--to', mnt], { library });
      assert.equal(r.code, 6, r.stdout + r.stderr);
      assert.match(r.stderr, /restore destination .* is full\. Free space and run the same command again/);
      assert.match(r.stdout, /^Restored \d+ of 300 files of /, 'how far it got');
      assert.ok((r.stderr.match(/✗/g) ?? []).length === 0, 'not one failure line per file after the disk filled');
      execFileSync('mount', ['-o', 'remount,size=64m', mnt]);
      const again = await runCli(['--json', 'restore', src, '--to', mnt], { library });
      assert.equal(again.code, 0, again.stderr);
      const s = JSON.parse(again.stdout) as { written: number; skipped: number };
      assert.ok(s.skipped > 0 && s.written > 0 && s.written + s.skipped === 300, `resumed: ${s.skipped} skipped, ${s.written} written`);
      assert.deepEqual(listFiles(mnt), Object.keys(files).map((k) => k.split('/').join(path.sep)).sort());
    });
  });

  it('an export or a restore onto a read-only disk is refused at once, naming it (exit 7), nothing written', { skip: process.getuid?.() !== 0 && 'needs root to mount a small tmpfs' }, async () => {
    await onSmallDisk('shoebox-readonly-', async (mnt) => {
      execFileSync('mount', ['-o', 'remount,ro', mnt]);
      const dest = path.join(mnt, 'out');
      const e = await runCli(['export', '--all', dest], { library });
      assert.equal(e.code, 7, e.stdout + e.stderr);
      assert.match(e.stderr, new RegExp(`Cannot export there: ${dest} \\(its folder ${mnt}\\) is on a read-only disk\\. Nothing was written`));
      assert.ok(!/✗/.test(e.stderr), 'no failure line per photo');
      const r = await runCli(['restore', src, '--to', mnt], { library });
      assert.equal(r.code, 7, r.stdout + r.stderr);
      assert.match(r.stderr, /Cannot restore there: .* is on a read-only disk/);
      // a new library there: the read-only disk is named (Node's recursive mkdir said ENOENT; helper-49)
      const fresh = await runCli(['upload', src], { library: path.join(mnt, 'lib') });
      assert.equal(fresh.code, 5, fresh.stderr);
      assert.match(fresh.stderr, /cannot write to the library at .* \(EROFS\)/);
      assert.doesNotMatch(fresh.stderr, /ENOENT/);
    });
  });

  it('restore of a folder holding backed-up folders re-creates each of them inside it; of a folder with none, says what it takes', async () => {
    const dest = tempDir('shoebox-restore-parent-');
    const r = await runCli(['--json', 'restore', path.dirname(src), '--to', dest], { library });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { written: number }).written, 300);
    assert.deepEqual(listFiles(dest), Object.keys(files).map((k) => path.join('Trip', ...k.split('/'))).sort());
    const none = await runCli(['restore', dest], { library });
    assert.equal(none.code, 7);
    assert.match(none.stderr, /has no files recorded from .*restore takes a watched or uploaded folder, a folder inside one, or a folder holding them/);
  });

  it('cat writes the original bytes; unknown ids and albums are clear errors', async () => {
    const rows = (await runCli(['--json', 'ls'], { library })).stdout.trim().split('\n').map((l) => JSON.parse(l) as { fileId: number; name: string; album: string });
    const row = rows.find((x) => x.name === 'IMG_7.jpg')!;
    const out = path.join(tempDir(), 'cat.jpg');
    const child = spawn(process.execPath, [CLI, 'cat', String(row.fileId)], { env: { ...process.env, SHOEBOX_LIBRARY: library }, stdio: ['ignore', fs.openSync(out, 'w'), 'pipe'] });
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
    assert.deepEqual(fs.readFileSync(out), files[`${row.album}/IMG_7.jpg`]);
    assert.equal((await runCli(['cat', '999999'], { library })).code, 7);
    const unknown = await runCli(['export', 'Nope', tempDir()], { library });
    assert.equal(unknown.code, 7);
    assert.match(unknown.stderr, /no album named "Nope"/);
  });

  it('check reports a damaged photo by name with what it means, exit 5', async () => {
    const lib = path.join(tempDir(), 'lib-copy');
    fs.cpSync(library, lib, { recursive: true });
    const hash = sha(files['Day 1/IMG_1.jpg']!);
    const blob = path.join(lib, 'objects', hash.slice(0, 2), hash);
    const b = fs.readFileSync(blob);
    b[100]! ^= 1;
    fs.writeFileSync(blob, b);
    assert.equal((await runCli(['check'], { library: lib })).code, 0, 'without --read-data the size still matches');
    const r = await runCli(['check', '--read-data'], { library: lib });
    assert.equal(r.code, 5);
    assert.match(r.stdout, /✗ the stored bytes of IMG_1\.jpg are damaged \(hash mismatch\)\n {6}these photos' stored bytes changed on disk/);
    const fixed = await runCli(['check', '--read-data', '--repair'], { library: lib });
    assert.equal(fixed.code, 0, fixed.stdout);
    assert.match(fixed.stdout, /repaired: .*stored again from .*IMG_1\.jpg/);
  });

  it('damage a read found is known after: cat and open say the stored bytes are damaged, plain check lists it, --repair says why it cannot, until the original is back', async () => {
    const own = path.join(tempDir(), 'Own');
    const bytes = await jpeg('damage-known', 30_000);
    writeTree(own, { 'IMG_A.jpg': bytes });
    const lib = path.join(tempDir(), 'lib-damage');
    assert.equal((await runCli(['upload', own], { library: lib })).code, 0);
    const id = String((JSON.parse((await runCli(['--json', 'ls'], { library: lib })).stdout.trim()) as { fileId: number }).fileId);
    const blob = path.join(lib, 'objects', sha(bytes).slice(0, 2), sha(bytes));
    const b = fs.readFileSync(blob);
    b[5000]! ^= 1;
    fs.chmodSync(blob, 0o644);
    fs.writeFileSync(blob, b);
    const cat = async () => {
      const out = path.join(tempDir(), 'cat.jpg');
      const child = spawn(process.execPath, [CLI, 'cat', id], { env: { ...process.env, SHOEBOX_LIBRARY: lib }, stdio: ['ignore', fs.openSync(out, 'w'), 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const [code] = (await once(child, 'exit')) as [number];
      return { code, stderr, written: fs.statSync(out).size };
    };
    const first = await cat();
    assert.equal(first.code, 5, first.stderr);
    assert.match(first.stderr, /stored bytes of file \d+ are damaged \(they do not hash to their name; what was written is damaged\)/);
    const again = await cat();
    assert.deepEqual([again.code, again.written], [5, 0], 'known damage: nothing written');
    assert.match(again.stderr, /found earlier; nothing was written.*check --repair/);
    const open = await runCli(['open', id], { library: lib });
    assert.equal(open.code, 5);
    assert.match(open.stderr, /IMG_A\.jpg \(file \d+\) could not be opened: its stored bytes are damaged \(hash mismatch\)/);
    assert.doesNotMatch(open.stderr, /catalog/);
    const check = await runCli(['check'], { library: lib });
    assert.equal(check.code, 5, 'what status reports, check lists, without --read-data');
    assert.match(check.stdout, /✗ the stored bytes of IMG_A\.jpg are damaged \(hash mismatch\)/);
    fs.renameSync(path.join(own, 'IMG_A.jpg'), path.join(own, 'aside.bin'));
    const cannot = await runCli(['check', '--repair'], { library: lib });
    assert.equal(cannot.code, 5, cannot.stdout);
    assert.match(cannot.stdout, /✗ not repaired: the stored bytes of IMG_A\.jpg are damaged \(hash mismatch\)\n {6}the file it was backed up from no longer has exactly these bytes \(1 gone: .*IMG_A\.jpg\); if you still have the original/);
    fs.renameSync(path.join(own, 'aside.bin'), path.join(own, 'IMG_A.jpg'));
    const fixed = await runCli(['check', '--repair'], { library: lib });
    assert.equal(fixed.code, 0, fixed.stdout);
    assert.match(fixed.stdout, /repaired: .*stored again from .*IMG_A\.jpg/);
    assert.equal((await runCli(['check'], { library: lib })).code, 0);
    assert.match((await runCli(['status'], { library: lib })).stdout, /Errors +none/);
    const whole = await cat();
    assert.deepEqual([whole.code, whole.written], [0, bytes.length], whole.stderr);
  });

  it('an album name no file system takes (300 characters) is exported under a shortened folder name, beside the other albums', async () => {
    const library = path.join(tempDir(), 'lib');
    const root = tempDir();
    writeTree(root, { 'p.jpg': await jpeg('long-album-p'), 'Trip/q.jpg': await jpeg('long-album-q') });
    const long = 'x'.repeat(300);
    assert.equal((await runCli(['upload', path.join(root, 'p.jpg'), '--album', long], { library })).code, 0);
    assert.equal((await runCli(['upload', path.join(root, 'Trip')], { library })).code, 0);
    const dest = path.join(tempDir(), 'exp');
    const r = await runCli(['export', '--all', dest], { library });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(dest).sort(), ['Trip', 'x'.repeat(255)]);
    assert.deepEqual(fs.readdirSync(path.join(dest, 'x'.repeat(255))), ['p.jpg']);
  });
});

