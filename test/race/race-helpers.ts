import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { jpeg, parseLines, runCli, startCli, tempDir, writeTree } from '../support/fixtures.js';
import { PauseControl } from '../support/pause.js';
import { verifyLibrary } from '../support/verify-library.js';

/** A library whose photos were all moved to Trash, and a second tree holding the same bytes under other names. */
export interface TrashedLibrary {
  library: string;
  /** The second tree: same bytes as the trashed photos, other names; its album is `album`. */
  again: string;
  album: string;
  /** name in the second tree → its bytes. */
  againFiles: Map<string, Buffer>;
}

/**
 * Uploads `n` photos (album First-<seed>), moves them all to Trash, and writes a second tree
 * (album Again-<seed>) with copies of their bytes. `library` reuses a library (loops).
 */
export async function trashedLibrary(n: number, seed: string, library = path.join(tempDir('shoebox-race-'), 'lib')): Promise<TrashedLibrary> {
  const root = tempDir('shoebox-race-tree-');
  const first: Record<string, Buffer> = {};
  const againFiles = new Map<string, Buffer>();
  for (let i = 0; i < n; i++) {
    const bytes = await jpeg(`${seed}-${i}`, 3000 + (i % 5) * 5000);
    first[`IMG_${i}.jpg`] = bytes;
    againFiles.set(`copy_${i}.jpg`, bytes);
  }
  writeTree(path.join(root, `First-${seed}`), first);
  writeTree(path.join(root, `Again-${seed}`), Object.fromEntries(againFiles));
  const up = await runCli(['upload', path.join(root, `First-${seed}`)], { library });
  assert.equal(up.code, 0, up.stderr);
  const ids = parseLines<{ fileId: number }>((await runCli(['--json', 'ls', `First-${seed}`], { library })).stdout).map((r) => String(r.fileId));
  assert.equal(ids.length, n);
  const rm = await runCli(['rm', ...ids], { library });
  assert.equal(rm.code, 0, rm.stderr);
  return { library, again: path.join(root, `Again-${seed}`), album: `Again-${seed}`, againFiles };
}

/**
 * Back-dates everything in Trash so the next purge finds it expired (31 days old), and the
 * library's creation before that (a Trash date before it would not be trusted).
 */
export function ageTrash(library: string, now = Date.now()): void {
  const db = new Database(path.join(library, 'catalog.sqlite'));
  try {
    db.prepare('UPDATE files SET trashed_at = ? WHERE trashed_at IS NOT NULL').run(now - 31 * 86_400_000);
    db.prepare(`UPDATE meta SET value = ? WHERE key = 'created_at'`).run(String(now - 60 * 86_400_000));
  } finally {
    db.close();
  }
}

/**
 * The promise after a race: every file of the second tree is in the library and `export`
 * (which verifies each file's hash as it copies) gives back exactly its source bytes, and
 * `check --read-data` finds nothing wrong. Returns what was lost (empty when all is well).
 */
export async function lostAfterRace(t: TrashedLibrary): Promise<string[]> {
  const lost: string[] = [];
  const rows = parseLines<{ name: string; hash: string }>((await runCli(['--json', 'ls', t.album], { library: t.library })).stdout);
  const dest = tempDir('shoebox-race-export-');
  const exp = await runCli(['--json', 'export', t.album, dest], { library: t.library });
  const summary = JSON.parse(exp.stdout || '{"failed":[]}') as { failed: Array<{ message: string }> };
  for (const f of summary.failed) lost.push(`export: ${f.message}`);
  for (const [name, bytes] of t.againFiles) {
    const row = rows.find((r) => r.name === name);
    if (!row) {
      lost.push(`${name}: not in the library`);
      continue;
    }
    assert.equal(row.hash, createHash('sha256').update(bytes).digest('hex'));
    const out = path.join(dest, t.album, name);
    if (!fs.existsSync(out)) lost.push(`${name}: not exported`);
    else if (!fs.readFileSync(out).equals(bytes)) lost.push(`${name}: exported with other bytes`);
  }
  const check = await runCli(['--json', 'check', '--read-data'], { library: t.library });
  const report = JSON.parse(check.stdout) as { problems: Array<{ kind: string; message: string }> };
  for (const p of report.problems) lost.push(`check: ${p.kind}: ${p.message}`);
  return lost;
}

/**
 * Changes one byte of one key in a leaf page of the blobs table's primary-key index (found
 * through dbstat), so the index no longer finds that blob. Returns the hash it hid.
 */
export function damageBlobsIndex(library: string): string {
  const file = path.join(library, 'catalog.sqlite');
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const index = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'blobs' AND sql IS NULL`).get() as { name: string }).name;
  const leaf = db.prepare(`SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno LIMIT 1`).get(index) as { pageno: number };
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const hashes = (db.prepare('SELECT hash FROM blobs ORDER BY hash').all() as { hash: string }[]).map((r) => r.hash);
  db.close();
  const fd = fs.openSync(file, 'r+');
  try {
    const page = Buffer.alloc(pageSize);
    fs.readSync(fd, page, 0, pageSize, (leaf.pageno - 1) * pageSize);
    const victim = hashes.find((h) => page.includes(Buffer.from(h)))!;
    const at = page.indexOf(Buffer.from(victim)) + 63; // its last hex digit: the key order stays valid
    page[at] = page[at] === 0x30 ? 0x31 : 0x30;
    fs.writeSync(fd, page, 0, pageSize, (leaf.pageno - 1) * pageSize);
    return victim;
  } finally {
    fs.closeSync(fd);
  }
}

/** Leaves a dead process behind: an upload held before its first commit, then SIGKILLed. */
export async function killedUpload(lib: string, root: string): Promise<void> {
  writeTree(path.join(root, 'More'), { 'new.jpg': await jpeg('never committed', 5000) });
  const pause = new PauseControl();
  const up = startCli(['upload', path.join(root, 'More')], { library: lib, env: pause.env('upload-commit') });
  await pause.reached('upload-commit', () => up.child.exitCode !== null);
  up.child.kill('SIGKILL');
  await up.done;
}

/**
 * The same promise as lostAfterRace, read straight from the library (no CLI processes, for
 * loops): every file of the second tree is a live file of its album whose blob file hashes to
 * the source's bytes, and the full check (every blob re-hashed) finds nothing wrong.
 */
export function lostInLibrary(t: TrashedLibrary): string[] {
  const lost: string[] = [];
  const db = new Database(path.join(t.library, 'catalog.sqlite'), { readonly: true });
  let rows: Array<{ name: string; hash: string }>;
  try {
    rows = db
      .prepare(`SELECT f.name, f.blob_hash AS hash FROM files f JOIN memberships m ON m.file_id = f.id JOIN albums a ON a.id = m.album_id WHERE a.name = ? AND f.trashed_at IS NULL`)
      .all(t.album) as Array<{ name: string; hash: string }>;
  } finally {
    db.close();
  }
  for (const [name, bytes] of t.againFiles) {
    const row = rows.find((r) => r.name === name);
    const want = createHash('sha256').update(bytes).digest('hex');
    if (!row) lost.push(`${name}: not in the library`);
    else if (row.hash !== want) lost.push(`${name}: recorded with another hash`);
    else {
      const blob = path.join(t.library, 'objects', want.slice(0, 2), want);
      if (!fs.existsSync(blob)) lost.push(`${name}: its stored bytes are gone`);
      else if (createHash('sha256').update(fs.readFileSync(blob)).digest('hex') !== want) lost.push(`${name}: its stored bytes are damaged`);
    }
  }
  for (const p of verifyLibrary(t.library).problems) lost.push(`check: ${p.kind}: ${p.message}`);
  return lost;
}
