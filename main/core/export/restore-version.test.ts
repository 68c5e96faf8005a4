import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, runUntil, tempDir, writeTree } from '../../../test/support/fixtures.js';
import { Engine } from '../engine.js';

/** A watched folder whose a.jpg was edited once (backed up as a new version), and its engine. */
async function editedOnce(): Promise<{ engine: Engine; src: string; v1: Buffer; v2: Buffer; oldId: number; newId: number }> {
  const src = path.join(tempDir(), 'Photos');
  const v1 = await jpeg('version-1');
  const v2 = await jpeg('version-2');
  writeTree(src, { 'a.jpg': v1, 'b.jpg': await jpeg('other') });
  const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
  await engine.addWatch(src, { mode: 'single' });
  const oldId = engine.list().find((r) => r.name === 'a.jpg')!.fileId;
  fs.writeFileSync(path.join(src, 'a.jpg'), v2);
  const later = (Date.now() + 60_000) / 1000;
  fs.utimesSync(path.join(src, 'a.jpg'), later, later);
  await runUntil(engine, () => engine.list().some((r) => r.name === 'a.jpg' && r.album === 'Photos' && r.fileId !== oldId), 'the edit backed up');
  const newId = engine.list().find((r) => r.name === 'a.jpg' && r.album === 'Photos')!.fileId;
  assert.deepEqual(engine.history(newId).map((v) => v.fileId), [newId, oldId]);
  return { engine, src, v1, v2, oldId, newId };
}

describe('restore WATCH_PATH and earlier versions ([Note: Where an earlier version came from])', () => {
  it('an earlier version put back with restore-version is restored at its path once the newest is trashed and purged', async () => {
    const { engine, src, v1, newId, oldId } = await editedOnce();
    try {
      engine.trash.trash([newId], { forgetSources: true, reason: 'test' });
      engine.purgeTrash({ all: true });
      engine.restoreVersion(oldId);
      const to = tempDir();
      const r = await engine.restore(src, to);
      assert.deepEqual([r.files, r.written, r.failed.length], [2, 2, 0]);
      assert.deepEqual(fs.readFileSync(path.join(to, 'a.jpg')), v1, 'the version put back, at its place');
    } finally {
      await engine.close();
    }
  });

  it('the info of an earlier version says where it came from (the file there is a newer version now), and so does a file in Trash', async () => {
    const { engine, src, oldId, newId } = await editedOnce();
    try {
      const a = path.join(src, 'a.jpg');
      const old = engine.photos.info(oldId);
      assert.deepEqual([old.sourcePaths, old.formerSources], [[], [{ path: a, why: 'earlier version' }]]);
      assert.deepEqual([engine.photos.info(newId).sourcePaths, engine.photos.info(newId).formerSources], [[a], []]);
      engine.trash.trash([newId], { forgetSources: true, reason: 'test' });
      assert.deepEqual(engine.photos.info(newId).formerSources, [{ path: a, why: 'in Trash' }]);
    } finally {
      await engine.close();
    }
  });

  it('the newest live version wins, also over an earlier one put back with restore-version; with the newest in Trash the one before it is written', async () => {
    const { engine, src, v1, v2, newId, oldId } = await editedOnce();
    try {
      let r = await engine.restore(src, tempDir());
      assert.equal(r.files, 2);
      const to = tempDir();
      engine.restoreVersion(oldId); // back in the album, but the newest is live: restore writes the newest
      r = await engine.restore(src, to);
      assert.deepEqual([r.files, r.written], [2, 2]);
      assert.deepEqual(fs.readFileSync(path.join(to, 'a.jpg')), v2);
      // the newest only in Trash: the version before it is written
      engine.trash.trash([newId], { forgetSources: true, reason: 'test' });
      const to2 = tempDir();
      r = await engine.restore(src, to2);
      assert.deepEqual([r.files, r.written], [2, 2]);
      assert.deepEqual(fs.readFileSync(path.join(to2, 'a.jpg')), v1);
    } finally {
      await engine.close();
    }
  });

  it('a photo deleted on disk is not brought back, nor any earlier version of it', async () => {
    const { engine, src } = await editedOnce();
    try {
      fs.rmSync(path.join(src, 'a.jpg'));
      await runUntil(engine, () => !engine.list().some((r) => r.name === 'a.jpg' && r.album === 'Photos'), 'the deletion seen');
      const to = tempDir();
      const r = await engine.restore(src, to);
      assert.deepEqual([r.files, fs.existsSync(path.join(to, 'a.jpg'))], [1, false]);
    } finally {
      await engine.close();
    }
  });

  it('an edit undone (the file back to its earlier bytes), then that file deleted from the library: the other version is written; renamed or deleted on disk: not at the old name', async () => {
    const { engine, src, v1, v2, oldId, newId } = await editedOnce();
    try {
      const a = path.join(src, 'a.jpg');
      fs.writeFileSync(a, v1);
      const later = (Date.now() + 120_000) / 1000;
      fs.utimesSync(a, later, later);
      await runUntil(engine, () => engine.list().some((r) => r.fileId === oldId && r.album === 'Photos'), 'the undo backed up');
      // both versions live, the earlier one at the path again: restore writes it, and only it
      let to = tempDir();
      let r = await engine.restore(src, to);
      assert.deepEqual([r.files, fs.readFileSync(path.join(to, 'a.jpg'))], [2, v1]);
      engine.trash.trash([oldId], { forgetSources: true, reason: 'test' });
      to = tempDir();
      r = await engine.restore(src, to);
      assert.deepEqual([r.files, r.written], [2, 2]);
      assert.deepEqual(fs.readFileSync(path.join(to, 'a.jpg')), v2, `file ${newId}, still in the library, at its place`);
      // a.jpg renamed on disk (its library file back from Trash first, so the watch has its record):
      // the other version does not come back at the old name beside it
      engine.trash.restore([oldId]);
      const c = path.join(src, 'c.jpg');
      fs.renameSync(a, c);
      await runUntil(engine, () => engine.list().some((x) => x.name === 'c.jpg' && x.album === 'Photos'), 'the rename followed');
      to = tempDir();
      r = await engine.restore(src, to);
      assert.deepEqual([r.files, fs.existsSync(path.join(to, 'a.jpg')), fs.readFileSync(path.join(to, 'c.jpg'))], [2, false, v1]);
      // then deleted on disk
      fs.rmSync(c);
      await runUntil(engine, () => !engine.list().some((x) => x.name === 'c.jpg' && x.album === 'Photos'), 'the deletion seen');
      to = tempDir();
      r = await engine.restore(src, to);
      assert.deepEqual([r.files, fs.existsSync(path.join(to, 'a.jpg')), fs.existsSync(path.join(to, 'c.jpg'))], [1, false, false]);
    } finally {
      await engine.close();
    }
  });

  it('a watched folder whose every file is in Trash: restore says so and how to bring them back', async () => {
    const { engine, src, oldId, newId } = await editedOnce();
    try {
      const b = engine.list().find((r) => r.name === 'b.jpg')!.fileId;
      engine.trash.trash([oldId, newId, b], { forgetSources: true, reason: 'test' });
      await assert.rejects(engine.restore(src, tempDir()), /Every file the library has from .* is in Trash \(2\)\. `shoebox trash ls` lists them/);
    } finally {
      await engine.close();
    }
  });
});
