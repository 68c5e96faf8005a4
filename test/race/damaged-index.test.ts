// Issue #15 item 2: one changed byte in a leaf page of the blobs index made `check` call a
// photo's only stored copy a "stray blob", `check --repair` delete it, and a plain `status`
// delete it silently when a dead process was found at open. Nothing may delete stored bytes on
// the strength of an index lookup. Real processes; the dead process is a real killed upload.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { jpeg, killStartedClis, parseLines, runCli, tempDir, writeTree } from '../support/fixtures.js';
import { damageBlobsIndex, killedUpload } from './race-helpers.js';

/** A library of `n` photos; returns it with each photo's hash → bytes. */
async function library(n: number, seed: string): Promise<{ library: string; blobs: Map<string, Buffer>; root: string }> {
  const root = tempDir('shoebox-index-');
  const files: Record<string, Buffer> = {};
  const blobs = new Map<string, Buffer>();
  for (let i = 0; i < n; i++) {
    const bytes = await jpeg(`${seed}-${i}`, 2000);
    files[`IMG_${i}.jpg`] = bytes;
    blobs.set(createHash('sha256').update(bytes).digest('hex'), bytes);
  }
  writeTree(path.join(root, 'Photos'), files);
  const lib = path.join(root, 'lib');
  const up = await runCli(['upload', path.join(root, 'Photos')], { library: lib });
  assert.equal(up.code, 0, up.stderr);
  return { library: lib, blobs, root };
}

/** The stored blobs whose bytes are gone or changed (all places a blob may be kept are searched). */
function lostBlobs(lib: string, blobs: Map<string, Buffer>): string[] {
  const lost: string[] = [];
  for (const [hash, bytes] of blobs) {
    const p = path.join(lib, 'objects', hash.slice(0, 2), hash);
    if (!fs.existsSync(p) || !fs.readFileSync(p).equals(bytes)) lost.push(hash.slice(0, 12));
  }
  return lost;
}

after(killStartedClis);

describe('a damaged blobs index never costs a photo its bytes', () => {
  it('open after a crash, check, check --repair and trash empty delete nothing while integrity fails', { timeout: 180_000 }, async () => {
    const t = await library(30, 'index');
    const [first] = parseLines<{ fileId: number }>((await runCli(['--json', 'ls'], { library: t.library })).stdout);
    assert.equal((await runCli(['rm', String(first!.fileId)], { library: t.library })).code, 0); // something for trash empty to delete
    await killedUpload(t.library, t.root);
    const victim = damageBlobsIndex(t.library);

    const status = await runCli(['status'], { library: t.library }); // opens with a dead process in procs/
    assert.equal(status.code, 0, status.stderr);
    assert.deepEqual(lostBlobs(t.library, t.blobs), [], 'open after a crash removed nothing');

    const check = await runCli(['--json', 'check'], { library: t.library });
    assert.equal(check.code, 5, check.stderr);
    const report = JSON.parse(check.stdout) as { error?: { code: string } };
    assert.equal(report.error?.code, 'LIBRARY_CORRUPT', 'the damage is reported, and nothing else is checked on it');
    assert.deepEqual(lostBlobs(t.library, t.blobs), []);

    const repair = await runCli(['check', '--repair'], { library: t.library });
    assert.notEqual(repair.code, 0, 'a damaged catalog is not "repaired" into health');
    assert.deepEqual(lostBlobs(t.library, t.blobs), [], `check --repair removed nothing (the hidden blob was ${victim.slice(0, 12)})`);

    const empty = await runCli(['trash', 'empty', '--yes'], { library: t.library });
    assert.equal(empty.code, 5, empty.stderr);
    assert.match(empty.stderr, /damaged|integrity check/);
    assert.deepEqual(lostBlobs(t.library, t.blobs), []);
  });

  it('with a sound catalog a crash\'s stray blob is quarantined, reported, and taken back by an upload of the same bytes', { timeout: 180_000 }, async () => {
    const t = await library(5, 'stray');
    await killedUpload(t.library, t.root);
    const strays = () => fs.readdirSync(path.join(t.library, 'objects')).flatMap((d) => fs.readdirSync(path.join(t.library, 'objects', d))).filter((h) => !t.blobs.has(h));
    const [stray] = strays();
    assert.ok(stray, 'the killed upload placed its blob but never committed it');

    assert.equal((await runCli(['status'], { library: t.library })).code, 0);
    assert.deepEqual(strays(), [], 'moved out of the store at open');
    const quarantined = path.join(t.library, 'quarantine', stray);
    const inode = fs.statSync(quarantined).ino;
    const check = await runCli(['check'], { library: t.library });
    assert.equal(check.code, 0, check.stdout);
    assert.match(check.stdout, /1 blob file in quarantine/);

    // The same bytes uploaded again: the quarantined file goes back into the store, not a new copy.
    const up = await runCli(['--json', 'upload', path.join(t.root, 'More')], { library: t.library });
    assert.equal(up.code, 0, up.stderr);
    assert.equal(fs.statSync(path.join(t.library, 'objects', stray.slice(0, 2), stray)).ino, inode);
    assert.equal(fs.existsSync(quarantined), false);
    assert.deepEqual(lostBlobs(t.library, t.blobs), []);
  });

  it('a blob quarantined while its row was lost is put back by check --repair once the row is back', { timeout: 180_000 }, async () => {
    const t = await library(3, 'row-back');
    const [hash, bytes] = [...t.blobs][0]!;
    // As if the catalog had lost the row (a restore from an older snapshot): a dead process makes
    // the next open collect, and the blob goes into quarantine.
    const db = new Database(path.join(t.library, 'catalog.sqlite'));
    const blob = db.prepare('SELECT * FROM blobs WHERE hash = ?').get(hash) as Record<string, unknown>;
    const file = db.prepare('SELECT * FROM files WHERE blob_hash = ?').get(hash) as Record<string, unknown>;
    const memberships = db.prepare('SELECT * FROM memberships WHERE file_id = ?').all(file.id) as Array<Record<string, unknown>>;
    db.pragma('foreign_keys = OFF');
    db.prepare('DELETE FROM memberships WHERE file_id = ?').run(file.id);
    db.prepare('DELETE FROM source_records WHERE file_id = ?').run(file.id);
    db.prepare('DELETE FROM files WHERE id = ?').run(file.id);
    db.prepare('DELETE FROM blobs WHERE hash = ?').run(hash);
    db.close();
    await killedUpload(t.library, t.root);
    assert.equal((await runCli(['status'], { library: t.library })).code, 0);
    assert.ok(fs.existsSync(path.join(t.library, 'quarantine', hash)), 'quarantined, not deleted');
    // The row comes back (the newer catalog is restored): check finds the bytes missing, repair takes them back.
    const db2 = new Database(path.join(t.library, 'catalog.sqlite'));
    const insert = (table: string, row: Record<string, unknown>) =>
      db2.prepare(`INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((k) => `@${k}`).join(', ')})`).run(row);
    insert('blobs', { ...blob, live_files: 0 }); // the trigger counts the file back in
    insert('files', file);
    for (const m of memberships) insert('memberships', m);
    db2.close();
    const repair = await runCli(['check', '--repair'], { library: t.library });
    assert.match(repair.stdout, /found in quarantine and put back/);
    assert.deepEqual(fs.readFileSync(path.join(t.library, 'objects', hash.slice(0, 2), hash)), bytes);
    assert.deepEqual(lostBlobs(t.library, t.blobs), []);
  });
});
