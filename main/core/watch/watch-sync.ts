import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isMarkedDamaged, statBlob } from '../blobs/blob-health.js';
import type { SourceRecord } from '../catalog/source-records.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, errorMessage, isErrno, libraryWriteError } from '../errors.js';
import { albumNameFor } from '../upload/album-mapping.js';
import { vanished } from '../upload/source-scan.js';
import type { Candidate, IngestOutcome, UploadItem } from '../upload/upload-item.js';
import type { UploadPipeline } from '../upload/upload-pipeline.js';
import { decideBeforeRead } from './decide-watched.js';
import { groupWatched, itemKey, type WatchedRole } from './watched-items.js';
import { isXmpName } from '../import/item-grouping.js';
import { XMP_MEDIA_TYPE, readSidecarFile } from '../import/request-plan.js';
import { xmpNotRead } from '../import/import-plan.js';
import { isIgnoredName } from '../media/media-type.js';
import type { WatchRow } from './watch-store.js';
import { injectFault } from '../faults.js';
import { FreedSources } from '../catalog/freed-sources.js';
import { fsPath, nameFromBytes } from '../media/raw-names.js';

/** A file present in a watched folder, with the stat fields Shoebox compares. */
export interface FileStat {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

/** What happened to one path of a watch. */
export type WatchOutcome = IngestOutcome | { status: 'removed'; count: number };

/** Called once per path with its outcome. */
export type OutcomeListener = (path: string, outcome: WatchOutcome, bytes: number) => void;

/** Deletions committed per transaction. */
const DELETES_PER_COMMIT = 256;

/**
 * New and changed files applied together at most (a reconcile of 100k files goes in slices):
 * pairing a slice's items, with the names beside them, and queuing them take the memory of a
 * slice, not of the whole folder tree.
 */
const FILES_PER_SLICE = 4096;

/**
 * Cuts files into slices of about `size`, each item's files (one item key: a photo, its RAW,
 * XMP and live video) in the same slice, so a part never waits in another slice for its photo.
 */
export function itemSlices(files: FileStat[], size: number): FileStat[][] {
  if (files.length <= size) return [files];
  const keyed = files.map((f) => ({ f, key: itemKey(f.path) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const slices: FileStat[][] = [];
  let slice: FileStat[] = [];
  for (const [i, { f, key }] of keyed.entries()) {
    if (slice.length >= size && key !== keyed[i - 1]!.key) {
      slices.push(slice);
      slice = [];
    }
    slice.push(f);
  }
  slices.push(slice);
  return slices;
}

/** Files whose records are looked up in one read transaction. */
const LOOKUP_FILES = 64;

/** A file's records and what they tell before it is read. */
interface Known {
  records: SourceRecord[];
  /** Records of no watch at this path that this watch takes over. */
  adopt: number[];
  /** Same stat as its records and healthy bytes. */
  unchanged: boolean;
  /** Records of this watch with its inode, size and mtime at another path (moved here, if that path is gone). */
  movedFrom: SourceRecord[];
  /** Free up space moved this path away ([Note: Freed is not deleted]). */
  freed: boolean;
}

/**
 * Applies changes seen in a watched folder to the library (DESIGN §2). What can be told without
 * reading a file is decided here (unchanged: same stat as recorded and healthy bytes; moved:
 * its inode left another recorded path); every other file goes through the upload pipeline,
 * the same way as a manual upload ([Note: One way through the pipeline]), with the watch's
 * records as facts: the pipeline decides new, modified (a new version), moved by content,
 * unchanged content, or refused (deleted from the library by the user). Deletions remove
 * memberships. Never touches library bytes.
 */
export class WatchSync {
  private readonly freed: FreedSources;

  constructor(private readonly ctx: EngineContext, private readonly pipeline: UploadPipeline) {
    this.freed = new FreedSources(ctx.cdb, ctx.now);
  }

  /** The album a file of this watch belongs to. */
  albumFor(watch: WatchRow, filePath: string): string {
    const relDir = path.relative(watch.path, path.dirname(filePath));
    return albumNameFor(path.basename(watch.path), relDir, watch.mode);
  }

  /**
   * Applies a batch of changes, slice by slice of whole items ({@link itemSlices}): in each,
   * main files first, then the parts of items (the videos of live photos and the RAWs of
   * RAW+JPEG pairs, then XMP sidecars), so a part finds its main file committed ([Note: Items
   * in a watched folder]); then deletions, which a move in the same batch may have claimed.
   */
  async applyBatch(watch: WatchRow, upserts: FileStat[], deletes: string[], onOutcome: OutcomeListener, signal?: AbortSignal): Promise<void> {
    for (const slice of itemSlices(upserts, FILES_PER_SLICE)) {
      if (signal?.aborted) break;
      await this.applyUpserts(watch, slice, onOutcome, signal);
    }
    for (let i = 0; i < deletes.length && !signal?.aborted; i += DELETES_PER_COMMIT) {
      const chunk = deletes.slice(i, i + DELETES_PER_COMMIT);
      const removed = this.remove(watch, chunk);
      for (const [j, n] of removed.entries()) if (n > 0) onOutcome(chunk[j]!, { status: 'removed', count: n }, 0);
    }
  }

  /** One slice of a batch's new and changed files, every file of an item among them. */
  private async applyUpserts(watch: WatchRow, upserts: FileStat[], onOutcome: OutcomeListener, signal?: AbortSignal): Promise<void> {
    const { roles, sidecars } = await this.itemRoles(watch, upserts);
    if (sidecars.length > 0) upserts = [...upserts, ...sidecars];
    this.noteUnmatched(upserts, roles);
    const settled = (p: string, o: WatchOutcome, bytes: number) => {
      onOutcome(p, o, bytes);
      injectFault('sync-file');
    };
    const phaseOf = (p: string) => {
      const r = roles.get(p);
      return r === undefined ? 0 : r.kind === 'part' && r.role === 'xmp' ? 2 : 1;
    };
    for (const n of [0, 1, 2]) {
      const phase = upserts.filter((u) => phaseOf(u.path) === n);
      if (phase.length === 0 || signal?.aborted) continue;
      const opts = { total: phase.length, ...(signal ? { signal } : {}) };
      await this.pipeline.run(this.candidates(watch, phase, roles, settled), (item, o) => settled(item.sourcePath, o, item.size), opts);
    }
  }

  /** The files that need the pipeline, with what is known of them; unchanged files are reported right away. */
  private async *candidates(watch: WatchRow, files: FileStat[], roles: Map<string, WatchedRole>, settled: OutcomeListener): AsyncGenerator<Candidate> {
    for (let i = 0; i < files.length; i += LOOKUP_FILES) {
      const chunk = files.slice(i, i + LOOKUP_FILES);
      const known = this.ctx.cdb.read(() => chunk.map((f) => this.lookUp(watch, f)));
      if (known.some((k) => k.freed)) {
        this.forgetPutBack(chunk.filter((_, j) => known[j]!.freed));
        // A file that is not the freed one put back lost the freed file's records: look again.
        for (const [j, f] of chunk.entries()) if (known[j]!.freed) known[j] = this.ctx.cdb.read(() => this.lookUp(watch, f));
      }
      for (const [j, f] of chunk.entries()) {
        const c = await this.beforeRead(watch, f, known[j]!, roles.get(f.path));
        if (c) yield c;
        else settled(f.path, { status: 'unchanged' }, f.size);
      }
    }
  }

  /** What the catalog says of a file before it is read (inside a read transaction: no awaits). */
  private lookUp(watch: WatchRow, f: FileStat): Known {
    const { catalog } = this.ctx;
    const records = catalog.sources.at(watch.id, f.path);
    const adopt: number[] = [];
    if (records.length === 0) {
      // Backed up before by a manual upload or an earlier watch of this folder into the same album: adopt it.
      const albumId = catalog.albumIdForWatched(this.albumFor(watch, f.path));
      const earlier = albumId === undefined ? undefined : catalog.sources.get(f.path, albumId);
      if (earlier && earlier.watchId === null) {
        adopt.push(earlier.id);
        records.push({ ...earlier, watchId: watch.id });
      }
    }
    const unchanged = decideBeforeRead({ records, stat: f, bytesHealthy: () => records.every((r) => this.bytesHealthy(r.hash, r.size)), movedFrom: undefined }) !== undefined;
    // A record of this watch with this file's inode, size and mtime: the file may have moved here
    // (looked at after). Only if its stored bytes are fine: otherwise the file is read, and its
    // bytes are stored again before the move is followed (decideIngest).
    const movedFrom = records.length === 0 ? catalog.sources.moveCandidates(watch.id, { ino: f.ino, size: f.size }).filter((c) => c.mtimeMs === f.mtimeMs && c.path !== f.path && this.bytesHealthy(c.hash, c.size)) : [];
    return { records, adopt, unchanged, movedFrom, freed: this.freed.get(f.path) !== undefined };
  }

  /**
   * A freed file put back (restored from the system Trash) is watched as before: from here on
   * its deletion is a deletion again; a different file at its path is a new file
   * (FreedSources.forgetReturned). The file is looked for inside the write transaction: Free up space renames a file only after
   * committing its intent, so a file being freed right now is never taken for one put back.
   */
  private forgetPutBack(files: FileStat[]): void {
    if (files.length === 0) return;
    try {
      this.ctx.cdb.write(() => {
        for (const f of files) if (existsNow(f.path)) this.freed.forgetReturned(f.path, f);
      });
    } catch (err) {
      throw libraryWriteError(err, this.ctx.paths.root);
    }
  }

  /** What the watch knows of a file before reading it; undefined when it is unchanged and nothing is to be written. */
  private async beforeRead(watch: WatchRow, f: FileStat, known: Known, role: WatchedRole | undefined): Promise<Candidate | undefined> {
    const { records, adopt } = known;
    let movedFrom: SourceRecord | undefined;
    for (const c of known.movedFrom) {
      if (await vanished(c.path, c.ino)) {
        movedFrom = c;
        break;
      }
    }
    const before = decideBeforeRead({ records, stat: f, bytesHealthy: () => known.unchanged, movedFrom });
    if (before?.action === 'unchanged' && adopt.length === 0) return undefined;
    const item: UploadItem = {
      readPath: f.path, sourcePath: f.path, name: path.basename(f.path), albumName: this.albumFor(watch, f.path),
      size: f.size, mtimeMs: f.mtimeMs, ino: f.ino, trustStat: false, watch: { watchId: watch.id, root: watch.path, records, adopt },
      ...(role?.kind === 'live' ? { livePartOf: role.image } : {}),
      ...(role?.kind === 'part' ? await this.partFields(f, role) : {}),
    };
    return { item, ...(before ? { before } : {}) };
  }

  /**
   * What a part of an item carries into the pipeline: its main file's path and role; an XMP
   * sidecar also its type (it is no photo, and is not sniffed) and what it says, recorded for
   * its photo when it commits ([Note: Sidecar metadata]). An XMP that can't be read or parsed is
   * still kept with its photo, its metadata not read, as an upload does.
   */
  private async partFields(f: FileStat, role: Extract<WatchedRole, { kind: 'part' }>): Promise<Pick<UploadItem, 'partOf' | 'metadata' | 'mediaType'>> {
    const partOf = { sourcePath: role.of, role: role.role };
    if (role.role === 'raw') return { partOf };
    const r = await readSidecarFile(f.path, f.size);
    if (r.kind === 'xmp' && r.xmp.kind === 'ok') return { partOf, mediaType: XMP_MEDIA_TYPE, metadata: [{ ...r.xmp.metadata, sidecar: f.path }] };
    if (r.kind === 'unreadable' && (r.code === 'ENOENT' || r.code === 'ENOTDIR')) return { partOf, mediaType: XMP_MEDIA_TYPE }; // gone: the pipeline reports it
    const note = xmpNotRead(path.basename(f.path), path.basename(role.of), r);
    this.ctx.cdb.write(() => this.ctx.activity.record('info', 'XMP_INVALID', note, f.path));
    // What an earlier, valid version of it said no longer holds.
    const nothing = { source: 'xmp' as const, sidecar: f.path, takenAt: null, takenInstant: null, location: null, description: null, favorite: null, rating: null };
    return { partOf, mediaType: XMP_MEDIA_TYPE, metadata: [nothing] };
  }

  private bytesHealthy(hash: string, size: number): boolean {
    return statBlob(this.ctx.paths.objects, hash, size) === 'ok' && !isMarkedDamaged(this.ctx.cdb.db, hash);
  }

  /**
   * Files gone from the watch: their memberships from this watch go (orphans → Uncategorized), in
   * one transaction. Not for a file Free up space moved away ([Note: Freed is not deleted]).
   * Returns records removed per path.
   */
  remove(watch: WatchRow, filePaths: string[]): number[] {
    const { catalog, cdb } = this.ctx;
    try {
      return cdb.write(() =>
        filePaths.map((filePath) => {
          if (this.freed.get(filePath)) return 0;
          const records = catalog.sources.at(watch.id, filePath);
          for (const r of records) {
            if (!catalog.sources.otherMaps(r.fileId, r.albumId, r.id)) catalog.removeMembership(r.albumId, r.fileId);
            catalog.sources.delete(r.id);
          }
          if (records.length > 0) {
            catalog.forgetVersionPath(filePath); // deleted on disk: no earlier version of it is to come back there ([Note: Where an earlier version came from])
            this.ctx.activity.record('info', 'REMOVED', `${path.basename(filePath)} was deleted from ${watch.path}; the library keeps it`, filePath, records[0]!.fileId);
          }
          this.ctx.activity.clearErrors([filePath]); // gone: no longer a file that could not be backed up
          return records.length;
        }),
      );
    } catch (err) {
      throw libraryWriteError(err, this.ctx.paths.root);
    }
  }

  /**
   * What the batch's files are to other files' items, judged with the files beside them on
   * disk (a RAW backed up before its JPEG arrived, an edited XMP beside its photo); and the XMP
   * sidecars beside the batch's photos that this watch has no record of (written before their
   * photo, they were no one's then), which join the batch.
   */
  private async itemRoles(watch: WatchRow, files: FileStat[]): Promise<{ roles: Map<string, WatchedRole>; sidecars: FileStat[] }> {
    const candidates = new Map(files.map((f) => [f.path, { path: f.path, mtimeMs: f.mtimeMs }]));
    const stats = new Map<string, FileStat>();
    const keys = new Set(files.map((f) => itemKey(f.path)));
    for (const dir of new Set(files.map((f) => path.dirname(f.path)))) {
      // A photo Free up space took off the disk is still the item of its sidecar and video: an
      // XMP edited after that is its part, as before, not a sidecar beside no photo.
      for (const r of this.ctx.cdb.read(() => this.freed.inFolder(dir))) {
        if (!candidates.has(r.path) && keys.has(itemKey(r.path))) candidates.set(r.path, { path: r.path, mtimeMs: r.mtimeMs });
      }
      // names as bytes: one that is not UTF-8 keeps its exact bytes (raw-names.ts)
      for (const name of ((await orMissing(fs.readdir(fsPath(dir), { encoding: 'buffer' }))) ?? []).map(nameFromBytes)) {
        const p = path.join(dir, name);
        // Only files that may share an item with one of the batch's are looked at (a folder of 100k photos is read in 50 batches).
        if (candidates.has(p) || isIgnoredName(name) || !keys.has(itemKey(p))) continue;
        const st = await orMissing(fs.lstat(fsPath(p)));
        if (!st?.isFile()) continue;
        candidates.set(p, { path: p, mtimeMs: st.mtimeMs });
        stats.set(p, { path: p, size: st.size, mtimeMs: Math.trunc(st.mtimeMs), ino: Number(st.ino) });
      }
    }
    const roles = groupWatched([...candidates.values()]);
    const wanted = new Set(files.map((f) => f.path));
    const sidecars: FileStat[] = [];
    this.ctx.cdb.read(() => {
      for (const [p, role] of roles) {
        if (wanted.has(p)) continue;
        if (role.kind === 'part' && role.role === 'xmp' && wanted.has(role.of) && this.ctx.catalog.sources.at(watch.id, p).length === 0) sidecars.push(stats.get(p)!);
        else roles.delete(p);
      }
    });
    return { roles, sidecars };
  }

  /** XMP sidecars of the batch kept with no photo (none of their name beside them, or two): said in the activity, as an upload does. */
  private noteUnmatched(files: FileStat[], roles: Map<string, WatchedRole>): void {
    const lone = files.filter((f) => isXmpName(f.path) && !roles.has(f.path));
    if (lone.length === 0) return;
    this.ctx.cdb.write(() => {
      for (const f of lone) this.ctx.activity.record('info', 'XMP_UNMATCHED', `${path.basename(f.path)} is beside no photo of its name (or beside two); it was not kept`, f.path);
    });
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
    // A ShoeboxError passes libraryWriteError unchanged: the source's disk is named, not the library's.
    throw new ShoeboxError('PATH_UNREADABLE', `${p} cannot be looked at (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)}). Check the folder and its disk.`, { cause: err });
  }
}
