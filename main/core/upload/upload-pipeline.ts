import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { hasQuarantinedOfSize } from '../blobs/quarantine.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, libraryWriteError, toShoeboxError } from '../errors.js';
import { BatchSource, batchFiles } from './batch-source.js';
import type { IngestBatchTask } from './ingest-batch.js';
import { IngestCommitter, type CommitResult, type Ready } from './ingest-commit.js';
import type { IngestEntry, IngestResult } from './ingest-file.js';
import { vanished } from './source-scan.js';
import type { Candidate, ItemOutcome, OutcomeSink } from './upload-item.js';

export type { Candidate, CommittedOutcome, Identified, IngestOutcome, ItemOutcome, UploadItem } from './upload-item.js';

/** Runs a batch of worker reads (the pool; tests pass a fake). */
export type IngestPort = (task: IngestBatchTask) => Promise<IngestResult[]>;

/** Reads of one source before it counts as "kept changing while it was being read". */
const MAX_READS = 3;

/**
 * Items committed per catalog transaction: a batch's rows are committed in slices of this many,
 * each slice atomic (a kill loses at most the slice being committed and the rest of its batch,
 * which the next run redoes).
 */
export const COMMIT_FILES = 64;

/**
 * The slice while the engine runs for a window or the tray (`run`, `serve`, the app), the event
 * loop running between slices: a 64-file transaction held the main thread for 100–360 ms on our
 * loaded 2-core machine and the window's clicks and status events waited behind it (issue #18).
 * Smaller transactions rewrite shared pages more often, so a command alone keeps COMMIT_FILES.
 */
export const COMMIT_FILES_LIVE = 16;

/** An item on its way through the pipeline. */
interface Work extends Ready {
  reads: number;
  /** Its content, as last read, was not recognised (`unrecognised` is only for the commit that notes it). */
  byExtension: boolean;
  /** A commit asked for the bytes (missing, or damaged: replace them). */
  need?: { replace: boolean; restore: boolean } | undefined;
}

/**
 * [Note: One way through the pipeline]
 * Manual uploads and watches back files up the same way, facts flowing forward only (issue
 * #18): candidates are cut into batches (batch-source.ts); each batch is *identified* in one
 * worker round trip — a source whose size, mtime and inode match its record is known without a
 * read, the rest are read once, hashed and, unless a stored blob has their size, copied and
 * made durable together ([Note: Batched durability]); then the batch is *committed* (a
 * transaction per slice of COMMIT_FILES, or COMMIT_FILES_LIVE while the engine runs live, the
 * event loop running between them), where each item's facts are read, *decided* by a pure function (decideIngest:
 * move, unchanged, refuse, need bytes, live part, skip, add membership, create) and written by
 * one writer (IngestCommitter). Items whose decision needs bytes the store lacks go round once
 * more (a copy checked against the hash), as do sources that changed while read (a few times,
 * with a pause; then a recorded SOURCE_CHANGED failure). Nothing calls back into the caller
 * inside a transaction: outcomes are reported after their transaction commits.
 */
export class UploadPipeline {
  private readonly committer: IngestCommitter;
  private commitFiles = COMMIT_FILES;

  constructor(private readonly ctx: EngineContext, private readonly ingest: IngestPort = (task) => ctx.pool.ingestBatch(task)) {
    this.committer = new IngestCommitter(ctx);
  }

  /** Live (the engine serves a window or the tray): smaller commits, the event loop running between them. */
  setLive(live: boolean): void {
    this.commitFiles = live ? COMMIT_FILES_LIVE : COMMIT_FILES;
  }

  /**
   * Backs up candidates, `pool.concurrency` batches in flight; `onOutcome` hears of each item
   * once its transaction committed. Stops taking new batches on abort (batches under way
   * finish) or on a library-wide failure, which is thrown once the others settled. `total`
   * (when known) sizes the batches so that a few files still spread over every thread.
   */
  async run(candidates: Iterable<Candidate> | AsyncIterable<Candidate>, onOutcome: OutcomeSink, opts: { total?: number; signal?: AbortSignal } = {}): Promise<void> {
    const source = new BatchSource(candidates, batchFiles(opts.total, this.ctx.pool.threads));
    let fatal: unknown;
    const lane = async () => {
      while (fatal === undefined && !opts.signal?.aborted) {
        try {
          const batch = await source.next();
          if (!batch) return;
          this.ctx.home.assertInPlace(); // [Note: A library moved while open]
          await this.batch(batch, onOutcome);
        } catch (err) {
          fatal ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: this.ctx.pool.concurrency }, lane));
    if (fatal !== undefined) throw toShoeboxError(fatal);
  }

  /** One batch, round after round until every item has its outcome. */
  private async batch(batch: Candidate[], onOutcome: OutcomeSink): Promise<void> {
    let pending: Work[] = batch.map((c) => ({ item: c.item, before: c.before, reads: 0, justStored: false, unrecognised: false, byExtension: false }));
    while (pending.length > 0) {
      const full = await this.identify(pending);
      if (full) pending = pending.filter((w) => !full.items.has(w)); // not stored: the next run backs them up
      await this.findMoves(pending);
      const ready = pending.filter((w) => w.id !== undefined || w.before !== undefined || w.settled !== undefined);
      const next = pending.filter((w) => !ready.includes(w)); // changed while read: read again
      for (let i = 0, n = this.commitFiles; i < ready.length; i += n) {
        if (i > 0) await yieldToLoop();
        const slice = ready.slice(i, i + n);
        const results = this.committer.commit(slice);
        for (const [j, w] of slice.entries()) this.settled(w, results[j]!, next, onOutcome);
      }
      // The disk filled up: what this batch stored before it did is committed above (its blobs are
      // placed and durable; left without rows they would only wait in quarantine), then it stops.
      if (full) throw full.error;
      pending = next;
      if (pending.some((w) => !w.id && !w.before && !w.settled)) await sleep(this.ctx.retryDelayMs * Math.max(1, ...pending.map((w) => w.reads)));
    }
  }

  /** What a commit made of an item: reported, or back in the queue (`next`) for another round. */
  private settled(w: Work, r: CommitResult, next: Work[], onOutcome: OutcomeSink): void {
    w.unrecognised = false; // noted once
    if (r.status === 'again') {
      w.before = undefined;
      next.push(w);
    } else if (r.status === 'needBytes') {
      // Just stored and gone again (a purge in another process won the race): start over.
      if (w.justStored) this.startOver(w);
      else w.need = { replace: r.replace, restore: r.restore };
      next.push(w);
    } else {
      onOutcome(w.item, r, { unrecognised: w.byExtension });
    }
  }

  /**
   * Learns each item's content: from its source record when size, mtime and inode are
   * unchanged (no read), else in one worker batch — hashed only when a stored (or quarantined)
   * blob has its size, otherwise copied as it is hashed, so a new file is read once; an item
   * whose bytes a commit asked for is copied and checked against its known hash.
   */
  private async identify(works: Work[]): Promise<{ error: ShoeboxError; items: Set<Work> } | undefined> {
    const { catalog, paths } = this.ctx;
    const reads: Array<{ w: Work; entry: IngestEntry }> = [];
    this.ctx.cdb.read(() => {
      for (const w of works) {
        w.movedFrom = undefined;
        if (w.before || w.settled) continue;
        const { item } = w;
        if (w.need && w.id) {
          reads.push({ w, entry: { path: item.readPath, mode: 'copy', expectedHash: w.id.hash, mediaType: w.id.mediaType, ...(w.need.replace ? { damagedDir: paths.damaged } : {}) } });
          continue;
        }
        const known = w.reads === 0 && item.trustStat ? catalog.sources.knownHash(item.sourcePath, item.size, item.mtimeMs, item.ino) : undefined;
        if (known !== undefined) {
          w.id = { hash: known, size: item.size, mtimeMs: item.mtimeMs, ino: item.ino, mediaType: item.mediaType ?? catalog.mediaTypeOfBlob(known) ?? 'application/octet-stream' };
          continue;
        }
        const maybeStored = catalog.hasBlobOfSize(item.size) || hasQuarantinedOfSize(paths.quarantine, item.size);
        reads.push({ w, entry: { path: item.readPath, ...(item.readPath !== item.sourcePath ? { name: item.name } : {}), mode: maybeStored ? 'hash' : 'copy', ...(item.mediaType ? { mediaType: item.mediaType } : {}) } });
      }
    });
    if (reads.length === 0) return undefined;
    const results = await this.ingest({ entries: reads.map((r) => r.entry), tmpDir: this.ctx.tmpDir, objectsDir: paths.objects });
    // A limit of the process (open files, memory) would fail every file alike: stop, saying which.
    const limit = results.find((r) => r.kind === 'failed' && r.code === 'RESOURCE_LIMIT');
    if (limit?.kind === 'failed') throw new ShoeboxError('RESOURCE_LIMIT', limit.message);
    // A full disk: the files it stopped are left out of this batch; the rest is taken in (and committed).
    let full: { error: ShoeboxError; items: Set<Work> } | undefined;
    for (const [i, { w }] of reads.entries()) {
      const r = results[i]!;
      if (r.kind === 'failed' && r.code === 'DISK_FULL') {
        this.ctx.dirty = true;
        full ??= { error: libraryWriteError(Object.assign(new Error(r.message), { code: 'ENOSPC' }), paths.root), items: new Set() };
        full.items.add(w);
      } else this.learn(w, r);
    }
    return full;
  }

  /** Takes in what a worker found about one item. */
  private learn(w: Work, res: IngestResult): void {
    w.reads++;
    if (res.kind === 'hashed') {
      if (w.need) {
        if (w.need.restore) w.restored = { was: w.need.replace ? 'damaged' : 'missing', movedAside: res.movedAside };
        w.need = undefined;
      } else {
        w.id = { hash: res.hash, size: res.size, mtimeMs: res.mtimeMs, ino: res.ino, mediaType: res.mediaType };
        w.unrecognised = w.byExtension = res.mediaBy === 'extension';
      }
      w.justStored = res.placed === true;
    } else if (res.kind === 'failed' && res.code === 'SOURCE_CHANGED') {
      this.startOver(w);
    } else {
      w.settled = this.settle(w, res);
    }
  }

  /** Forgets what was learnt of an item's content: it is read afresh, unless it was read too often already. */
  private startOver(w: Work): void {
    w.id = undefined;
    w.need = undefined;
    w.restored = undefined;
    w.justStored = false;
    w.byExtension = false;
    if (w.reads >= MAX_READS) {
      w.settled = { status: 'failed', code: 'SOURCE_CHANGED', message: `${w.item.name} kept changing while it was being read; it will be backed up once it stops changing` };
    }
  }

  private settle(w: Work, res: Exclude<IngestResult, { kind: 'hashed' }>): ItemOutcome {
    switch (res.kind) {
      case 'ignored':
        return { status: 'ignored', reason: res.reason };
      case 'vanished':
        return { status: 'vanished' };
      case 'failed':
        return { status: 'failed', code: res.code, message: `${w.item.name} ${res.message}` };
    }
  }

  /**
   * A watched file new to its path may be a recorded file that moved (renamed, or moved within
   * the watch) with a new inode: a record of this watch with the same content whose own path
   * is gone. Looked up before the transaction (it stats files); the commit re-checks it.
   */
  private async findMoves(works: Work[]): Promise<void> {
    const { catalog } = this.ctx;
    const looked = this.ctx.cdb.read(() =>
      works
        .filter((w) => w.id && !w.before && !w.settled)
        .flatMap((w) => {
          const { item } = w;
          if (item.watch) return item.watch.records.length === 0 ? [{ w, candidates: catalog.sources.moveCandidates(item.watch.watchId, { hash: w.id!.hash }) }] : [];
          // A manual upload of a watched file into the album its watch feeds ([Note: Uploading a watched file]).
          if (item.watchedBy === undefined) return [];
          const albumId = item.albumName === null ? catalog.uncategorizedId : catalog.albumIdByName(item.albumName);
          if (albumId === undefined || catalog.sources.at(item.watchedBy, item.sourcePath).some((r) => r.albumId === albumId)) return [];
          return [{ w, candidates: catalog.sources.moveCandidates(item.watchedBy, { hash: w.id!.hash }).filter((c) => c.albumId === albumId) }];
        }),
    );
    for (const { w, candidates } of looked) {
      for (const c of candidates) {
        if (c.path !== w.item.sourcePath && (await vanished(c.path, c.ino))) {
          w.movedFrom = c;
          break;
        }
      }
    }
  }
}
