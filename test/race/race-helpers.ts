import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { jpeg, parseLines, runCli, tempDir, writeTree } from '../support/fixtures.js';

/** A library whose photos were all moved to Trash, and a second tree holding the same bytes under other names. */
export interface TrashedLibrary {
  library: string;
  /** The second tree: same bytes as the trashed photos, other names, album "Again". */
  again: string;
  /** name in the second tree → its bytes. */
  againFiles: Map<string, Buffer>;
}

/** Uploads `n` photos, moves them all to Trash, and writes a second tree with copies of their bytes. */
export async function trashedLibrary(n: number, seed: string): Promise<TrashedLibrary> {
  const root = tempDir('shoebox-race-');
  const library = path.join(root, 'lib');
  const first: Record<string, Buffer> = {};
  const againFiles = new Map<string, Buffer>();
  for (let i = 0; i < n; i++) {
    const bytes = await jpeg(`${seed}-${i}`, 3000 + (i % 5) * 5000);
    first[`IMG_${i}.jpg`] = bytes;
    againFiles.set(`copy_${i}.jpg`, bytes);
  }
  writeTree(path.join(root, 'First'), first);
  writeTree(path.join(root, 'Again'), Object.fromEntries(againFiles));
  const up = await runCli(['upload', path.join(root, 'First')], { library });
  assert.equal(up.code, 0, up.stderr);
  const ids = parseLines<{ fileId: number }>((await runCli(['--json', 'ls'], { library })).stdout).map((r) => String(r.fileId));
  assert.equal(ids.length, n);
  const rm = await runCli(['rm', ...ids], { library });
  assert.equal(rm.code, 0, rm.stderr);
  return { library, again: path.join(root, 'Again'), againFiles };
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
  const rows = parseLines<{ name: string; hash: string }>((await runCli(['--json', 'ls', 'Again'], { library: t.library })).stdout);
  const dest = tempDir('shoebox-race-export-');
  const exp = await runCli(['--json', 'export', 'Again', dest], { library: t.library });
  const summary = JSON.parse(exp.stdout || '{"failed":[]}') as { failed: Array<{ message: string }> };
  for (const f of summary.failed) lost.push(`export: ${f.message}`);
  for (const [name, bytes] of t.againFiles) {
    const row = rows.find((r) => r.name === name);
    if (!row) {
      lost.push(`${name}: not in the library`);
      continue;
    }
    assert.equal(row.hash, createHash('sha256').update(bytes).digest('hex'));
    const out = path.join(dest, 'Again', name);
    if (!fs.existsSync(out)) lost.push(`${name}: not exported`);
    else if (!fs.readFileSync(out).equals(bytes)) lost.push(`${name}: exported with other bytes`);
  }
  const check = await runCli(['--json', 'check', '--read-data'], { library: t.library });
  const report = JSON.parse(check.stdout) as { problems: Array<{ kind: string; message: string }> };
  for (const p of report.problems) lost.push(`check: ${p.kind}: ${p.message}`);
  return lost;
}
