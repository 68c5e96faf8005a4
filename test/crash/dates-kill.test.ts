// Crash safety of the capture-date back-fill (issue #16): `shoebox run` dates an older library's
// files in the background, a batch per transaction. Killed with SIGKILL at chosen steps — inside a
// batch's transaction, right after a batch committed, and timed from the process's own report of
// a committed batch — each run leaves only whole batches of right dates, and a rerun finishes the
// job: every file ends with the date (and source) a clean back-fill gives it, none wrong, none lost.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Engine } from '../../main/core/engine.js';
import { describePlan, runKilled, type KillPlan } from '../support/crash-kit.js';
import { jpeg, runCli, spawnCli, tempDir, waitFor, writeTree } from '../support/fixtures.js';
import { mp4, photo } from '../support/media-fixtures.js';

type Dated = { id: number; name: string; takenAt: number | null; source: string | null; camera: string | null };

function datesOf(library: string): Dated[] {
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT id, name, taken_at AS takenAt, date_source AS source, camera FROM files ORDER BY id').all() as Dated[];
  } finally {
    db.close();
  }
}

/** Copies a library folder (no process has it open). */
function copyLibrary(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

describe('capture-date back-fill killed with SIGKILL', () => {
  it('each kill leaves whole batches of right dates; a rerun dates every file as a clean back-fill does', { timeout: 600_000 }, async (t) => {
    const root = path.join(tempDir(), 'Old');
    const library = path.join(tempDir(), 'lib');
    const files: Record<string, Buffer> = {};
    const exif = (i: number) => `2021:07:${String(1 + (i % 28)).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:15:${String(i % 60).padStart(2, '0')}`;
    for (let i = 0; i < 70; i++) files[`exif-${i}.jpg`] = await photo(64, 48, exif(i), `#${(0x100000 + i * 7919).toString(16).slice(-6)}`);
    for (let i = 0; i < 40; i++) files[`IMG_201904${String(1 + (i % 28)).padStart(2, '0')}_1010${String(10 + i).padStart(2, '0')}.jpg`] = await jpeg(`named-${i}`);
    for (let i = 0; i < 40; i++) files[`plain-${i}.jpg`] = await jpeg(`plain-${i}`);
    for (let i = 0; i < 6; i++) files[`clip-${i}.mp4`] = mp4(1, { createdAt: `2022-05-0${1 + i}T08:00:00Z` });
    writeTree(root, files);
    for (let i = 0; i < 40; i++) {
      const at = new Date(Date.UTC(2020, i % 12, 1 + i, 9, 30));
      fs.utimesSync(path.join(root, `plain-${i}.jpg`), at, at);
    }
    assert.equal((await runCli(['upload', root], { library })).code, 0);
    const total = Object.keys(files).length;
    assert.ok(datesOf(library).every((f) => f.source === null), 'an upload leaves dates to the back-fill (as an older library has none)');

    // What a clean back-fill gives each file, on a copy of the same library.
    const refLib = path.join(tempDir(), 'ref');
    copyLibrary(library, refLib);
    const ref = Engine.open({ libraryDir: refLib });
    try {
      assert.equal(await ref.dates.backfill(), total);
    } finally {
      await ref.close();
    }
    const reference = new Map(datesOf(refLib).map((f) => [f.id, f]));
    // …and that reference is right by construction, not only consistent.
    for (const f of reference.values()) {
      const m = /^exif-(\d+)\.jpg$/.exec(f.name);
      if (m) {
        const [d, h] = exif(Number(m[1])).split(' ');
        assert.deepEqual([f.source, f.takenAt], ['exif', Date.parse(`${d!.replaceAll(':', '-')}T${h}Z`)], f.name);
      } else if (f.name.startsWith('IMG_')) assert.equal(f.source, 'filename', f.name);
      else if (f.name.startsWith('plain-')) assert.equal(f.source, 'mtime', f.name);
      else assert.equal(f.source, 'quicktime', f.name);
    }

    const check = (what: string): number => {
      const now = datesOf(library);
      const dated = now.filter((f) => f.source !== null);
      for (const f of dated) {
        const r = reference.get(f.id)!;
        assert.deepEqual([f.takenAt, f.source, f.camera], [r.takenAt, r.source, r.camera], `${what}: ${f.name} has the date a clean back-fill gives it`);
      }
      return dated.length;
    };

    // Kills by construction: the back-fill batch is 64 files, so a run that reaches a step is mid-job.
    const plans: KillPlan[] = [
      { kind: 'point', point: 'dates-batch-tx', step: 1 }, // inside the first batch's transaction: nothing of it may stay
      { kind: 'point', point: 'dates-batch', step: 1 }, // one batch committed, the next not begun
      { kind: 'point', point: 'dates-batch-tx', step: 1 }, // inside the second batch overall
      { kind: 'progress', point: 'dates-batch', after: 1, backstop: 2 }, // soon after this run's first commit
    ];
    let before = 0;
    for (const plan of plans) {
      const r = await runKilled(['run'], { library, plan, giveUpMs: 300_000 });
      assert.ok(r.landed, `kill at ${describePlan(plan)} landed (exit ${r.code}, signal ${r.signal}): ${r.stderr.slice(-400)}`);
      const dated = check(`after the kill at ${describePlan(plan)}`);
      assert.ok(dated >= before, `dates are never lost (${before} → ${dated})`);
      if (plan.kind === 'point' && plan.point === 'dates-batch-tx') assert.equal(dated, before, 'the killed transaction left nothing');
      if (plan.kind === 'point' && plan.point === 'dates-batch') assert.ok(dated > before && dated < total, `one more batch, not all (${dated})`);
      t.diagnostic(`${describePlan(plan)}: ${dated} of ${total} dated`);
      before = dated;
    }
    assert.ok(before < total, 'the kills all landed before the end of the job');

    // A clean run finishes the job; then Ctrl-C.
    const child = spawnCli(['run'], { library });
    const exited = once(child, 'exit');
    await waitFor(async () => (JSON.parse((await runCli(['--json', 'status'], { library })).stdout) as { undated: number }).undated === 0, 300_000, 'the back-fill to finish'); // a liveness limit only
    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
    assert.equal(check('after the rerun'), total, 'every file has a date');
  });
});
