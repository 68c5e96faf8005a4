import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import { jpeg, tempDir, writeTree } from '../../../test/support/fixtures.js';
import { Engine } from '../engine.js';

it('file ids are never given again after Trash was emptied of the newest files ([Note: File ids are never reused])', async () => {
  const src = tempDir();
  writeTree(src, { 'a.jpg': await jpeg('ids-a'), 'b.jpg': await jpeg('ids-b'), 'c.jpg': await jpeg('ids-c') });
  const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
  try {
    await engine.upload({ paths: [path.join(src, 'a.jpg'), path.join(src, 'b.jpg')] });
    const before = engine.list().map((r) => r.fileId);
    const newest = Math.max(...before);
    engine.trash.trash([newest], { forgetSources: true, reason: 'test' });
    assert.equal(engine.purgeTrash({ all: true }).files, 1);
    await engine.upload({ paths: [path.join(src, 'c.jpg')] });
    const c = engine.list().find((r) => r.name === 'c.jpg')!;
    assert.equal(c.fileId, newest + 1, `c.jpg got ${c.fileId}; ${newest} belonged to a purged file`);
  } finally {
    await engine.close();
  }
});
