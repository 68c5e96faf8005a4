import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isMarkedDamaged, statBlob } from '../blobs/blob-health.js';
import type { SourceRecord } from '../catalog/library-catalog.js';
import type { EngineContext } from '../engine-context.js';
import { isErrno, libraryWriteError, toShoeboxError } from '../errors.js';
import { albumNameFor } from '../upload/album-mapping.js';
import type { ItemOutcome, UploadItem, UploadPipeline } from '../upload/upload-pipeline.js';
import { pairLivePhotos } from './live-photos.js';
import type { WatchRow, WatchStore } from './watch-store.js';
import { fsPath } from '../media/raw-names.js';
import { injectFault } from '../faults.js';
import { FreedSources } from '../catalog/freed-sources.js';
import { runQueue } from '../work-queue.js';

/** A file present in a watched folder, with the stat fields Shoebox compares. */
export interface FileStat {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

/** What happened to one path of a watch. */
export type WatchOutcome = ItemOutcome | { status: 'unchanged' } | { status: 'moved'; fileId: number; from: string } | { status: 'removed'; count: number };

/** Called once per path with its outcome. */
export type OutcomeListener = (path: string, outcome: WatchOutcome, bytes: number) => void;

/**
 * Applies changes seen in a watched folder to the library (DESIGN §2): new and modified files
 * through the upload pipeline (a modified file's old version leaves the album and becomes the
 * new file's previous version), moves and renames without copying any bytes, deletions as
 * removed memberships. Each change is one catalog transaction. Never touches library bytes.
 */
export class WatchSync {
  private readonly freed: FreedSources;

  constructor(private readonly ctx: EngineContext, private readonly pipeline: UploadPipeline, private readonly store: WatchStore) {
    this.freed = new FreedSources(ctx.cdb, ctx.now);
  }

  /** The album a file of this watch belongs to. */
  albumFor(watch: WatchRow, filePath: string): string {
    const relDir = path.relative(watch.path, path.dirname(filePath));
    return albumNameFor(path.basename(watch.path), relDir, watch.mode);
  }

  /**
   * Applies a batch of changes: present files first (images before the videos of live photos,
   * so a video finds its image), then deletions, which a move in the same batch may have claimed.
   */
  async applyBatch(watch: WatchRow, upserts: FileStat[], deletes: string[], onOutcome: OutcomeListener, signal?: AbortSignal): Promise<void> {
    const pairs = await this.livePairs(upserts);
    const videos = upserts.filter((u) => pairs.has(u.path));
    const others = upserts.filter((u) => !pairs.has(u.path));
    for (const phase of [others, videos]) {
      try {
        await runQueue(phase, async (f) => {
          this.ctx.home.assertInPlace(); // [Note: A library moved while open]
          onOutcome(f.path, await this.upsert(watch, f, pairs.get(f.path), signal), f.size);
          injectFault('sync-file');
        }, { concurrency: this.ctx.pool.concurrency, signal });
      } catch (err) {
        throw toShoeboxError(err);
      }
    }
    for (const p of deletes) {
      if (signal?.aborted) return;
      const removed = this.remove(watch, p);
      if (removed > 0) onOutcome(p, { status: 'removed', count: removed }, 0);
    }
  }

  /** A file that exists now: new, modified, moved, or unchanged. */
  private async upsert(watch: WatchRow, f: FileStat, livePartOf: string | undefined, signal?: AbortSignal): Promise<WatchOutcome> {
    // A freed file put back (restored from the system Trash) is watched as before: from here on
    // its deletion is a deletion again. Its records are kept, so it is not uploaded again. The
    // file is looked for inside the write transaction: Free up space renames a file only after
    // committing its intent, so a file being freed right now is never taken for one put back.
    if (this.freed.get(f.path)) this.ctx.cdb.write(() => existsNow(f.path) && this.freed.forgetReturned(f.path, f));
    const records = this.store.recordsAt(watch.id, f.path);
    if (records.length === 0) {
      // Backed up before by a manual upload or an earlier watch of this folder into the same album: adopt it.
      const earlier = this.ctx.catalog.sourceRecord(f.path, this.pipeline.albumId(this.albumFor(watch, f.path)));
      if (earlier && earlier.watchId === null) {
        this.ctx.cdb.write(() => this.store.adoptRecord(earlier.id, watch.id));
        records.push({ ...earlier, watchId: watch.id });
      }
    }
    const sameStat = records.length > 0 && records.every((r) => r.size === f.size && r.mtimeMs === f.mtimeMs && r.ino === f.ino);
    if (sameStat && records.every((r) => this.bytesHealthy(r.hash, r.size))) return { status: 'unchanged' };
    if (records.length === 0) {
      const moved = await this.tryMove(watch, f, this.store.moveCandidates(watch.id, { ino: f.ino, size: f.size }).filter((c) => c.mtimeMs === f.mtimeMs));
      if (moved) return moved;
    }
    const item = this.item(watch, f, livePartOf);
    const albumId = this.pipeline.albumId(item.albumName);
    for (let round = 0; round < 3; round++) {
      const id = await this.pipeline.identify(item, signal, false);
      if ('status' in id) return id;
      if (records.length === 0) {
        const moved = await this.tryMove(watch, f, this.store.moveCandidates(watch.id, { hash: id.hash }));
        if (moved) return moved;
      } else if (records.every((r) => r.hash === id.hash) && this.bytesHealthy(id.hash, id.size)) {
        // Same content as recorded (touched, or copied back in place) and its stored bytes are
        // fine; otherwise the commit below writes them again (issue #15).
        this.ctx.cdb.write(() => records.forEach((r) => this.store.touchRecord(r.id, id.size, id.mtimeMs, id.ino)));
        return { status: 'unchanged' };
      }
      const previous = records.find((r) => r.albumId === albumId);
      const outcome = await this.pipeline.commitIdentified(this.withVersioning(item, previous), albumId, id, signal);
      if (outcome !== 'changed') return outcome;
    }
    return { status: 'failed', code: 'SOURCE_CHANGED', message: `${f.path} kept changing while it was being read; it will be retried when it changes again` };
  }

  private bytesHealthy(hash: string, size: number): boolean {
    return statBlob(this.ctx.paths.objects, hash, size) === 'ok' && !isMarkedDamaged(this.ctx.cdb.db, hash);
  }

  private item(watch: WatchRow, f: FileStat, livePartOf: string | undefined): UploadItem {
    return {
      readPath: f.path, sourcePath: f.path, name: path.basename(f.path), albumName: this.albumFor(watch, f.path),
      size: f.size, mtimeMs: f.mtimeMs, ino: f.ino, trustStat: false, watchId: watch.id,
      ...(livePartOf ? { livePartOf } : {}),
      refuse: (hash) => (this.store.isIgnored(f.path, hash) ? 'deleted from the library by you (Reset ignored files to back it up again)' : undefined),
    };
  }

  /**
   * [Note: Modified files keep their history]
   * When a watched file's content changes, the new content becomes (or joins) a library file by
   * the DESIGN §3 rules; the old file leaves this album (to Uncategorized if it is in no other)
   * and a newly created file records it as its previous version. Runs inside the commit
   * transaction, so the source record and the memberships change together.
   */
  private withVersioning(item: UploadItem, previous: SourceRecord | undefined): UploadItem {
    if (!previous) return item;
    const { catalog } = this.ctx;
    return {
      ...item,
      afterCommit: (outcome, albumId) => {
        if (outcome.fileId === previous.fileId) return;
        if (!this.store.otherRecordMaps(previous.fileId, albumId, previous.id)) catalog.removeMembership(albumId, previous.fileId);
        if (outcome.status === 'stored' || outcome.status === 'created') catalog.setPreviousVersion(outcome.fileId, previous.fileId);
        this.ctx.activity.record('info', 'NEW_VERSION', `${item.name}: new version backed up; the previous one is kept in the library`, item.sourcePath, outcome.fileId);
      },
    };
  }

  /** If a record's file has vanished from its old path, this file is that one, moved: follow it. */
  private async tryMove(watch: WatchRow, f: FileStat, candidates: SourceRecord[]): Promise<WatchOutcome | undefined> {
    for (const c of candidates) {
      if (c.path === f.path || !(await vanished(c.path, c.ino))) continue;
      this.applyMove(watch, c, f);
      return { status: 'moved', fileId: c.fileId, from: c.path };
    }
    return undefined;
  }

  private applyMove(watch: WatchRow, r: SourceRecord, f: FileStat): void {
    const { catalog, cdb } = this.ctx;
    const name = path.basename(f.path);
    const albumId = this.pipeline.albumId(this.albumFor(watch, f.path));
    try {
      cdb.write(() => {
        let fileId = r.fileId;
        if (catalog.fileName(fileId) !== name) {
          // Rename the library file only when this source is its only one; otherwise the other
          // sources keep the old name and this one gets a file of its own (same bytes).
          if (this.store.recordCount(fileId) === 1) catalog.renameFile(fileId, name);
          else fileId = catalog.cloneFile(fileId, name);
        }
        if (albumId !== r.albumId || fileId !== r.fileId) {
          catalog.addMembership(albumId, fileId);
          if (!this.store.otherRecordMaps(r.fileId, r.albumId, r.id)) catalog.removeMembership(r.albumId, r.fileId);
        }
        this.store.moveRecord(r.id, f.path, albumId, fileId);
        this.ctx.activity.record('info', 'MOVED', `${path.basename(r.path)} moved to ${path.relative(watch.path, f.path)}; nothing copied`, f.path, fileId);
      });
    } catch (err) {
      throw libraryWriteError(err, this.ctx.paths.root);
    }
  }

  /**
   * A file gone from the watch: its memberships from this watch go (orphans → Uncategorized).
   * Not for a file Free up space moved away ([Note: Freed is not deleted]). Returns records removed.
   */
  remove(watch: WatchRow, filePath: string): number {
    const records = this.store.recordsAt(watch.id, filePath);
    if (records.length === 0 || this.freed.get(filePath)) return 0;
    const { catalog, cdb } = this.ctx;
    try {
      cdb.write(() => {
        for (const r of records) {
          if (!this.store.otherRecordMaps(r.fileId, r.albumId, r.id)) catalog.removeMembership(r.albumId, r.fileId);
          this.store.deleteRecord(r.id);
        }
        this.ctx.activity.record('info', 'REMOVED', `${path.basename(filePath)} was deleted from ${watch.path}; the library keeps it`, filePath, records[0]!.fileId);
      });
    } catch (err) {
      throw libraryWriteError(err, this.ctx.paths.root);
    }
    return records.length;
  }

  /** Video → image pairs among these files and the images already beside them on disk. */
  private async livePairs(files: FileStat[]): Promise<Map<string, string>> {
    const dirs = new Set(files.filter((f) => /\.(mov|mp4|m4v)$/i.test(f.path)).map((f) => path.dirname(f.path)));
    if (dirs.size === 0) return new Map();
    const candidates = new Map(files.map((f) => [f.path, { path: f.path, mtimeMs: f.mtimeMs }]));
    for (const dir of dirs) {
      for (const name of (await orMissing(fs.readdir(dir))) ?? []) {
        const p = path.join(dir, name);
        if (candidates.has(p)) continue;
        const st = await orMissing(fs.stat(p));
        if (st?.isFile()) candidates.set(p, { path: p, mtimeMs: st.mtimeMs });
      }
    }
    const pairs = pairLivePhotos([...candidates.values()]);
    for (const video of [...pairs.keys()]) if (!files.some((f) => f.path === video)) pairs.delete(video);
    return pairs;
  }
}

/** The promise's value, or undefined if the path it reads has vanished meanwhile (other errors throw). */
export async function orMissing<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return undefined;
    throw err;
  }
}

/** True if a file is at `p` right now (a synchronous look, for use inside a transaction). */
function existsNow(p: string): boolean {
  try {
    return fsSync.lstatSync(fsPath(p)).isFile();
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return false;
    throw err;
  }
}

/** True if nothing is at `p` any more, or something else (another inode) is. */
async function vanished(p: string, ino: number): Promise<boolean> {
  try {
    return Number((await fs.lstat(fsPath(p))).ino) !== ino;
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return true;
    throw err;
  }
}

