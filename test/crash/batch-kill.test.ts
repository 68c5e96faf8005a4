// Issue #18: files are backed up in batches (one worker round trip, made durable together), whose
// rows are committed a slice of COMMIT_FILES per transaction (a command on its own: `upload`). A
// SIGKILL placed *inside* a batch — by construction, through the fault layer, never by the clock —
// loses at most what was not committed yet: the transactions committed before it stay whole, none
// of the killed one's rows survive, every surviving row names durable, verified bytes, and the next
// run redoes the rest (taking its already-stored blobs back rather than losing them). Reproduce a
// run with SHOEBOX_TEST_SEED=<printed seed>.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { batchFiles } from '../../main/core/upload/batch-source.js';
import { COMMIT_FILES } from '../../main/core/upload/upload-pipeline.js';
import { between, describePlan, runKilled, type KillPlan } from '../support/crash-kit.js';
import { jpeg, parseLines, runCli, seededRandom, tempDir, writeTree } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';

const FILES = 640;

/** Catalog rows and blob files in objects/ (placed, with or without a row). */
function counts(library: string): { files: number; blobRows: number; blobFiles: number } {
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const objects = path.join(library, 'objects');
    const blobFiles = !fs.existsSync(objects) ? 0 : fs.readdirSync(objects).reduce((k, d) => k + fs.readdirSync(path.join(objects, d)).length, 0);
    return { files: n('SELECT COUNT(*) AS n FROM files'), blobRows: n('SELECT COUNT(*) AS n FROM blobs'), blobFiles };
  } finally {
    db.close();
  }
}

/** Small photos of distinct sizes (so no file is ever first taken for a copy of another's bytes), a few folders. */
async function sources(): Promise<{ src: string; files: Record<string, Buffer> }> {
  const src = path.join(tempDir(), 'Camera');
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < FILES; i++) files[`Roll${i % 8}/IMG_${String(i).padStart(4, '0')}.jpg`] = await jpeg(`batch-${i}`, 2000 + 11 * i);
  writeTree(src, files);
  return { src, files };
}

/** After the final run: each source exactly once with its hash, every blob verifies, nothing left over or left aside. */
async function assertComplete(library: string, files: Record<string, Buffer>): Promise<void> {
  const rows = parseLines<{ album: string; name: string; hash: string }>((await runCli(['--json', 'ls'], { library })).stdout);
  assert.equal(rows.length, FILES);
  const byKey = new Map(rows.map((r) => [`${r.album}/${r.name}`, r]));
  for (const [rel, bytes] of Object.entries(files)) {
    assert.equal(byKey.get(rel)?.hash, createHash('sha256').update(bytes).digest('hex'), `${rel} backed up once, with its bytes`);
  }
  const v = verifyLibrary(library);
  assert.deepEqual(v.problems, []);
  assert.equal(v.blobsChecked, FILES);
  assert.equal(v.tempFiles, 0, 'no temp files left');
  assert.equal(v.strayBlobs, 0, 'no blob without a row');
  assert.equal(v.quarantined, 0, "the killed batch's stored blobs were taken back, not left in quarantine");
}

describe('upload killed inside a batch', () => {
  const seed = Number(process.env.SHOEBOX_TEST_SEED ?? Date.now() % 1_000_000);
  const rand = seededRandom(seed);

  it('killed inside a commit transaction (after some or all of its rows were written): exactly the transactions before it stay, the next run redoes the rest', { timeout: 600_000 }, async (t) => {
    t.diagnostic(`seed ${seed}`);
    const { src, files } = await sources();
    // Two worker threads: batches of this many files, each committed COMMIT_FILES per transaction.
    const batch = batchFiles(FILES, 2);
    assert.ok(batch % COMMIT_FILES === 0 && FILES % batch === 0, `batches of ${batch}, transactions of ${COMMIT_FILES}`);
    const slices = FILES / COMMIT_FILES;
    const m = between(rand, 1, slices - 2); // transactions committed before the kill
    const plans: KillPlan[] = [
      { kind: 'point', point: 'file-commit', step: m * COMMIT_FILES + between(rand, 1, COMMIT_FILES - 1) }, // some of its rows written
      { kind: 'point', point: 'batch-commit', step: m + 1 }, // every row of the transaction written, not committed
    ];
    for (const plan of plans) {
      const library = path.join(tempDir(), 'lib');
      const r = await runKilled(['upload', src], { library, plan, env: { SHOEBOX_THREADS: '2' } });
      assert.ok(r.landed, `the kill at ${describePlan(plan)} landed (exit ${r.code}, signal ${r.signal}): ${r.stderr.slice(-400)}`);
      const after = counts(library);
      assert.equal(after.files, m * COMMIT_FILES, `killed at ${describePlan(plan)}: the ${m} transactions committed before it stay whole and nothing of the killed one`);
      assert.equal(after.blobRows, m * COMMIT_FILES);
      // The killed transaction's batch was identified before its commit began: its blobs are in the store, durable, without rows.
      assert.ok(after.blobFiles >= (m + 1) * COMMIT_FILES, `${after.blobFiles} blob files after the kill, at least ${(m + 1) * COMMIT_FILES}`);
      assert.deepEqual(verifyLibrary(library).problems, [], 'every committed row names complete, verified bytes');

      const final = await runCli(['upload', src], { library });
      assert.equal(final.code, 0, final.stderr);
      await assertComplete(library, files);
    }
  });

  it("killed while a batch's blobs are being reported placed: nothing of it is committed, its durable blobs are taken back by the next run", { timeout: 600_000 }, async (t) => {
    t.diagnostic(`seed ${seed}`);
    const { src, files } = await sources();
    // One worker thread: its batches are stored one after another, each made durable whole
    // (every blob renamed into place and its folder fsynced) before the first is reported placed.
    const batch = batchFiles(FILES, 1);
    const m = between(rand, 1, FILES / batch - 2);
    const plan: KillPlan = { kind: 'point', point: 'blob-placed', step: m * batch + between(rand, 1, batch - 1) };
    const library = path.join(tempDir(), 'lib');
    const r = await runKilled(['upload', src], { library, plan, env: { SHOEBOX_THREADS: '1' } });
    assert.ok(r.landed, `the kill at ${describePlan(plan)} landed (exit ${r.code}, signal ${r.signal}): ${r.stderr.slice(-400)}`);
    const after = counts(library);
    assert.ok(after.files <= m * batch, `${after.files} files committed: none of batch ${m + 1}, whose blobs were being reported`);
    assert.equal(after.files % COMMIT_FILES, 0, 'only whole transactions are committed');
    assert.ok(after.blobFiles >= (m + 1) * batch, `${after.blobFiles} blob files: batch ${m + 1} was placed whole before its first report`);
    assert.deepEqual(verifyLibrary(library).problems, []);

    const final = await runCli(['upload', src], { library });
    assert.equal(final.code, 0, final.stderr);
    await assertComplete(library, files);
  });
});
