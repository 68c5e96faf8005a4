import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { jpeg, runUntil, tempDir, writeTree } from '../../../test/support/fixtures.js';
import { blobPath } from '../blobs/blob-store.js';
import { Engine } from '../engine.js';

it('a file sent to Trash and back keeps where it came from: check --repair stores its lost bytes again from the original, as it does for a file in Trash ([Note: Source records in Trash])', async () => {
  const src = tempDir();
  writeTree(src, { 'a.jpg': await jpeg('trash-round-a'), 'b.jpg': await jpeg('trash-round-b') });
  const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
  try {
    await engine.upload({ paths: [src], album: 'Trip' });
    const a = engine.list().find((r) => r.name === 'a.jpg')!;
    const b = engine.list().find((r) => r.name === 'b.jpg')!;
    engine.trash.trash([a.fileId, b.fileId], { forgetSources: true, reason: 'test' });
    engine.trash.restore([a.fileId]); // a comes back, b stays in Trash
    assert.deepEqual(engine.list('Trip').map((r) => r.name), ['a.jpg']);
    for (const h of [a.hash, b.hash]) fs.rmSync(blobPath(engine.paths.objects, h));
    const { repair } = await engine.check({ readData: false, repair: true });
    const said = JSON.stringify(repair);
    for (const h of [a.hash, b.hash]) assert.ok(fs.existsSync(blobPath(engine.paths.objects, h)), `stored again: ${said}`);
    assert.match(said, /a\.jpg.*stored again from/);
  } finally {
    await engine.close();
  }
});

it('a watched file restored from Trash after it was deleted on disk stays in the album it was restored into', async () => {
  const src = path.join(tempDir(), 'Photos');
  writeTree(src, { 'a.jpg': await jpeg('trash-gone-a'), 'b.jpg': await jpeg('trash-gone-b') });
  const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
  try {
    await engine.addWatch(src, { mode: 'single' });
    const a = engine.list().find((r) => r.name === 'a.jpg')!;
    engine.trash.trash([a.fileId], { forgetSources: true, reason: 'test' });
    fs.rmSync(path.join(src, 'a.jpg'));
    engine.trash.restore([a.fileId]);
    fs.writeFileSync(path.join(src, 'c.jpg'), await jpeg('trash-gone-c')); // a change the run is sure to see
    await runUntil(engine, () => engine.list().some((r) => r.name === 'c.jpg'), 'the run caught up');
    assert.deepEqual(engine.list('Photos').map((r) => r.name).sort(), ['a.jpg', 'b.jpg', 'c.jpg']);
  } finally {
    await engine.close();
  }
});
