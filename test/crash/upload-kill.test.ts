// Crash safety of manual upload (issue #3, DESIGN §8): a CLI upload of a few thousand files is
// killed with SIGKILL at random moments, then resumed. Afterwards every source file is in the
// library exactly once, every catalog row points to a complete blob whose hash verifies, and
// no temp file or stray blob is left. Reproduce a run with SHOEBOX_TEST_SEED=<printed seed>.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { jpeg, parseLines, runCli, seededRandom, spawnCli, tempDir, writeTree } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';

const FILES = 3000;
const KILLS = 24;

describe('upload killed with SIGKILL and resumed', () => {
  it(`${FILES} files, ${KILLS} kills: each source exactly once, every blob verifies, nothing left over`, { timeout: 240_000 }, async (t) => {
    const seed = Number(process.env.SHOEBOX_TEST_SEED ?? Date.now() % 1_000_000);
    t.diagnostic(`seed ${seed}`);
    const rand = seededRandom(seed);
    const src = path.join(tempDir(), 'Camera');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < FILES; i++) {
      const folder = `${2000 + (i % 25)}/Roll${i % 40}`;
      // mostly small, some large enough that a kill lands mid-copy
      files[`${folder}/IMG_${String(i).padStart(5, '0')}.jpg`] = await jpeg(`crash-${i}`, i % 50 === 0 ? 2_000_000 : 2000 + (i % 7) * 3000);
    }
    writeTree(src, files);
    const library = path.join(tempDir(), 'lib');

    let kills = 0;
    for (let k = 0; k < KILLS; k++) {
      const child = spawnCli(['upload', src], { library });
      const exited = once(child, 'exit');
      await Promise.race([sleep(150 + rand() * 900), exited]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        kills++;
      }
      await exited;
    }
    t.diagnostic(`killed ${kills} times`);
    assert.ok(kills >= 20, `only ${kills} runs were still going when killed; the test needs at least 20`);

    const final = await runCli(['upload', src], { library });
    assert.equal(final.code, 0, final.stderr);

    const rows = parseLines<{ album: string; name: string; hash: string }>((await runCli(['--json', 'ls'], { library })).stdout);
    const seen = new Map<string, number>();
    for (const r of rows) seen.set(`${r.album}/${r.name}`, (seen.get(`${r.album}/${r.name}`) ?? 0) + 1);
    for (const [rel, bytes] of Object.entries(files)) {
      const key = `${path.basename(path.dirname(rel))}/${path.basename(rel)}`;
      assert.equal(seen.get(key), 1, `${rel} should be in the library exactly once`);
      const row = rows.find((r) => `${r.album}/${r.name}` === key)!;
      assert.equal(row.hash, createHash('sha256').update(bytes).digest('hex'));
    }
    assert.equal(rows.length, FILES);
    const v = verifyLibrary(library);
    assert.deepEqual(v.problems, []);
    assert.equal(v.tempFiles, 0, 'no temp files left');
    assert.equal(v.strayBlobs, 0, 'stray blobs of killed runs were collected');
    assert.equal(v.blobsChecked, FILES);
    assert.equal(fs.readdirSync(path.join(library, 'procs')).length, 0);
  });
});
