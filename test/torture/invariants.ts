import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { parseLines, runCli, spawnCli, waitFor } from '../support/fixtures.js';
import { filesUnder } from '../support/verify-library.js';

/** After a crash: a clean process opens the library (collecting leftovers) and checks it; returns violations. */
export async function checkAfterCrash(library: string, env: NodeJS.ProcessEnv = {}, readData = true): Promise<string[]> {
  const r = await runCli(['--json', 'check', ...(readData ? ['--read-data'] : [])], { library, env });
  const out: string[] = [];
  if (r.code !== 0 && r.code !== 5) return [`check exited ${r.code}: ${r.stderr.slice(0, 300)}`];
  const report = JSON.parse(r.stdout || '{}') as { problems?: Array<{ message: string }>; strayBlobs?: number; error?: { userMessage: string } };
  if (report.error) out.push(`check: ${report.error.userMessage.slice(0, 300)}`); // a damaged catalog: check describes it instead of listing problems
  for (const p of report.problems ?? []) out.push(`catalog/blob: ${p.message}`);
  if ((report.strayBlobs ?? 0) > 0) out.push(`${report.strayBlobs} stray blob(s) left after a clean open`);
  const tmp = path.join(library, 'tmp');
  const leftovers = filesUnder(tmp);
  if (leftovers.length) out.push(`${leftovers.length} temp file(s) left in the library`);
  return out;
}

/** Runs `shoebox run` until every watch is caught up, then stops it cleanly. */
export async function settle(library: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 600_000): Promise<void> {
  const child = spawnCli(['run'], { library, env });
  const exited = once(child, 'exit');
  try {
    await waitFor(async () => {
      const s = JSON.parse((await runCli(['--json', 'status'], { library })).stdout || '{}') as { sync?: { state: string; queued: number; watches: Array<{ state: string }> } | null };
      return s.sync && s.sync.watches.every((w) => w.state === 'watching') && s.sync.queued === 0 && s.sync.state !== 'syncing';
    }, timeoutMs, 'the engine to catch up');
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

const sha = (p: string) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');

/**
 * DESIGN §2 after things settled: every file on disk under a watched root (separate mode) is in
 * its leaf folder's album with its current content, and every photo in those albums is a file
 * on disk (compared by album and content: deduplicated copies share a file). Missing content is
 * data lost.
 */
export async function matchesFolders(library: string, root: string): Promise<{ violations: string[]; lost: number }> {
  const onDisk = new Set<string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !e.name.startsWith('.')) onDisk.add(`${path.basename(path.dirname(p))}\n${sha(p)}`); // separate mode: the leaf folder's album
    }
  };
  walk(root);
  const rows = parseLines<{ album: string; hash: string }>((await runCli(['--json', 'ls'], { library })).stdout);
  const inLibrary = new Set(rows.filter((r) => r.album !== 'Uncategorized').map((r) => `${r.album}\n${r.hash}`));
  const violations: string[] = [];
  let lost = 0;
  for (const k of onDisk) if (!inLibrary.has(k)) { violations.push(`on disk but not in its album: ${k.replace('\n', ' / ').slice(0, 90)}`); lost++; }
  const albums = new Set([...onDisk].map((k) => k.split('\n')[0]!));
  for (const k of inLibrary) if (albums.has(k.split('\n')[0]!) && !onDisk.has(k)) violations.push(`in an album but not on disk: ${k.replace('\n', ' / ').slice(0, 90)}`);
  return { violations, lost };
}
