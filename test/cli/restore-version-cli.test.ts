// `shoebox restore-version` as a person uses it: an earlier version goes back into the albums of
// its newest version; where the newer version was deleted, it says why it stays in Uncategorized.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { Engine } from '../../main/core/engine.js';
import { jpeg, runCli, runUntil, tempDir, writeTree } from '../support/fixtures.js';

/** A watched photo edited twice: its folder, and its three versions' ids, oldest first. */
async function editedTwice(library: string): Promise<{ src: string; ids: number[] }> {
  const src = path.join(tempDir(), 'Photos');
  writeTree(src, { 'a.jpg': await jpeg('rv-1') });
  const file = path.join(src, 'a.jpg');
  const engine = Engine.open({ libraryDir: library });
  try {
    await engine.addWatch(src, { mode: 'single' });
    const ids = [engine.list().find((r) => r.name === 'a.jpg')!.fileId];
    for (const [i, seed] of ['rv-2', 'rv-3'].entries()) {
      fs.writeFileSync(file, await jpeg(seed));
      const t = (Date.now() + (i + 1) * 60_000) / 1000;
      fs.utimesSync(file, t, t);
      await runUntil(engine, () => engine.list().some((r) => r.album === 'Photos' && !ids.includes(r.fileId)), `edit ${i + 1} backed up`);
      ids.push(engine.list().find((r) => r.album === 'Photos')!.fileId);
    }
    return { src, ids };
  } finally {
    await engine.close();
  }
}

it('restore-version puts a version back into its newest version\'s albums; with the newer one deleted, it says it stays in Uncategorized and why', async () => {
  const library = path.join(tempDir(), 'lib');
  const { src, ids } = await editedTwice(library);
  const [v1, v2, v3] = ids as [number, number, number];
  const back = await runCli(['restore-version', String(v1)], { library });
  assert.equal(back.code, 0, back.stderr);
  assert.equal(back.stdout, `Version ${v1} is back in Photos.\n`);
  const current = await runCli(['restore-version', String(v3)], { library });
  assert.equal(current.code, 7, current.stderr);
  assert.match(current.stderr, new RegExp(`File ${v3} \\(a\\.jpg\\) is the current version, in Photos: there is nothing to put back \\(its earlier versions are ${v2}, ${v1}\\)`));

  assert.equal((await runCli(['rm', String(v3)], { library })).code, 0);
  const stays = await runCli(['restore-version', String(v2)], { library });
  assert.equal(stays.code, 0, stays.stderr);
  assert.match(stays.stdout, new RegExp(`^Version ${v2} stays in Uncategorized: no newer version of it is in an album \\(it was deleted\\).*\`shoebox restore\` of its watched folder writes it where it was backed up from\\.\\n$`));

  // and a restore of the folder writes that version at its path, saying so
  const out = tempDir();
  const r = await runCli(['restore', src, '--to', out], { library });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(fs.readFileSync(path.join(out, 'a.jpg')), await jpeg('rv-2'));
  assert.match(r.stdout, /1 file is written as the version before a newer one deleted from the library \(in Trash, or purged\)/);
});
