import path from 'node:path';
import type { SourceRecord } from '../catalog/library-catalog.js';
import type { EngineContext } from '../engine-context.js';
import { walkTree } from '../upload/source-scan.js';
import type { FileStat } from './watch-sync.js';
import type { WatchRow, WatchStore } from './watch-store.js';

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
export async function diffWatch(ctx: EngineContext, store: WatchStore, watch: WatchRow): Promise<ReconcileDiff> {
  const records = new Map<string, SourceRecord[]>();
  for (const r of store.records(watch)) {
    const list = records.get(r.path);
    if (list) list.push(r);
    else records.set(r.path, [r]);
  }
  const diff: ReconcileDiff = { upserts: [], deletes: [], unchanged: 0, unreadable: [] };
  for await (const f of walkTree(watch.path, (p) => diff.unreadable.push(p.path), ctx.paths.root)) {
    const recs = records.get(f.path);
    records.delete(f.path);
    const same = recs?.some((r) => r.watchId === watch.id && r.size === f.size && r.mtimeMs === f.mtimeMs && r.ino === f.ino);
    if (same) diff.unchanged++;
    else diff.upserts.push({ path: f.path, size: f.size, mtimeMs: f.mtimeMs, ino: f.ino });
  }
  const shielded = (p: string) => diff.unreadable.some((d) => p === d || p.startsWith(`${d}${path.sep}`));
  for (const [p, recs] of records) {
    if (recs.some((r) => r.watchId === watch.id) && !shielded(p)) diff.deletes.push(p);
  }
  return diff;
}
