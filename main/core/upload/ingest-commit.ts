import path from 'node:path';
import { isMarkedDamaged, setBlobState, statBlob } from '../blobs/blob-health.js';
import { takeBackFromQuarantine } from '../blobs/quarantine.js';
import type { SourceRecord, SourceRecords } from '../catalog/source-records.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, libraryWriteError } from '../errors.js';
import { injectFault } from '../faults.js';
import { decideIngest, type IngestDecision, type IngestFacts } from './decide-ingest.js';
import type { CommittedOutcome, DecidedBeforeRead, Identified, IngestOutcome, ItemOutcome, UploadItem } from './upload-item.js';

/** One item as it reaches a commit: identified (or decided before reading, or settled by its read). */
export interface Ready {
  item: UploadItem;
  before?: DecidedBeforeRead | undefined;
  id?: Identified | undefined;
  /** This run just placed the bytes into the store, durable and verified. */
  justStored: boolean;
  /** Watched file: a vanished record with the same content, found before the transaction. */
  movedFrom?: SourceRecord | undefined;
  /** Ignored, vanished or failed while read: recorded, nothing decided. */
  settled?: ItemOutcome | undefined;
  /** The bytes were missing or damaged and this run stored them again from this source. */
  restored?: { was: 'missing' | 'damaged'; movedAside?: string | undefined } | undefined;
  /** Content not recognised: kept because of its photo/video extension (noted in the activity). */
  unrecognised: boolean;
}

/** What a commit made of one item: its outcome, a request for its bytes, or `again` (read it afresh). */
/**
 * needBytes: the item's bytes must be copied before it can commit; `restore` when the catalog
 * already had them (stored once, now missing or damaged), not when they are new bytes that were
 * only hashed because a stored blob had their size (issue #18's adversarial pass: those were
 * reported as "restored" when two uploads ran side by side).
 */
export type CommitResult = IngestOutcome | { status: 'needBytes'; replace: boolean; restore: boolean } | { status: 'again' };

/**
 * Commits a batch of items in one catalog transaction: for each, the facts are read inside the
 * transaction, decided by decideIngest (pure) and written. The one writer, for uploads and
 * watches, of files, blobs, memberships, item parts, sidecar metadata and (through
 * SourceRecords) source records.
 */
export class IngestCommitter {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * [Note: Blob present at commit]
   * Each blob file's existence is checked *inside* the write transaction that commits the rows
   * naming it: stray-blob collection (blob-gc.ts) and Trash purge ([Note: Blob tombstones],
   * blob-removal.ts) remove blob files only under the same lock, so a blob seen here cannot
   * vanish before its row commits. The check is a synchronous stat (better-sqlite3
   * transactions are synchronous); it costs microseconds per file of the batch.
   */
  commit(batch: Ready[]): CommitResult[] {
    for (const r of batch) if (r.id || r.before) injectFault('upload-commit');
    if (batch.some((r) => r.settled?.status === 'failed')) this.ctx.home.assertInPlace(); // a library moved away is not these files' failure ([Note: A library moved while open])
    try {
      return this.ctx.cdb.write(() => {
        const gone = this.goneWatches(batch);
        const results = batch.map((r) => this.one(r, gone));
        injectFault('batch-commit');
        return results;
      });
    } catch (err) {
      this.ctx.dirty = true;
      if (err instanceof ShoeboxError) throw err;
      throw libraryWriteError(err, this.ctx.paths.root);
    }
  }

  /**
   * Watches of the batch's files that no longer exist: the folder stopped being watched while
   * its files were on their way (`watch rm` in another process, or the window). Read once per
   * batch, inside its transaction.
   */
  private goneWatches(batch: Ready[]): Set<number> {
    const exists = this.ctx.cdb.db.prepare('SELECT 1 FROM watches WHERE id = ?');
    const ids = new Set(batch.flatMap((r) => (r.item.watch ? [r.item.watch.watchId] : [])));
    return new Set([...ids].filter((id) => exists.get(id) === undefined));
  }

  private one(r: Ready, gone: ReadonlySet<number>): CommitResult {
    const result = this.commitOne(r, gone);
    if (result.status !== 'failed' && result.status !== 'needBytes' && result.status !== 'again') this.ctx.activity.clearErrors([r.item.sourcePath]); // fine now ([Note: Current errors])
    return result;
  }

  private commitOne(r: Ready, gone: ReadonlySet<number>): CommitResult {
    const { activity, catalog } = this.ctx;
    const { item } = r;
    if (r.settled) {
      if (r.settled.status === 'failed') activity.record('error', r.settled.code, r.settled.message, item.sourcePath);
      return r.settled;
    }
    // Its folder is no longer watched (goneWatches): its records would name a watch that is gone. Nothing to do,
    // but bytes already placed for it name no row: mark them for the stray collection at close.
    if (item.watch && gone.has(item.watch.watchId)) {
      if (r.id) this.ctx.dirty = true;
      return { status: 'ignored', reason: 'its folder is no longer watched' };
    }
    if (r.unrecognised) activity.record('info', 'UNRECOGNISED_CONTENT', `${item.name}: content not recognised as a photo or video; backed up by its extension`, item.sourcePath);
    for (const id of item.watch?.adopt ?? []) catalog.sources.adopt(id, item.watch!.watchId);
    if (r.before?.action === 'unchanged') return { status: 'unchanged' };
    if (r.before?.action === 'move') return this.stillAt(r.before.record) ? this.move(item, r.before.record) : { status: 'again' };
    const facts = this.facts(r, r.id!);
    const decision = decideIngest(facts);
    const outcome = this.apply(r, r.id!, facts, decision);
    if ('fileId' in outcome && decision.action !== 'move') injectFault('file-commit');
    return outcome;
  }

  /** The facts decideIngest needs, read inside the transaction (the blob's bytes included). */
  private facts(r: Ready, id: Identified): IngestFacts {
    const { catalog } = this.ctx;
    const { item } = r;
    const albumId = item.albumName === null ? catalog.uncategorizedId : item.watch ? catalog.albumIdForWatched(item.albumName) : catalog.albumIdByName(item.albumName);
    const records = item.watch ? catalog.sources.at(item.watch.watchId, item.sourcePath) : watchedRecords(catalog.sources, item, albumId);
    let liveImage: IngestFacts['liveImage'];
    if (item.livePartOf !== undefined && albumId !== undefined) {
      const image = catalog.sources.get(item.livePartOf, albumId);
      if (image && catalog.isLive(image.fileId)) liveImage = { fileId: image.fileId, partHash: catalog.livePart(image.fileId)?.hash, shared: catalog.sources.countFor(image.fileId) > 1 };
    }
    let part: IngestFacts['part'];
    if (item.partOf) {
      const main = albumId === undefined ? undefined : catalog.sources.get(item.partOf.sourcePath, albumId);
      const fileId = main && catalog.isLive(main.fileId) ? main.fileId : undefined;
      part = { role: item.partOf.role, fileId, partHash: fileId === undefined ? undefined : catalog.parts.find(fileId, item.partOf.role, item.name)?.hash, shared: fileId !== undefined && catalog.sources.countFor(fileId) > 1 };
    }
    return {
      hash: id.hash,
      bytes: this.bytes(id.hash, id.size, r.justStored),
      records,
      ...(r.movedFrom && this.stillAt(r.movedFrom) ? { movedFrom: r.movedFrom } : {}),
      ignored: item.watch !== undefined && catalog.sources.isIgnored(id.hash),
      albumId,
      targetIsUncategorized: albumId === catalog.uncategorizedId,
      inTargetAlbum: albumId === undefined ? undefined : catalog.fileInAlbum(albumId, item.name, id.hash),
      elsewhere: catalog.liveFileByNameHash(item.name, id.hash),
      ...(liveImage ? { liveImage } : {}),
      ...(part ? { part } : {}),
    };
  }

  /** A record found before the transaction is still where it was (an earlier item of the batch may have claimed it). */
  private stillAt(rec: SourceRecord): boolean {
    return this.ctx.catalog.sources.byId(rec.id)?.path === rec.path;
  }

  /**
   * Whether the blob's bytes are there to point a file at (one stat): missing → taken back from
   * quarantine if a stray copy waits there ([Note: Blob quarantine]); present but of the wrong
   * size, or known damaged (unless this run just stored them) → damaged. What it finds is
   * recorded ([Note: Blob health marks]).
   */
  private bytes(hash: string, size: number, justStored: boolean): IngestFacts['bytes'] {
    const { paths, cdb } = this.ctx;
    let state = statBlob(paths.objects, hash, size);
    if (state === 'missing' && takeBackFromQuarantine(paths.objects, paths.quarantine, hash, size)) state = 'ok';
    if (state === 'ok' && !justStored && isMarkedDamaged(cdb.db, hash)) return 'damaged';
    setBlobState(cdb.db, hash, state, this.ctx.now(), justStored);
    return state;
  }

  private apply(r: Ready, id: Identified, facts: IngestFacts, d: IngestDecision): CommitResult {
    const { catalog, activity } = this.ctx;
    const { item } = r;
    switch (d.action) {
      case 'move':
        return this.move(item, d.record);
      case 'unchanged':
        for (const rec of facts.records) catalog.sources.touch(rec.id, id.size, id.mtimeMs, id.ino);
        return { status: 'unchanged' };
      case 'refuse':
        return { status: 'ignored', reason: d.reason };
      case 'needBytes':
        return { status: 'needBytes', replace: d.replace, restore: catalog.hasBlob(id.hash) };
      default:
    }
    const albumId = this.albumId(item);
    let outcome: CommittedOutcome;
    if (d.action === 'part') {
      const newBlob = !catalog.hasBlob(id.hash);
      catalog.insertBlob(id.hash, id.size);
      const fileId = d.split ? this.itemApart(item.partOf!.sourcePath, albumId, d.fileId) : d.fileId;
      const part = { role: d.role, hash: id.hash, name: item.name, size: id.size, mediaType: id.mediaType };
      if (d.replace) catalog.parts.replace(fileId, part, this.ctx.now());
      else catalog.parts.add(fileId, part);
      outcome = newBlob ? { status: 'stored', fileId, bytesAdded: id.size } : { status: 'created', fileId };
    } else if (d.action === 'livePart' || d.action === 'create') {
      const newBlob = !catalog.hasBlob(id.hash);
      catalog.insertBlob(id.hash, id.size);
      let fileId: number;
      if (d.action === 'livePart') {
        fileId = d.split ? this.itemApart(item.livePartOf!, albumId, d.imageFileId) : d.imageFileId;
        const video = { hash: id.hash, name: item.name, size: id.size, mediaType: id.mediaType };
        if (d.replace) catalog.parts.replace(fileId, { role: 'live', ...video }, this.ctx.now());
        else catalog.setLivePart(fileId, video);
      } else {
        fileId = catalog.insertFile({ name: item.name, hash: id.hash, size: id.size, mediaType: id.mediaType, modifiedAt: id.mtimeMs });
        catalog.addMembership(albumId, fileId);
      }
      outcome = newBlob ? { status: 'stored', fileId, bytesAdded: id.size } : { status: 'created', fileId };
    } else if (d.action === 'addMembership') {
      catalog.addMembership(albumId, d.fileId);
      outcome = { status: 'linked', fileId: d.fileId };
    } else {
      outcome = { status: 'skipped', fileId: d.fileId };
    }
    catalog.sources.upsert({ path: item.sourcePath, albumId, fileId: outcome.fileId, size: id.size, mtimeMs: id.mtimeMs, ino: id.ino, hash: id.hash, watchId: item.watch?.watchId ?? null });
    if (item.metadata?.length) catalog.metadata.record(outcome.fileId, item.metadata);
    if (d.replaces && d.replaces.fileId !== outcome.fileId) this.replace(item, albumId, d.replaces, outcome);
    if (outcome.status !== 'skipped') {
      const what = d.action === 'livePart' ? ' (live photo video)' : d.action === 'part' ? ` (${d.role === 'raw' ? 'the RAW' : 'a sidecar'} of ${catalog.fileName(outcome.fileId) ?? 'its photo'})` : '';
      activity.record('info', outcome.status.toUpperCase(), `${item.name} → ${item.albumName ?? 'Uncategorized'}${what}`, item.sourcePath, outcome.fileId);
    }
    if (r.restored && outcome.status !== 'stored') {
      // The catalog knew these bytes; they were gone or damaged and are stored again now (issue #15).
      const aside = r.restored.movedAside ? ` (the damaged file was moved to ${r.restored.movedAside})` : '';
      activity.record('info', 'BYTES_RESTORED', `${item.name}: its stored bytes were ${r.restored.was}; stored again from this source${aside}`, item.sourcePath, outcome.fileId);
      return { ...outcome, restored: true };
    }
    return outcome;
  }

  /**
   * [Note: Modified files keep their history]
   * When a watched file's content changes, the new content becomes (or joins) a library file by
   * the DESIGN §3 rules; the old file leaves this album (to Uncategorized if it is in no other)
   * and a newly created file records it as its previous version. Same transaction, so the
   * source record and the memberships change together.
   */
  private replace(item: UploadItem, albumId: number, old: { id: number; fileId: number }, outcome: CommittedOutcome): void {
    const { catalog } = this.ctx;
    if (outcome.status === 'stored' || outcome.status === 'created') {
      // The new version is the item now: it gets the parts the old one had (RAW, XMP, live
      // video; the old version keeps its own) and their records ([Note: Item parts]).
      catalog.parts.copyMissing(old.fileId, outcome.fileId);
      catalog.metadata.copyMissing(old.fileId, outcome.fileId, { sidecarsOnly: true }); // what the new bytes say of themselves is read again
      catalog.sources.carryPartRecords(old.fileId, outcome.fileId, albumId);
      catalog.setPreviousVersion(outcome.fileId, old.fileId);
    }
    // also when the path goes back to bytes the library has (an edit undone): the one it leaves is a version too
    catalog.setVersionPath(old.fileId, item.sourcePath);
    if (!catalog.sources.otherMaps(old.fileId, albumId, old.id)) catalog.removeMembership(albumId, old.fileId);
    this.ctx.activity.record('info', 'NEW_VERSION', `${item.name}: new version backed up; the previous one is kept in the library`, item.sourcePath, outcome.fileId);
  }

  /**
   * This folder's photo leaves `shared` (a file other sources share, with another part of the
   * role coming in) for a file of its own: the same bytes and name ([Note: Items apart]). Its
   * source records in the album (the photo's, and those of parts of the same item already
   * committed: same folder, names starting with the photo's stem) name the new file, which gets
   * those parts; `shared` keeps them only while one of its own records names them, and leaves
   * the album when no record maps it there. Returns the new file.
   */
  private itemApart(photoPath: string, albumId: number, shared: number): number {
    const { catalog } = this.ctx;
    const dir = path.dirname(photoPath);
    const stem = path.basename(photoPath, path.extname(photoPath));
    const own = catalog.cloneFile(shared, catalog.fileName(shared) ?? path.basename(photoPath));
    const records = catalog.sources.ofFileInAlbum(shared, albumId).filter((r) => r.path === photoPath || (path.dirname(r.path) === dir && path.basename(r.path).startsWith(stem)));
    for (const r of records) catalog.sources.repoint(r.id, own);
    const hashes = new Set(records.map((r) => r.hash));
    for (const p of catalog.parts.of(shared)) {
      if (!hashes.has(p.hash)) continue;
      catalog.parts.add(own, p);
      if (!catalog.sources.namesBytes(shared, p.hash)) catalog.parts.remove(shared, p);
    }
    catalog.addMembership(albumId, own);
    if (!catalog.sources.otherMaps(shared, albumId, -1)) catalog.removeMembership(albumId, shared);
    this.ctx.activity.record('info', 'ITEM_APART', `${path.basename(photoPath)}: the same photo as a file of another folder, with a RAW or live video of its own; backed up as an item of its own`, photoPath, own);
    return own;
  }

  /** A watched file followed to its new path: its record, file name and album membership move; nothing is copied. */
  private move(item: UploadItem, r: SourceRecord): IngestOutcome {
    const { catalog } = this.ctx;
    const albumId = this.albumId(item);
    let fileId = r.fileId;
    // A part's record (a RAW, an XMP, a live photo's video) follows the part: the item is never
    // renamed after it, nor copied under its name (that made a "RAW" file of the JPEG's bytes).
    const main = catalog.sources.isOfMainFile(r);
    if (!main) catalog.parts.rename(fileId, r.hash, path.basename(r.path), item.name);
    else if (catalog.fileName(fileId) !== item.name) {
      // Rename the library file only when this source is its only one; otherwise the other
      // sources keep the old name and this one gets a file of its own (same bytes).
      if (catalog.sources.countFor(fileId) === 1) catalog.renameFile(fileId, item.name);
      else fileId = catalog.cloneFile(fileId, item.name);
    }
    if (albumId !== r.albumId || fileId !== r.fileId) {
      catalog.addMembership(albumId, fileId);
      if (!catalog.sources.otherMaps(r.fileId, r.albumId, r.id)) catalog.removeMembership(r.albumId, r.fileId);
    }
    catalog.sources.move(r.id, item.sourcePath, albumId, fileId);
    if (main) catalog.moveVersionPath(r.path, item.sourcePath); // [Note: Where an earlier version came from]
    const where = item.watch ? path.relative(item.watch.root, item.sourcePath) : item.sourcePath;
    this.ctx.activity.record('info', 'MOVED', `${path.basename(r.path)} moved to ${where}; nothing copied`, item.sourcePath, fileId);
    return { status: 'moved', fileId, from: r.path };
  }

  /** The album a file is committed into: found by name (a watched file's also by the name before a rename), created now if it is new (DESIGN §2). */
  private albumId(item: UploadItem): number {
    return item.albumName === null ? this.ctx.catalog.uncategorizedId : this.ctx.catalog.ensureAlbum(item.albumName, item.watch !== undefined);
  }
}

/**
 * [Note: Uploading a watched file]
 * `upload` of a file inside a watched folder, into the album the watch feeds, would otherwise
 * leave the watch's file beside it: an edited `a0.jpg` made a second `a0.jpg` in the album (the
 * upload's record took the path over, so the watch saw nothing to do), and a renamed file became
 * two files. So such an upload reads the watch's records of its path in that album, as the watch
 * would: same content is already backed up, other content is a new version of the file the record
 * names ([Note: Modified files keep their history]), and without a record a vanished record of the
 * same content in that album is a move (UploadPipeline.findMoves). Into another album (`--album`)
 * it is a plain upload. Re-upload protection stays the watch's own: an explicit upload of a file
 * you deleted backs it up.
 */
function watchedRecords(sources: SourceRecords, item: UploadItem, albumId: number | undefined): SourceRecord[] {
  if (item.watchedBy === undefined || albumId === undefined) return [];
  return sources.at(item.watchedBy, item.sourcePath).filter((r) => r.albumId === albumId);
}
