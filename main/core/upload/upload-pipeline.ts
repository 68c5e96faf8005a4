import { setTimeout as sleep } from 'node:timers/promises';
import { isMarkedDamaged, setBlobState, statBlob } from '../blobs/blob-health.js';
import { hasQuarantinedOfSize, takeBackFromQuarantine } from '../blobs/quarantine.js';
import type { ShoeboxErrorCode } from '../errors.js';
import { ShoeboxError, libraryWriteError } from '../errors.js';
import type { EngineContext } from '../engine-context.js';
import { decideUpload } from './decide-upload.js';
import type { IngestResult, IngestTask } from './ingest-file.js';
import { injectFault } from '../faults.js';

/** One source file to back up. */
export interface UploadItem {
  /** Where the bytes are read from. */
  readPath: string;
  /** What the source record remembers (the path, or `archive.zip!/entry` for ZIP entries). */
  sourcePath: string;
  /** The library file's name. */
  name: string;
  /** Target album; null means Uncategorized. */
  albumName: string | null;
  size: number;
  mtimeMs: number;
  ino: number;
  /** False when size/mtime/inode say nothing (extracted ZIP entries): always read. */
  trustStat: boolean;
  /** Set for files of a watch folder: its source record belongs to the watch. */
  watchId?: number;
  /** Source path of the image this video is the live part of (same stem, same folder). */
  livePartOf?: string;
  /** Called inside the commit transaction before deciding; a returned reason means "don't back up". */
  refuse?: (hash: string) => string | undefined;
  /** Called inside the commit transaction after the outcome (watch bookkeeping: versions, memberships). */
  afterCommit?: (outcome: CommittedOutcome, albumId: number, hash: string) => void;
}

/** Facts about a source file's content, from a worker or from its unchanged source record. */
export interface Identified {
  hash: string;
  size: number;
  mtimeMs: number;
  ino: number;
  mediaType: string;
}

/** What happened to one item. `restored`: the stored bytes were missing or damaged and were written again from this source. */
export type ItemOutcome =
  | { status: 'stored'; fileId: number; bytesAdded: number } // new library file, new bytes
  | { status: 'created'; fileId: number; restored?: true } // new library file, bytes already stored
  | { status: 'linked'; fileId: number; restored?: true } // membership added to an existing file
  | { status: 'skipped'; fileId: number; restored?: true } // already in the album
  | { status: 'ignored'; reason: string }
  | { status: 'vanished' }
  | { status: 'failed'; code: ShoeboxErrorCode; message: string };

/** Outcomes that leave the source recorded as backed up by a library file. */
export type CommittedOutcome = Extract<ItemOutcome, { fileId: number }>;

/** The commit could not finish without the bytes: missing from the store, or stored damaged. */
type NeedBytes = 'needBytes' | 'replaceBytes';
const needsBytes = (r: unknown): r is NeedBytes => r === 'needBytes' || r === 'replaceBytes';

const SOURCE_CHANGE_RETRIES = 3;

/**
 * Backs up one source file: hash (unless its stat says it is known), apply DESIGN §3 in one
 * catalog transaction, store bytes only when a new file needs them. Per-file problems come
 * back as `failed` outcomes; only library-wide faults (disk full) throw.
 */
export class UploadPipeline {
  private readonly albumIds = new Map<string, number>();

  constructor(private readonly ctx: EngineContext) {}

  /** Album id for a name, created on first use. */
  albumId(name: string | null): number {
    if (name === null) return this.ctx.catalog.uncategorizedId;
    let id = this.albumIds.get(name);
    if (id === undefined) {
      try {
        id = this.ctx.cdb.write(() => this.ctx.catalog.ensureAlbum(name));
      } catch (err) {
        throw libraryWriteError(err, this.ctx.paths.root);
      }
      this.albumIds.set(name, id);
    }
    return id;
  }

  /** Processes one item end to end. */
  async process(item: UploadItem, signal?: AbortSignal): Promise<ItemOutcome> {
    const albumId = this.albumId(item.albumName);
    // Each round reads the file afresh; a new round starts only if the source changed between
    // the hash pass and the copy pass.
    for (let round = 0; round < SOURCE_CHANGE_RETRIES; round++) {
      const id = await this.identify(item, signal, round === 0);
      if ('status' in id) return id;
      const outcome = await this.commitIdentified(item, albumId, id, signal);
      if (outcome !== 'changed') return outcome;
    }
    return this.fail(item, 'SOURCE_CHANGED', 'kept changing while it was being read; it will be backed up once it stops changing');
  }

  /**
   * Learns a source file's hash: from its source record when size, mtime and inode are
   * unchanged (no read), else by hashing it in a worker (copying it too when no stored blob
   * has its size, so a new file is read only once).
   */
  async identify(item: UploadItem, signal?: AbortSignal, trustRecord = true): Promise<Identified | ItemOutcome> {
    const { catalog } = this.ctx;
    const known = trustRecord && item.trustStat ? catalog.knownHash(item.sourcePath, item.size, item.mtimeMs, item.ino) : undefined;
    if (known !== undefined) {
      return { hash: known, size: item.size, mtimeMs: item.mtimeMs, ino: item.ino, mediaType: catalog.mediaTypeOfBlob(known) ?? 'application/octet-stream' };
    }
    const maybeStored = catalog.hasBlobOfSize(item.size) || hasQuarantinedOfSize(this.ctx.paths.quarantine, item.size);
    const res = await this.ingest({ path: item.readPath, mode: maybeStored ? 'hash' : 'copy' }, signal);
    if (res.kind !== 'hashed') return this.settleUnhashed(item, res);
    if (res.mediaBy === 'extension') {
      this.ctx.cdb.write(() => this.ctx.activity.record('info', 'UNRECOGNISED_CONTENT', `${item.name}: content not recognised as a photo or video; backed up by its extension`, item.sourcePath));
    }
    return { hash: res.hash, size: res.size, mtimeMs: res.mtimeMs, ino: res.ino, mediaType: res.mediaType };
  }

  /**
   * Commits an identified item, copying its bytes into the store first if the decision needs
   * them and they are not there. 'changed' means the source changed before its bytes could
   * be copied: identify it again.
   */
  async commitIdentified(item: UploadItem, albumId: number, id: Identified, signal?: AbortSignal): Promise<ItemOutcome | 'changed'> {
    const outcome = this.commit(item, albumId, id, false);
    if (!needsBytes(outcome)) return outcome;
    const damagedDir = outcome === 'replaceBytes' ? { damagedDir: this.ctx.paths.damaged } : {};
    const res = await this.ingest({ path: item.readPath, mode: 'copy', expectedHash: id.hash, mediaType: id.mediaType, ...damagedDir }, signal);
    if (res.kind === 'failed' && res.code === 'SOURCE_CHANGED') return 'changed';
    if (res.kind !== 'hashed') return this.settleUnhashed(item, res);
    const again = this.commit(item, albumId, id, true);
    if (needsBytes(again)) return 'changed';
    if (again.status !== 'created' && again.status !== 'linked' && again.status !== 'skipped') return again;
    // The catalog knew these bytes; they were gone or damaged and are stored again now (issue #15).
    const was = outcome === 'replaceBytes' ? 'damaged' : 'missing';
    const aside = res.movedAside ? ` (the damaged file was moved to ${res.movedAside})` : '';
    this.ctx.cdb.write(() => this.ctx.activity.record('info', 'BYTES_RESTORED', `${item.name}: its stored bytes were ${was}; stored again from this source${aside}`, item.sourcePath, again.fileId));
    return { ...again, restored: true };
  }

  /**
   * Runs a worker task. Without an expected hash a changing source is simply re-read (a few
   * times, with a pause); with one, the caller starts the item over. Disk-full stops everything.
   */
  private async ingest(partial: Pick<IngestTask, 'path' | 'mode' | 'expectedHash' | 'mediaType'>, signal?: AbortSignal): Promise<IngestResult> {
    const task: IngestTask = { ...partial, tmpDir: this.ctx.tmpDir, objectsDir: this.ctx.paths.objects };
    for (let attempt = 1; ; attempt++) {
      const res = await this.ctx.pool.run(task, signal);
      if (res.kind === 'failed' && res.code === 'DISK_FULL') {
        this.ctx.dirty = true;
        throw libraryWriteError(Object.assign(new Error(res.message), { code: 'ENOSPC' }), this.ctx.paths.root);
      }
      const changed = res.kind === 'failed' && res.code === 'SOURCE_CHANGED';
      if (!changed || task.expectedHash !== undefined || attempt >= SOURCE_CHANGE_RETRIES) return res;
      this.ctx.log.debug('source changed while read; retrying', { attempt });
      await sleep(this.ctx.retryDelayMs * attempt);
    }
  }

  private settleUnhashed(item: UploadItem, res: Exclude<IngestResult, { kind: 'hashed' }>): ItemOutcome {
    switch (res.kind) {
      case 'ignored':
        return { status: 'ignored', reason: res.reason };
      case 'vanished':
        return { status: 'vanished' };
      case 'failed':
        return this.fail(item, res.code, res.message);
    }
  }

  private fail(item: UploadItem, code: ShoeboxErrorCode, message: string): ItemOutcome {
    this.ctx.home.assertInPlace(); // a library moved away is not this file's failure ([Note: A library moved while open])
    const text = `${item.name} ${message}`;
    this.ctx.cdb.write(() => this.ctx.activity.record('error', code, text, item.sourcePath));
    return { status: 'failed', code, message: text };
  }

  /**
   * Applies DESIGN §3 in one transaction. [Note: Blob present at commit]
   * The blob file's existence is checked *inside* the write transaction: stray-blob collection
   * (blob-gc.ts) and Trash purge ([Note: Blob tombstones], blob-removal.ts) remove blob files
   * only under the same lock, so a blob seen here cannot vanish before its row commits. That check is a synchronous stat because better-sqlite3 transactions
   * are synchronous; it costs microseconds.
   */
  private commit(item: UploadItem, albumId: number, facts: Identified, bytesJustStored: boolean): ItemOutcome | NeedBytes {
    const { catalog, cdb, paths } = this.ctx;
    const hash = facts.hash;
    injectFault('upload-commit');
    try {
      return cdb.write((): ItemOutcome | NeedBytes => {
        const refusal = item.refuse?.(hash);
        if (refusal !== undefined) return { status: 'ignored', reason: refusal };
        // Every decision below leaves a file pointing at these bytes, skip and membership
        // included: they must be in the store and not known damaged (issue #15).
        const need = this.bytesNeed(hash, facts.size, bytesJustStored);
        if (need !== 'ok') return need;
        const live = item.livePartOf !== undefined ? this.commitLivePart(item, albumId, facts) : undefined;
        let outcome: CommittedOutcome;
        if (live !== undefined) {
          outcome = live;
        } else {
          const decision = decideUpload({
            inTargetAlbum: catalog.fileInAlbum(albumId, item.name, hash),
            elsewhere: catalog.liveFileByNameHash(item.name, hash),
            targetIsUncategorized: albumId === catalog.uncategorizedId,
          });
          if (decision.action === 'create') {
            const newBlob = !catalog.hasBlob(hash);
            catalog.insertBlob(hash, facts.size);
            const fileId = catalog.insertFile({ name: item.name, hash, size: facts.size, mediaType: facts.mediaType, modifiedAt: facts.mtimeMs });
            catalog.addMembership(albumId, fileId);
            outcome = newBlob ? { status: 'stored', fileId, bytesAdded: facts.size } : { status: 'created', fileId };
          } else if (decision.action === 'addMembership') {
            catalog.addMembership(albumId, decision.fileId);
            outcome = { status: 'linked', fileId: decision.fileId };
          } else {
            outcome = { status: 'skipped', fileId: decision.fileId };
          }
        }
        catalog.upsertSourceRecord({ path: item.sourcePath, albumId, fileId: outcome.fileId, size: facts.size, mtimeMs: facts.mtimeMs, ino: facts.ino, hash, watchId: item.watchId ?? null });
        item.afterCommit?.(outcome, albumId, hash);
        if (outcome.status !== 'skipped') {
          const album = item.albumName ?? 'Uncategorized';
          this.ctx.activity.record('info', outcome.status.toUpperCase(), `${item.name} → ${album}${live ? ' (live photo video)' : ''}`, item.sourcePath, outcome.fileId);
        }
        injectFault('file-commit');
        return outcome;
      });
    } catch (err) {
      this.ctx.dirty = true;
      if (err instanceof ShoeboxError) throw err;
      throw libraryWriteError(err, paths.root);
    }
  }

  /**
   * Whether the blob's bytes are there to point a file at, inside the commit transaction (one
   * stat): missing → taken back from quarantine if a stray copy waits there ([Note: Blob
   * quarantine]), else the bytes are needed; the wrong size, or known damaged → the bytes must
   * replace the stored ones. What it finds is recorded ([Note: Blob health marks]).
   */
  private bytesNeed(hash: string, size: number, justStored: boolean): 'ok' | NeedBytes {
    const { paths, cdb } = this.ctx;
    let state = statBlob(paths.objects, hash, size);
    if (state === 'missing' && takeBackFromQuarantine(paths.objects, paths.quarantine, hash, size)) state = 'ok';
    if (state === 'ok' && !justStored && isMarkedDamaged(cdb.db, hash)) return 'replaceBytes';
    setBlobState(cdb.db, hash, state, this.ctx.now(), justStored);
    return state === 'ok' ? 'ok' : state === 'missing' ? 'needBytes' : 'replaceBytes';
  }

  /**
   * The video half of a live photo joins its image's library file (inside the commit
   * transaction). Undefined when it can't (image not backed up into this album, or it already
   * has a different video): then the video is backed up as a file of its own.
   */
  private commitLivePart(item: UploadItem, albumId: number, facts: Identified): CommittedOutcome | undefined {
    const { catalog } = this.ctx;
    const image = catalog.sourceRecord(item.livePartOf!, albumId);
    if (!image || !catalog.isLive(image.fileId)) return undefined;
    const existing = catalog.livePart(image.fileId);
    if (existing) return existing.hash === facts.hash ? { status: 'skipped', fileId: image.fileId } : undefined;
    const newBlob = !catalog.hasBlob(facts.hash);
    catalog.insertBlob(facts.hash, facts.size);
    catalog.setLivePart(image.fileId, { hash: facts.hash, name: item.name, size: facts.size, mediaType: facts.mediaType });
    return newBlob ? { status: 'stored', fileId: image.fileId, bytesAdded: facts.size } : { status: 'created', fileId: image.fileId };
  }
}
