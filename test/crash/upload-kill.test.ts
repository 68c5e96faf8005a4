// Crash safety of manual upload (issue #3, DESIGN §8): a CLI upload of a few thousand files is
// killed with SIGKILL again and again, then resumed. The kills are placed by construction (issue
// #15), at seeded steps spread over the whole upload: mid-copy of a blob, with a blob placed but
// its row not committed, inside a file's commit transaction, after the n-th file, and right after
// the process reported its n-th file (timed from its own progress). Each lands mid-upload, and the
// test checks it. Afterwards every source file is in the library exactly once, every catalog row
// points to a complete blob whose hash verifies, and no temp file or stray blob is left.
// Reproduce a run with SHOEBOX_TEST_SEED=<printed seed>.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { between, describePlan, killKind, runKilled, spreadSteps, type KillPlan } from '../support/crash-kit.js';
import { jpeg, parseLines, runCli, seededRandom, tempDir, writeTree } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';

const FILES = 3000;
const KILLS = 25;

/** Library files, and blobs no catalog row names yet (placed by a killed run): in objects/ or in quarantine. */
function progress(library: string): { files: number; strays: number } {
  if (!fs.existsSync(path.join(library, 'catalog.sqlite'))) return { files: 0, strays: 0 };
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
  try {
    const files = (db.prepare('SELECT COUNT(*) AS n FROM files').get() as { n: number }).n;
    const rows = (db.prepare('SELECT COUNT(*) AS n FROM blobs').get() as { n: number }).n;
    const objects = path.join(library, 'objects');
    const onDisk = !fs.existsSync(objects) ? 0 : fs.readdirSync(objects).reduce((n, d) => n + fs.readdirSync(path.join(objects, d)).length, 0);
    // A killed run's strays are moved to quarantine when the next run opens the library, and an
    // upload of the same bytes takes them back from there without writing them again.
    const quarantine = path.join(library, 'quarantine');
    const quarantined = fs.existsSync(quarantine) ? fs.readdirSync(quarantine).length : 0;
    return { files, strays: Math.max(0, onDisk - rows) + quarantined };
  } finally {
    db.close();
  }
}

describe('upload killed with SIGKILL and resumed', () => {
  it(`${FILES} files, ${KILLS} kills at chosen steps: each lands mid-upload; each source exactly once, every blob verifies, nothing left over`, { timeout: 1_200_000 }, async (t) => {
    const seed = Number(process.env.SHOEBOX_TEST_SEED ?? Date.now() % 1_000_000);
    t.diagnostic(`seed ${seed}`);
    const rand = seededRandom(seed);
    const src = path.join(tempDir(), 'Camera');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < FILES; i++) {
      const folder = `${2000 + (i % 25)}/Roll${i % 40}`;
      // mostly small, some large (two chunks) so that kills land mid-copy
      files[`${folder}/IMG_${String(i).padStart(5, '0')}.jpg`] = await jpeg(`crash-${i}`, i % 50 === 0 ? 2_000_000 : 2000 + (i % 7) * 3000);
    }
    writeTree(src, files);
    const library = path.join(tempDir(), 'lib');

    // Where the upload as a whole should be at each kill: steps spread over all of it. Every run
    // walks all FILES again (known ones are skipped), so `upload-file` and `file-commit` count from
    // the first file; blob steps count only the new blobs this run must place.
    const targets = spreadSteps(rand, KILLS, 1, FILES - 2);
    const kinds = ['upload-file', 'file-commit', 'blob-placed', 'blob-write', 'progress'] as const;
    const landed: Record<string, number> = {};
    for (const [k, target] of targets.entries()) {
      const before = progress(library);
      const newBlobs = FILES - before.files - before.strays; // at least this many blobs get placed, each after ≥1 chunk write
      const kind = kinds[k % kinds.length]!;
      let plan: KillPlan;
      if (kind === 'progress') plan = { kind: 'progress', point: 'upload-file', after: target, backstop: Math.min(target + 100, FILES - 1) };
      else if ((kind === 'blob-placed' || kind === 'blob-write') && newBlobs >= 2) plan = { kind: 'point', point: kind, step: between(rand, 1, Math.min(newBlobs - 1, Math.max(1, target - before.files))) };
      else plan = { kind: 'point', point: kind === 'file-commit' ? 'file-commit' : 'upload-file', step: target };
      const r = await runKilled(['upload', src], { library, plan });
      assert.ok(r.landed, `kill ${k} at ${describePlan(plan)} landed mid-upload (exit ${r.code}, signal ${r.signal}): ${r.stderr.slice(-400)}`);
      landed[killKind(plan)] = (landed[killKind(plan)] ?? 0) + 1;
    }
    const midUpload = Object.values(landed).reduce((a, b) => a + b, 0);
    t.diagnostic(`${midUpload} of ${KILLS} kills landed mid-upload: ${JSON.stringify(landed)}; ${progress(library).files} files committed before the final run`);
    assert.equal(midUpload, KILLS);

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
