import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, runCli, startCli, tempDir, waitFor, writeTree } from '../../../test/support/fixtures.js';
import { otherLiveProcesses } from '../library/process-registry.js';
import { verifyLibrary } from '../../../test/support/verify-library.js';
import { Engine } from '../engine.js';
import { blobPath } from './blob-store.js';
import { collectStrayBlobs } from './blob-gc.js';
import { emptyQuarantine } from './quarantine.js';
import type { CatalogDb } from '../catalog/catalog.js';
import { silentLogger } from '../logger.js';

const DAY = 86_400_000;

describe('collecting leftovers of a crashed process', () => {
  it('removes a dead process\'s temp files, moves unreferenced blobs into quarantine, keeps every referenced blob', async () => {
    const libraryDir = path.join(tempDir(), 'lib');
    const src = path.join(tempDir(), 'A');
    writeTree(src, { 'a.jpg': await jpeg('gc-a'), 'b.jpg': await jpeg('gc-b') });
    let engine = Engine.open({ libraryDir });
    await engine.upload({ paths: [src] });
    await engine.close();

    // What a process killed between placing a blob and committing its row leaves behind:
    const stray = blobPath(path.join(libraryDir, 'objects'), 'ab'.repeat(32));
    fs.mkdirSync(path.dirname(stray), { recursive: true });
    fs.writeFileSync(stray, 'orphan bytes');
    const deadPid = 2 ** 22 + 12345; // above Linux's pid_max default: never alive
    fs.writeFileSync(path.join(libraryDir, 'procs', String(deadPid)), '');
    fs.mkdirSync(path.join(libraryDir, 'tmp', String(deadPid)));
    fs.writeFileSync(path.join(libraryDir, 'tmp', String(deadPid), 'x.part'), 'half a photo');

    engine = Engine.open({ libraryDir });
    await engine.close();
    assert.equal(fs.existsSync(stray), false);
    assert.equal(fs.readFileSync(path.join(libraryDir, 'quarantine', 'ab'.repeat(32)), 'utf8'), 'orphan bytes', 'kept in quarantine, not deleted');
    assert.equal(fs.existsSync(path.join(libraryDir, 'tmp', String(deadPid))), false);
    const v = verifyLibrary(libraryDir);
    assert.deepEqual(v.problems, []);
    assert.equal(v.blobsChecked, 2);
    assert.equal(v.strayBlobs, 0);
    assert.equal(v.quarantined, 1);
  });

  it('a file that is no blob (put straight into objects/, or under another name in a shard) is a stray too: counted, quarantined, never a crash', async () => {
    const libraryDir = path.join(tempDir(), 'lib');
    const src = path.join(tempDir(), 'A');
    writeTree(src, { 'a.jpg': await jpeg('gc-loose') });
    let engine = Engine.open({ libraryDir });
    await engine.upload({ paths: [src] });
    await engine.close();
    const objects = path.join(libraryDir, 'objects');
    fs.writeFileSync(path.join(objects, 'ff_unrelated.jpg'), 'a file someone put here');
    fs.mkdirSync(path.join(objects, 'ab'), { recursive: true });
    fs.writeFileSync(path.join(objects, 'ab', 'stray.bin'), 'another');
    assert.equal(verifyLibrary(libraryDir).strayBlobs, 2, 'both are found by a check');

    engine = Engine.open({ libraryDir });
    try {
      const cdb = (engine as unknown as { ctx: { cdb: CatalogDb } }).ctx.cdb;
      const r = collectStrayBlobs(cdb, { objects, quarantine: path.join(libraryDir, 'quarantine'), procs: path.join(libraryDir, 'procs') }, silentLogger, Date.now());
      assert.equal(r.quarantined, 2);
    } finally {
      await engine.close();
    }
    assert.deepEqual(fs.readdirSync(path.join(libraryDir, 'quarantine')).sort(), ['ff_unrelated.jpg', 'stray.bin'], 'both kept in quarantine');
    assert.equal(fs.existsSync(path.join(objects, 'ff_unrelated.jpg')), false);
    const v = verifyLibrary(libraryDir);
    assert.deepEqual(v.problems, []);
    assert.equal(v.strayBlobs, 0);
    assert.equal(v.blobsChecked, 1);
  });

  it('check --repair beside another process leaves the blobs written since it started (they may be on their way to their rows); it takes them once that process is gone', async () => {
    const library = path.join(tempDir(), 'lib');
    const src = path.join(tempDir(), 'A');
    writeTree(src, { 'a.jpg': await jpeg('gc-inflight') });
    assert.equal((await runCli(['upload', src], { library })).code, 0);
    const old = blobPath(path.join(library, 'objects'), 'cd'.repeat(32));
    fs.mkdirSync(path.dirname(old), { recursive: true });
    fs.writeFileSync(old, 'left by a crash an hour ago');
    fs.utimesSync(old, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const other = startCli(['run'], { library });
    try {
      await waitFor(() => otherLiveProcesses(path.join(library, 'procs')).length === 1, 30_000, 'the run to register');
      const fresh = blobPath(path.join(library, 'objects'), 'ef'.repeat(32));
      fs.mkdirSync(path.dirname(fresh), { recursive: true });
      fs.writeFileSync(fresh, 'placed by the other process, row not committed yet');
      const seen = await runCli(['check'], { library });
      assert.match(seen.stdout, /1 stray blob file, 1 blob file no row names yet, written since another Shoebox process on the library started \(left alone/);
      const r = await runCli(['check', '--repair'], { library });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /1 blob file no row names yet, written since another Shoebox process/);
      // beside a run that has been up for hours, a stray written over an hour ago is no blob in flight
      const lock = fs.readdirSync(path.join(library, 'procs')).find((n) => n.endsWith('.lock'))!;
      fs.utimesSync(path.join(library, 'procs', lock), new Date(Date.now() - 3 * 3_600_000), new Date(Date.now() - 3 * 3_600_000));
      const older = blobPath(path.join(library, 'objects'), '12'.repeat(32));
      fs.mkdirSync(path.dirname(older), { recursive: true });
      fs.writeFileSync(older, 'left by a crash two hours ago, while the run was up');
      fs.utimesSync(older, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
      assert.equal((await runCli(['check', '--repair'], { library })).code, 0); // (the open collects it: the last collection left one in flight)
      assert.equal(fs.existsSync(older), false);
      assert.equal(fs.existsSync(path.join(library, 'quarantine', '12'.repeat(32))), true);
      assert.equal(fs.existsSync(fresh), true, 'the fresh one is still left alone');
      assert.match(r.stdout, /moved 1 stray blob file\(s\)/);
      assert.equal(fs.existsSync(old), false, 'the old stray is quarantined');
      assert.equal(fs.existsSync(fresh), true, 'the fresh one is left where it is');
      other.child.kill('SIGINT');
      assert.equal((await other.done).code, 0);
      // the next process to open the library collects what was left in flight
      assert.equal((await runCli(['status'], { library })).code, 0);
      assert.equal(fs.existsSync(fresh), false, 'with nobody else on the library, it is a stray');
      assert.equal(fs.existsSync(path.join(library, 'quarantine', 'ef'.repeat(32))), true, 'kept in quarantine');
      assert.doesNotMatch((await runCli(['check'], { library })).stdout, /stray/);
    } finally {
      other.child.kill('SIGKILL');
    }
  });

  it('a blob that vanished from disk is stored again when its bytes are uploaded again', async () => {
    const libraryDir = path.join(tempDir(), 'lib');
    const src = path.join(tempDir(), 'B');
    const bytes = await jpeg('gc-c');
    writeTree(src, { 'c.jpg': bytes });
    const engine = Engine.open({ libraryDir });
    try {
      await engine.upload({ paths: [src] });
      const [row] = engine.list();
      fs.rmSync(blobPath(engine.paths.objects, row!.hash));
      assert.equal(verifyLibrary(libraryDir).problems[0]?.kind, 'blob-missing');
      const again = path.join(tempDir(), 'C');
      writeTree(again, { 'c-copy.jpg': bytes }); // a new name: rule 3 creates a file and needs the bytes
      const s = await engine.upload({ paths: [again] });
      assert.equal(s.failed, 0);
      assert.deepEqual(fs.readFileSync(blobPath(engine.paths.objects, row!.hash)), bytes);
      assert.deepEqual(verifyLibrary(libraryDir).problems, []);
    } finally {
      await engine.close();
    }
  });

  it('the quarantine is emptied only of entries older than 30 days, and not while the catalog fails its integrity check', async () => {
    const libraryDir = path.join(tempDir(), 'lib');
    const clock = { now: Date.UTC(2026, 2, 1) };
    const engine = Engine.open({ libraryDir, now: () => clock.now });
    try {
      const dirs = { objects: engine.paths.objects, quarantine: engine.paths.quarantine, procs: engine.paths.procs };
      const cdb = (engine as unknown as { ctx: { cdb: CatalogDb } }).ctx.cdb;
      const put = (hash: string) => {
        const p = blobPath(dirs.objects, hash);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, `bytes of ${hash.slice(0, 4)}`);
      };
      put('a1'.repeat(32));
      assert.equal(collectStrayBlobs(cdb, dirs, silentLogger, clock.now).quarantined, 1);
      clock.now += 10 * DAY;
      put('b2'.repeat(32));
      assert.equal(collectStrayBlobs(cdb, dirs, silentLogger, clock.now).quarantined, 1);
      clock.now += 21 * DAY; // the first is 31 days in quarantine, the second 21
      const names = () => fs.readdirSync(dirs.quarantine).sort();
      const damaged = Object.assign(Object.create(cdb) as CatalogDb, { integrityCheck: () => ['row 7 missing from index sqlite_autoindex_blobs_1'] });
      assert.notEqual(emptyQuarantine(damaged, dirs, silentLogger, clock.now).blockedBy, null);
      assert.deepEqual(names(), ['a1'.repeat(32), 'b2'.repeat(32)], 'nothing removed while integrity fails');
      assert.equal(emptyQuarantine(cdb, dirs, silentLogger, clock.now).removed, 1);
      assert.deepEqual(names(), ['b2'.repeat(32)]);
      clock.now += 10 * DAY;
      assert.equal(emptyQuarantine(cdb, dirs, silentLogger, clock.now).removed, 1);
      assert.deepEqual(names(), []);
    } finally {
      await engine.close();
    }
  });

  it('a quarantined blob whose bytes are uploaded again is taken back, not copied again', async () => {
    const libraryDir = path.join(tempDir(), 'lib');
    const bytes = await jpeg('quarantined');
    const hash = createHash('sha256').update(bytes).digest('hex');
    const engine = Engine.open({ libraryDir });
    try {
      fs.mkdirSync(engine.paths.quarantine, { recursive: true });
      fs.writeFileSync(path.join(engine.paths.quarantine, hash), bytes);
      const inode = fs.statSync(path.join(engine.paths.quarantine, hash)).ino;
      const src = tempDir();
      writeTree(src, { 'back.jpg': bytes });
      const s = await engine.upload({ paths: [src] });
      assert.equal(s.failed, 0);
      assert.equal(fs.statSync(blobPath(engine.paths.objects, hash)).ino, inode, 'the same file, moved back');
      assert.equal(fs.existsSync(path.join(engine.paths.quarantine, hash)), false);
      assert.deepEqual(verifyLibrary(libraryDir).problems, []);
    } finally {
      await engine.close();
    }
  });
});
