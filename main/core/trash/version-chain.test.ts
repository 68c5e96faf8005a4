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
