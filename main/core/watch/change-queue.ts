import fs from 'node:fs/promises';
import { isErrno } from '../errors.js';
import { looksComplete } from '../media/looks-complete.js';
import { runQueue } from '../work-queue.js';
import type { FileStat } from './watch-sync.js';
import { itemKey, mayBePart } from './watched-items.js';
import { fsPath } from '../media/raw-names.js';

/** Timing of the change queue. */
export interface ChangeQueueTiming {
  /** A file counts as completely written once its size and mtime are unchanged this long. */
  settleMs: number;
  /** A deletion waits this long, so the add of a rename/move can claim it first. */
  deleteDelayMs: number;
  /** A settled file whose format says it is cut off waits at most this long for the rest ([Note: A file still being written]); default INCOMPLETE_HOLD_MS. */
  incompleteHoldMs?: number;
}

/** The defaults: see [Note: Settle window]. */
export const DEFAULT_TIMING: ChangeQueueTiming = { settleMs: 1000, deleteDelayMs: 4000 };

/**
 * How long a settled file that looks cut off waits for the rest of its bytes: long enough for a
 * stalled copy to resume; a photo that really is cut off (damaged) is then backed up as it is.
 */
export const INCOMPLETE_HOLD_MS = 60_000;
/**
 * The files of a scan that may still be being written: modified less than ten settle windows
 * ago (10 s by default) and cut off by their own format ([Note: A file still being written]).
 * The scan that starts a running watch hands them to the watch's change queue, to wait like a
 * live change, instead of backing them up cut off: a copy in progress while `run` starts.
 * Other files, whole or older, are taken as they are, at once; only the recent ones are
 * opened (a few at a time). `wallNow` is the real clock: file times are.
 */
export async function stillBeingWritten(files: readonly FileStat[], timing: ChangeQueueTiming = DEFAULT_TIMING, wallNow = Date.now()): Promise<Set<string>> {
  const recent = files.filter((f) => wallNow - f.mtimeMs < 10 * timing.settleMs);
  const cut = new Set<string>();
  await runQueue(recent, async (f) => {
    if ((await looksComplete(f.path, f.size)) === false) cut.add(f.path);
  }, { concurrency: 8 });
  return cut;
}

/** Longest wait between two looks at a file that looks cut off (the waits double from the settle window). */
const INCOMPLETE_RECHECK_MAX_MS = 8_000;

/** How long a part of an item (a RAW, an XMP, a live photo's video) waits for a file of its item still being written. */
export const PART_HOLD_MS = 60_000;

/** A settled file that looked cut off: since when, and when to look again. */
interface Incomplete {
  since: number;
  retryAt: number;
  wait: number;
}

type Pending =
  /** `heldSince`: settled, and held since then for a file of its item ([Note: Parts wait for their item]). */
  | { kind: 'upsert'; lastEventAt: number; size: number; mtimeMs: number; heldSince?: number; incomplete?: Incomplete }
  | { kind: 'delete'; due: number };

/**
 * [Note: Settle window]
 * Events for one path are coalesced into one pending change (the last event wins: add then
 * unlink is a deletion, unlink then add an upsert). An upsert becomes ready when the file's
 * size and mtime are the same as at its last event, `settleMs` later: then it is completely
 * written (a copy in progress keeps producing events and changing size), unless its format
 * says it is cut off ([Note: A file still being written]). A deletion is held
 * `deleteDelayMs`, longer than an add takes to settle and be processed, so a rename is seen
 * as a move rather than a delete plus a new file. Nothing is dropped: a burst of 10k events
 * is 10k map entries, handed out in batches.
 */
export class ChangeQueue {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly timing: ChangeQueueTiming = DEFAULT_TIMING, private readonly now: () => number = Date.now) {}

  /** How many queued files look cut off and wait for the rest of their bytes. */
  cutOff(): number {
    let n = 0;
    for (const c of this.pending.values()) if (c.kind === 'upsert' && c.incomplete) n++;
    return n;
  }

  /** Number of paths waiting (to settle or to be processed). */
  get size(): number {
    return this.pending.size;
  }

  /** True if this path has a change waiting. */
  has(path: string): boolean {
    return this.pending.has(path);
  }

  /** A file appeared or changed. */
  noteUpsert(path: string): void {
    const prev = this.pending.get(path);
    this.pending.set(path, { kind: 'upsert', lastEventAt: this.now(), size: prev?.kind === 'upsert' ? prev.size : -1, mtimeMs: prev?.kind === 'upsert' ? prev.mtimeMs : -1 });
  }

  /** A file disappeared. */
  noteDelete(path: string): void {
    this.pending.set(path, { kind: 'delete', due: this.now() + this.timing.deleteDelayMs });
  }

  /** Drops every pending deletion (the watch root went away: nothing may be treated as deleted). */
  dropDeletes(): number {
    let n = 0;
    for (const [p, c] of this.pending) if (c.kind === 'delete') { this.pending.delete(p); n++; }
    return n;
  }

  /**
   * Takes the changes that are ready: files that have settled (stat'ed now) and deletions past
   * their delay. A file that vanished while settling becomes a deletion.
   */
  async takeReady(limit = 2000): Promise<{ upserts: FileStat[]; deletes: string[] }> {
    const now = this.now();
    const upserts: FileStat[] = [];
    const deletes: string[] = [];
    const toStat: Array<[string, Extract<Pending, { kind: 'upsert' }>]> = [];
    const settled = new Map<string, Extract<Pending, { kind: 'upsert' }>>();
    const steady: Array<[string, Extract<Pending, { kind: 'upsert' }>, import('node:fs').Stats]> = [];
    for (const [p, c] of this.pending) {
      if (upserts.length + deletes.length + toStat.length >= limit) break;
      if (c.kind === 'delete') {
        if (c.due <= now) deletes.push(p);
      } else if (c.incomplete ? c.incomplete.retryAt <= now : now - c.lastEventAt >= this.timing.settleMs || c.size < 0) {
        toStat.push([p, c]);
      }
    }
    for (const d of deletes) this.pending.delete(d);
    await Promise.all(
      toStat.map(async ([p, c]) => {
        let st: import('node:fs').Stats | undefined;
        try {
          st = await fs.lstat(fsPath(p)); // a name byte that is not UTF-8 as its byte (raw-names.ts)
        } catch (err) {
          if (!isErrno(err, 'ENOENT', 'ENOTDIR')) throw err;
        }
        if (this.pending.get(p) !== c) return; // a newer event arrived meanwhile
        if (!st) {
          this.pending.set(p, { kind: 'delete', due: this.now() + this.timing.deleteDelayMs });
        } else if (!st.isFile()) {
          this.pending.delete(p);
        } else if (c.size === st.size && c.mtimeMs === st.mtimeMs && now - c.lastEventAt >= this.timing.settleMs) {
          steady.push([p, c, st]);
        } else {
          // First look, or still being written: remember what we saw and wait another window.
          const first = c.size < 0;
          this.pending.set(p, { kind: 'upsert', lastEventAt: first ? c.lastEventAt : this.now(), size: st.size, mtimeMs: st.mtimeMs });
        }
      }),
    );
    // Settled by size and date: unless its own format says it is cut off ([Note: A file still
    // being written]); a few at a time (each opens the file).
    await runQueue(steady, async ([p, c, st]) => {
      const since = c.incomplete?.since ?? now;
      const cutOff = now - since < (this.timing.incompleteHoldMs ?? INCOMPLETE_HOLD_MS) && (await looksComplete(p, st.size)) === false;
      if (this.pending.get(p) !== c) return; // a newer event arrived meanwhile
      if (cutOff) {
        const wait = Math.min(INCOMPLETE_RECHECK_MAX_MS, c.incomplete ? c.incomplete.wait * 2 : this.timing.settleMs);
        this.pending.set(p, { ...c, incomplete: { since, retryAt: this.now() + wait, wait } });
        return;
      }
      this.pending.delete(p);
      settled.set(p, c);
      upserts.push({ path: p, size: st.size, mtimeMs: Math.trunc(st.mtimeMs), ino: Number(st.ino) });
    }, { concurrency: 8 });
    return { upserts: this.holdParts(upserts, settled, now), deletes };
  }

  /**
   * [Note: Parts wait for their item]
   * A settled file that may be a part of another file's item (watched-items.ts) waits while a
   * file of its item is still pending, so both are applied in one batch and the part finds its
   * main file: a camera card copied in writes IMG_1.CR2 before IMG_1.JPG, and a RAW applied
   * alone would become a library file of its own. It waits at most PART_HOLD_MS (a file being
   * written for longer, or changed again and again, must not hold it back for ever).
   */
  private holdParts(upserts: FileStat[], settled: Map<string, Extract<Pending, { kind: 'upsert' }>>, now: number): FileStat[] {
    if (!upserts.some((u) => mayBePart(u.path))) return upserts;
    const waiting = new Set<string>();
    for (const [p, c] of this.pending) if (c.kind === 'upsert') waiting.add(itemKey(p));
    if (waiting.size === 0) return upserts;
    return upserts.filter((u) => {
      const c = settled.get(u.path)!;
      if (!mayBePart(u.path) || !waiting.has(itemKey(u.path)) || now - (c.heldSince ?? now) >= PART_HOLD_MS) return true;
      this.pending.set(u.path, { ...c, heldSince: c.heldSince ?? now });
      return false;
    });
  }

  /** Earliest time something might become ready (for scheduling the next look). */
  nextDue(): number | undefined {
    let min: number | undefined;
    for (const c of this.pending.values()) {
      const due = c.kind === 'delete' ? c.due : c.incomplete ? c.incomplete.retryAt : c.lastEventAt + this.timing.settleMs;
      if (min === undefined || due < min) min = due;
    }
    return min;
  }
}
