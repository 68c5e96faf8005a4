import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { recordBlobState, statBlob } from '../blobs/blob-health.js';
import { O_NOFOLLOW } from '../blobs/blob-store.js';
import { FreeUpCatalog } from '../catalog/free-up-catalog.js';
import { FreedSources, type FreedRow } from '../catalog/freed-sources.js';
import type { EngineContext } from '../engine-context.js';
import { isErrno, libraryWriteError } from '../errors.js';
import { injectFault } from '../faults.js';
import { fsPath } from '../media/raw-names.js';
import { KEEP_FOR_REPAIR, type KeepReason } from './decide-free-up.js';
import { TrashRefusal } from './freedesktop-trash.js';
import { hashInWorker, verifyStored } from '../blobs/verify-stored.js';
import type { FreeUpCandidate, FreeUpProgress, KeptSource } from './free-up-review.js';
import { NotTheVerifiedFile, SourceNotMovable, notMovable, present, putBack, type SettledMove, type SystemTrash } from './system-trash.js';

/** What freeing did. */
export interface FreeUpOutcome {
  freed: number;
  bytesFreed: number;
  /** Sources found not to qualify any more at the move (changed, gone…), each left where it is. */
  skipped: KeptSource[];
  /** Stopped before the end (cancelled): the rest are untouched. */
  interrupted: boolean;
}

/** A source that failed its re-check right before the move. */
class Skip extends Error {
  constructor(readonly reason: KeepReason, readonly detail: string) {
    super(detail);
  }
}

/**
 * Frees verified sources (DESIGN §11), one at a time through the move, each re-checked right
 * before it: its bytes and its library copy's stored bytes are hashed again in a worker
 * (several files ahead, in parallel), the library still holds its content, and — inside the
 * move, after the Trash's bookkeeping is written — its size, modification time and inode, and
 * its library copy's size, are looked at once more. Then per file:
 * the intent is committed (catalog), the Trash reserves a place (the .trashinfo), the file is
 * renamed into the Trash (or, when chosen, deleted), and the intent is marked done. A crash at
 * any step leaves the file in place or in the Trash; `settleInterrupted` finishes the story.
 * The fault points name each step ([Note: Fault injection]).
 */
export async function freeCandidates(
  ctx: EngineContext,
  candidates: FreeUpCandidate[],
  how: { trash: SystemTrash | null; onProgress?: (p: FreeUpProgress) => void; signal?: AbortSignal },
): Promise<FreeUpOutcome> {
  const freed = new FreedSources(ctx.cdb, ctx.now);
  const catalog = new FreeUpCatalog(ctx.cdb);
  const out: FreeUpOutcome = { freed: 0, bytesFreed: 0, skipped: [], interrupted: false };
  let moving: Promise<void> = Promise.resolve(); // one move at a time, in the order files are ready
  let next = 0;
  let done = 0;
  let bytes = 0;
  let fatal: unknown;
  const lane = async () => {
    while (next < candidates.length && fatal === undefined) {
      if (how.signal?.aborted) {
        out.interrupted = true;
        return;
      }
      const c = candidates[next++]!;
      let recheck: Skip | ReadAgain;
      try {
        recheck = await reverify(ctx, catalog, c, how.signal);
        bytes += c.size;
      } catch (err) {
        fatal ??= err;
        return;
      }
      const turn = moving.then(async () => {
        if (fatal !== undefined) return;
        try {
          if (recheck instanceof Skip) throw recheck;
          await moveOne(ctx, freed, c, how.trash, recheck);
          out.freed++;
          out.bytesFreed += c.size;
        } catch (err) {
          if (err instanceof Skip) out.skipped.push({ path: c.path, size: c.size, reason: err.reason, detail: err.detail });
          else if (err instanceof SourceNotMovable) out.skipped.push({ path: c.path, size: c.size, reason: 'cannot-move', detail: err.message });
          else if (err instanceof TrashRefusal) out.skipped.push({ path: c.path, size: c.size, reason: 'no-trash', detail: err.message });
          else fatal ??= err;
        }
        if (fatal !== undefined) return;
        injectFault('free-up-file');
        how.onProgress?.({ phase: 'freeing', done: ++done, total: candidates.length, bytes });
      });
      moving = turn;
      await turn;
    }
  };
  await Promise.all(Array.from({ length: ctx.pool.concurrency }, lane));
  await moving;
  if (fatal !== undefined) throw fatal as Error;
  return out;
}

/** What the re-hash right before the move saw of the file, besides what the review recorded. */
interface ReadAgain {
  dev: number;
  /** Its status-change time then: no program can set it, and any write, date change or new name moves it. */
  ctimeMs: number;
}

/** Hashes the source again, checks the library still holds its content and re-hashes its stored bytes: what was read when all is as verified. */
async function reverify(ctx: EngineContext, catalog: FreeUpCatalog, c: FreeUpCandidate, signal?: AbortSignal): Promise<Skip | ReadAgain> {
  const r = await hashInWorker(ctx, c.path, signal);
  if (r.kind === 'vanished') return vanished(ctx, c.path);
  if (r.kind !== 'hashed') return new Skip('changed-before-move', r.kind === 'failed' ? `it ${r.message}` : 'it is no longer a regular file');
  if (r.hash !== c.hash || r.size !== c.size || r.mtimeMs !== c.mtimeMs || r.ino !== c.ino) {
    return new Skip('changed-before-move', 'its bytes, size, date or inode differ from what was verified');
  }
  if (catalog.liveHolder(c.fileId, c.hash) === undefined) return new Skip('library-copy-in-trash', 'its library copy was moved to Trash, or deleted, after the review');
  if (r.nlink > 1) return new Skip('hard-linked', `it has other hard links now (${r.nlink} names); freeing this one frees no space`);
  // The stored bytes are read again too, not just looked at: a copy damaged since the review
  // (hours may pass before a confirmation) must keep its original.
  const stored = await verifyStored(ctx, c.hash, () => undefined, signal);
  if (stored.state === 'missing') return new Skip('library-copy-missing', `its library copy went missing after the review; ${KEEP_FOR_REPAIR}`);
  if (stored.state !== 'ok') return new Skip('library-copy-damaged', `its library copy was damaged after the review (${stored.why}); ${KEEP_FOR_REPAIR}`);
  if (stored.dev === r.dev && stored.ino === r.ino) return new Skip('same-file', 'the library copy is this very file, not a copy of it');
  return { dev: r.dev, ctimeMs: r.ctimeMs };
}

/** Why a source is not there at its turn: freed meanwhile by another free-up (another window, another process), or gone. */
function vanished(ctx: EngineContext, file: string): Skip {
  const row = new FreedSources(ctx.cdb).get(file);
  if (row && row.state !== 'moving') return new Skip('already-freed', `another Free up space ${row.state === 'deleted' ? 'deleted it' : 'moved it to the Trash'} meanwhile`);
  return new Skip('gone', 'it was no longer there when its turn came (moved or deleted meanwhile)');
}

/** The move of one re-checked source, step by step (see freeCandidates). */
async function moveOne(ctx: EngineContext, freed: FreedSources, c: FreeUpCandidate, trash: SystemTrash | null, read: ReadAgain): Promise<void> {
  // [Note: Delete only the file verified] The file is opened first and held open to the end:
  // while it is open its inode cannot be freed, so no file written later can get its number,
  // and "the same inode" means the same file. Its status-change time, which no program can set,
  // must still be the one the re-hash saw: not written, re-dated or renamed since.
  const pin = await fs.open(fsPath(c.path), fs.constants.O_RDONLY | O_NOFOLLOW | (fs.constants.O_NONBLOCK ?? 0)).catch((err: unknown) => {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) throw vanished(ctx, c.path);
    if (isErrno(err, 'ELOOP', 'EMLINK')) throw new Skip('changed-before-move', 'it became a symbolic link after it was read again');
    throw err;
  });
  try {
    const pinned = await pin.stat();
    if (!pinned.isFile() || Number(pinned.ino) !== c.ino || Number(pinned.dev) !== read.dev || pinned.size !== c.size || Math.trunc(pinned.mtimeMs) !== c.mtimeMs || pinned.ctimeMs !== read.ctimeMs) {
      throw new Skip('changed-before-move', 'it was written to, re-dated or replaced after it was read again');
    }
    await moveOpenFile(ctx, freed, c, trash, pinned);
  } finally {
    await pin.close();
  }
}

/** moveOne with the file held open (`pinned`: its fstat then). */
async function moveOpenFile(ctx: EngineContext, freed: FreedSources, c: FreeUpCandidate, trash: SystemTrash | null, pinned: Stats): Promise<void> {
  const row = { path: c.path, hash: c.hash, size: c.size, mtimeMs: c.mtimeMs, ino: c.ino };
  const write = <T>(fn: () => T) => {
    try {
      return ctx.cdb.write(fn);
    } catch (err) {
      throw libraryWriteError(err, ctx.paths.root);
    }
  };
  const lastLook = async () => {
    const st = await fs.lstat(fsPath(c.path)).catch((err: unknown) => {
      if (isErrno(err, 'ENOENT', 'ENOTDIR')) return null;
      throw err;
    });
    if (!st) throw vanished(ctx, c.path);
    if (!st.isFile() || st.size !== c.size || Math.trunc(st.mtimeMs) !== c.mtimeMs || st.ino !== pinned.ino || st.dev !== pinned.dev || st.ctimeMs !== pinned.ctimeMs) throw new Skip('changed-before-move', `it was written to, re-dated or replaced right before the ${trash ? 'move' : 'deletion'}`);
    if (st.nlink > 1) throw new Skip('hard-linked', `it has other hard links now (${st.nlink} names); freeing this one frees no space`);
    const stored = statBlob(ctx.paths.objects, c.hash, c.size);
    if (stored !== 'ok') {
      recordBlobState(ctx.cdb, c.hash, stored, ctx.now());
      throw new Skip(stored === 'missing' ? 'library-copy-missing' : 'library-copy-damaged', `its library copy ${stored === 'missing' ? 'went missing' : 'changed (its size, or it is no longer a regular file)'} right before the ${trash ? 'move' : 'deletion'}; ${KEEP_FOR_REPAIR}`);
    }
  };
  try {
    if (trash) {
      await trash.moveToTrash(c.path, {
        planned: (p) => {
          write(() => freed.intend({ ...row, method: p.trashDir === null ? 'shell' : 'trash', trashDir: p.trashDir, trashName: p.name }));
          injectFault('free-up-intent');
        },
        beforeMove: async () => {
          injectFault('free-up-reserved');
          await lastLook();
          injectFault('free-up-looked');
        },
        // Looked at and hashed once more where it went: a rewrite in place between the last look
        // and the move keeps inode, size and date, and must not be reported freed.
        isVerified: async (moved) => (await isTheVerifiedFile(moved, c, pinned)) && (await holdsTheVerifiedBytes(ctx, moved, c)),
      });
    } else {
      // [Note: Delete only the file verified] The file is first renamed to a name of Shoebox's
      // own in its folder (a hidden one: no watch or scan takes it), then looked at there — no
      // other program can swap what that name holds — and only then unlinked.
      const claim = claimName(c);
      const claimed = path.join(path.dirname(c.path), claim);
      write(() => freed.intend({ ...row, method: 'delete', trashDir: null, trashName: claim }));
      injectFault('free-up-intent');
      await lastLook();
      injectFault('free-up-looked');
      await fs.rename(fsPath(c.path), fsPath(claimed)).catch((err: unknown) => {
        if (isErrno(err, 'ENOENT')) throw vanished(ctx, c.path);
        throw notMovable(err, c.path) ?? err;
      });
      injectFault('free-up-claimed');
      // Its bytes are hashed once more under the hidden name: a rewrite in place between the last
      // look and the rename keeps inode, size and date (and the rename itself moves the ctime).
      if (!(await isTheVerifiedFile(claimed, c, pinned)) || !(await holdsTheVerifiedBytes(ctx, claimed, c))) throw new NotTheVerifiedFile(await putBack(claimed, c.path));
      await fs.unlink(fsPath(claimed));
      const dir = await fs.open(fsPath(path.dirname(c.path)), 'r');
      await dir.sync().finally(() => dir.close());
    }
  } catch (caught) {
    // Renamed away by another program between the last look and the move (and perhaps another
    // file put at its name since): gone, or changed — a skip either way, never a failure.
    const err = !isErrno(caught, 'ENOENT') ? caught : (await present(c.path)) ? new Skip('changed-before-move', 'it was moved away or replaced at the moment of its move; what is at its name now was left alone') : vanished(ctx, c.path);
    // Nothing was moved: the intent goes (the file is where it was).
    if ((await present(c.path)) || err instanceof Skip || err instanceof NotTheVerifiedFile) write(() => freed.forget(c.path));
    if (err instanceof NotTheVerifiedFile) {
      const as = err.putBackAs === c.path ? 'it was put back untouched' : `it was put back as ${path.basename(err.putBackAs)}, beside the file now at that name`;
      throw new Skip('changed-before-move', `another file took its place right before the ${trash ? 'move' : 'deletion'} (another program replaced or rewrote it); ${as}`);
    }
    throw err;
  }
  injectFault('free-up-moved');
  write(() => freed.complete(c.path, trash ? 'trashed' : 'deleted'));
}

/** The hidden name a file to delete is renamed to first ([Note: Delete only the file verified]). */
function claimName(c: FreeUpCandidate): string {
  return `.shoebox-freeing-${c.ino}-${process.pid}`;
}

/** Whether the file at `p` (the source, moved) still holds the bytes verified: hashed once more. */
async function holdsTheVerifiedBytes(ctx: EngineContext, p: string, c: FreeUpCandidate): Promise<boolean> {
  const again = await hashInWorker(ctx, p);
  return again.kind === 'hashed' && again.hash === c.hash && again.ino === c.ino;
}

/**
 * Whether the file at `p` is the one verified and held open (`pinned`): the same inode on the
 * same device (its number cannot have been reused while it is open), a regular file of one name,
 * its size and modification time unchanged.
 */
async function isTheVerifiedFile(p: string, c: FreeUpCandidate, pinned: Stats): Promise<boolean> {
  const st = await fs.lstat(fsPath(p)).catch((err: unknown) => {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return null;
    throw err;
  });
  return st !== null && st.isFile() && st.nlink === 1 && st.ino === pinned.ino && st.dev === pinned.dev && st.size === c.size && Math.trunc(st.mtimeMs) === c.mtimeMs;
}

/**
 * Finishes moves a crash cut short (intents still 'moving'): a file still in place keeps its
 * place (the Trash's reservation is removed, the intent forgotten); one in the Trash is marked
 * freed; one in neither place is forgotten (then a watch counts it as deleted, which loses
 * nothing from the library). A deletion cut short after the unlink is marked done. Returns
 * what was settled. Only called while no other free-up runs (the caller holds its lock).
 */
export async function settleInterrupted(ctx: EngineContext, trashFor: (row: FreedRow) => SystemTrash | null): Promise<{ untouched: number; freed: number; gone: number }> {
  const freed = new FreedSources(ctx.cdb, ctx.now);
  const settled = { untouched: 0, freed: 0, gone: 0 };
  for (const row of freed.moving()) {
    const trash = row.method === 'delete' ? null : trashFor(row);
    const state = trash ? await trash.settle(row.path, { trashDir: row.trashDir, name: row.trashName }) : await settleDeletion(row);
    // A deletion cut short after its (verified) unlink is done; anything else not in place went to the Trash or is gone.
    const outcome = state === 'trashed' || (state === 'gone' && row.method === 'delete') ? 'freed' : state;
    ctx.cdb.write(() => (outcome === 'freed' ? freed.complete(row.path, row.method === 'delete' ? 'deleted' : 'trashed') : freed.forget(row.path)));
    settled[outcome]++;
    ctx.log.info('settled a free-up cut short', { path: row.path, outcome });
  }
  return settled;
}

/**
 * A deletion cut short: a file still under its hidden name was claimed and not yet looked at or
 * unlinked, so it goes back (when in doubt, keep): the next Free up space verifies it again.
 */
async function settleDeletion(row: FreedRow): Promise<SettledMove> {
  if (row.trashName !== null) {
    const claimed = path.join(path.dirname(row.path), row.trashName);
    if (await present(claimed)) {
      await putBack(claimed, row.path);
      return 'untouched';
    }
  }
  return (await present(row.path)) ? 'untouched' : 'gone';
}
