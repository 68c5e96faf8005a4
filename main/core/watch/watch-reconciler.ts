import path from 'node:path';
import type { EngineContext } from '../engine-context.js';
import { walkTree } from '../upload/source-scan.js';
import type { FileStat } from './watch-sync.js';
import type { WatchRow } from './watch-store.js';

/** What differs between a watched folder on disk and what the catalog remembers of it. */
export interface ReconcileDiff {
  /** Files that are new or whose size, mtime or inode changed (they will be read). */
  upserts: FileStat[];
  /** Recorded paths that are gone. */
  deletes: string[];
  /** Files unchanged since last time (not read again). */
  unchanged: number;
  /** Folders that could not be read (their recorded files are not treated as deleted). */
  unreadable: string[];
}

/**
 * Compares a watch folder's tree with its source records (DESIGN §2 "While the app was
 * closed"): a file with the same size, mtime and inode as its record is unchanged and not
 * read again; others are upserts; records whose path is gone are deletions — except under a
 * folder that could not be read, which is reported instead. Pure comparison: no catalog writes.
 */
export async function diffWatch(ctx: EngineContext, watch: WatchRow): Promise<ReconcileDiff> {
  // Compact on purpose (a string per path, not a record object): this map holds every file of
  // the watch, 100k+ entries, and sets the engine's peak memory at start.
  const known = new Map<string, string>();
  for (const r of ctx.catalog.sources.iterateUnder(watch.id, watch.path)) {
    // A freed path ([Note: Freed is not deleted]) is no deletion when gone, and is looked at
    // again when present (it was put back: the watch forgets that it was freed).
    const sig = r.freed ? 'freed' : r.watchId === watch.id ? `${r.size}:${r.mtimeMs}:${r.ino}` : 'other';
    const prev = known.get(r.path);
    known.set(r.path, prev === undefined || prev === 'other' ? sig : prev === 'freed' || sig === 'freed' ? 'freed' : `${prev}|${sig}`);
  }
  // Unchanged files whose stored bytes are known gone or damaged are read again: the original
  // is right here, so the sync stores the bytes again (issue #15).
  const heal = ctx.catalog.sources.pathsWithBadBytes(watch.id);
  const diff: ReconcileDiff = { upserts: [], deletes: [], unchanged: 0, unreadable: [] };
  for await (const f of walkTree(watch.path, (p) => diff.unreadable.push(p.path), ctx.paths.root)) {
    const sig = known.get(f.path);
    known.delete(f.path);
    if (sig?.split('|').includes(`${f.size}:${f.mtimeMs}:${f.ino}`) && !heal.has(f.path)) diff.unchanged++;
    else diff.upserts.push({ path: f.path, size: f.size, mtimeMs: f.mtimeMs, ino: f.ino });
  }
  const shielded = (p: string) => diff.unreadable.some((d) => p === d || p.startsWith(`${d}${path.sep}`));
  for (const [p, sig] of known) {
    if (sig !== 'other' && sig !== 'freed' && !shielded(p)) diff.deletes.push(p);
  }
  return diff;
}
