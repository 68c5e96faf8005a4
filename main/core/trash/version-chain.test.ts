import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { jpeg, runUntil, tempDir, writeTree } from '../../../test/support/fixtures.js';
import { Engine } from '../engine.js';

it('purging a middle version from Trash keeps the versions before and after it in one history', async () => {
  const src = path.join(tempDir(), 'Photos');
  writeTree(src, { 'a.jpg': await jpeg('chain-v1') });
  const file = path.join(src, 'a.jpg');
  const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
  try {
    await engine.addWatch(src, { mode: 'single' });
    const v1 = engine.list().find((r) => r.name === 'a.jpg')!.fileId;
    const ids = [v1];
    for (const [i, seed] of ['chain-v2', 'chain-v3'].entries()) {
      fs.writeFileSync(file, await jpeg(seed));
      const t = (Date.now() + (i + 1) * 60_000) / 1000;
      fs.utimesSync(file, t, t);
      await runUntil(engine, () => engine.list().some((r) => r.name === 'a.jpg' && r.album === 'Photos' && !ids.includes(r.fileId)), `edit ${i + 1} backed up`);
      ids.push(engine.list().find((r) => r.name === 'a.jpg' && r.album === 'Photos')!.fileId);
    }
    const [, v2, v3] = ids as [number, number, number];
    assert.deepEqual(engine.history(v3).map((v) => v.fileId), [v3, v2, v1]);
    engine.trash.trash([v2], { forgetSources: false, reason: 'test' });
    assert.equal(engine.purgeTrash({ all: true }).files, 1);
    assert.deepEqual(engine.history(v3).map((v) => v.fileId), [v3, v1], 'the newest version leads on to the oldest');
    assert.deepEqual(engine.history(v1).map((v) => v.fileId), [v3, v1]);
  } finally {
    await engine.close();
  }
});

it('a watched file edited while its library copy is in Trash: restored from Trash, the copy is the earlier version of the edit, not a second photo in the album', async () => {
  const src = path.join(tempDir(), 'Photos');
  writeTree(src, { 't.jpg': await jpeg('in-trash-v1'), 'other.jpg': await jpeg('in-trash-other') });
  const file = path.join(src, 't.jpg');
  const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
  try {
    await engine.addWatch(src, { mode: 'single' });
    const v1 = engine.list().find((r) => r.name === 't.jpg')!.fileId;
    engine.trash.trash([v1], { forgetSources: true, reason: 'similar image removed' });
    fs.writeFileSync(file, await jpeg('in-trash-v2')); // edited meanwhile
    const t = (Date.now() + 60_000) / 1000;
    fs.utimesSync(file, t, t);
    await runUntil(engine, () => engine.list().some((r) => r.name === 't.jpg' && r.album === 'Photos'), 'the edit backed up');
    const v2 = engine.list().find((r) => r.name === 't.jpg' && r.album === 'Photos')!.fileId;
    engine.trash.restore([v1]);
    assert.deepEqual(engine.list('Photos').map((r) => r.fileId).filter((id) => id === v1 || id === v2), [v2], 'one t.jpg in the album: the edit');
    assert.ok(engine.list().some((r) => r.fileId === v1 && r.album === 'Uncategorized'), 'the earlier version is in Uncategorized, as after any edit');
    assert.deepEqual(engine.history(v2).map((v) => v.fileId), [v2, v1]);
    await (await engine.run()).stop();
    assert.deepEqual(engine.list('Photos').map((r) => r.name).sort(), ['other.jpg', 't.jpg'], 'a sync after changes nothing');
  } finally {
    await engine.close();
  }
});

it('undo of a Similar confirm whose removed watched copy was edited since: the kept image leaves the album, where the edit stands in for the copy', async () => {
  const root = path.join(tempDir(), 'ph');
  writeTree(root, { 'a/k.jpg': await jpeg('undo-edit-k'), 'b/t.jpg': await jpeg('undo-edit-t') });
  const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
  try {
    await engine.addWatch(root, { mode: 'separate' });
    const k = engine.list().find((r) => r.name === 'k.jpg')!.fileId;
    const t = engine.list().find((r) => r.name === 't.jpg')!.fileId;
    const undoId = engine.similar.beginApply();
    assert.equal((await engine.similar.apply({ keep: [k], remove: [t] }, undoId)).status, 'applied');
    assert.deepEqual(engine.list('b').map((r) => r.fileId), [k], 'b got the kept image');
    fs.writeFileSync(path.join(root, 'b/t.jpg'), await jpeg('undo-edit-t2'));
    const later = (Date.now() + 60_000) / 1000;
    fs.utimesSync(path.join(root, 'b/t.jpg'), later, later);
    await runUntil(engine, () => engine.list('b').some((r) => r.name === 't.jpg'), 'the edit backed up');
    const t2 = engine.list('b').find((r) => r.name === 't.jpg')!.fileId;
    const r = engine.similar.undo(undoId);
    assert.deepEqual([r.restored, r.membershipsRemoved, r.membershipsKept], [1, 1, 0]);
    assert.deepEqual(engine.list('b').map((x) => x.fileId), [t2], 'b holds the edit only: not the kept image, not the earlier version');
    assert.deepEqual(engine.history(t2).map((v) => v.fileId), [t2, t]);
  } finally {
    await engine.close();
  }
});
