import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setBlobState } from '../blobs/blob-health.js';
import { blobFileState, blobPath } from '../blobs/blob-store.js';
import { BUILT_IN_HEIC_FAILED, heifTool } from '../media/heif-tools.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, errorMessage } from '../errors.js';
import { verifyStored } from '../blobs/verify-stored.js';
import type { CaptureDateService } from '../dates/capture-date-service.js';
import type { TrashService } from '../trash/trash-service.js';
import { DEFAULT_THRESHOLD, chooseBestShot, mayGoByDefault, nearIdenticalCosine, preselect, type CameraMeta, type KeepReason } from './decide-similar.js';
import { decodeFeatures, pixelSimilarity } from './image-features.js';
import { cosineF16, embedChunk } from './similar-index.js';
import { currentFile } from './group-task.js';
import { fileHistory } from '../catalog/versions.js';
import { SimilarUndo, type UndoResult } from './similar-undo.js';

export { DEFAULT_THRESHOLD } from './decide-similar.js';

/**
 * Part of the model id: what the decode feeds the model and stores beside it. Bumped when it
 * changes, so every image is indexed again (p2: one shrink-on-load decode, features stored).
 */
const PREPROCESSING = 'p2';
/** Pixel-check thumbnails kept in memory (12 KiB each: 24 MiB at most). */
const LAYOUT_CACHE = 2048;

/** SQL: file f is a live image with blob b's content. */
const LIVE_IMAGE_OF_B = `f.blob_hash = b.hash AND f.trashed_at IS NULL AND f.media_type LIKE 'image/%'`;
/**
 * SQL: failure x stands. A HEIC only the built-in decoder failed on does not once the system's
 * libheif is installed (@retry is then BUILT_IN_HEIC_FAILED): it reads some files the
 * WebAssembly build refuses, so such an image counts as still to index, and its new result
 * replaces the failure.
 */
const X_STANDS = `x.model_id = @m AND (@retry IS NULL OR substr(x.message, 1, length(@retry)) <> @retry)`;
/** SQL: failure x is of an image the library has (not only in Trash). */
const X_LIVE = `EXISTS (SELECT 1 FROM files f WHERE f.blob_hash = x.blob_hash AND f.trashed_at IS NULL AND f.media_type LIKE 'image/%')`;
/** Failures named in the status (the window lists them; `similar --json --index-only` has them all). */
const FAILED_NAMES = 10;
/** SQL: blob b has neither an embedding nor a standing failure for model @m. */
const B_NOT_INDEXED = `NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.blob_hash = b.hash AND e.model_id = @m)
  AND NOT EXISTS (SELECT 1 FROM embedding_failures x WHERE x.blob_hash = b.hash AND ${X_STANDS})`;
/**
 * SQL: blob b is not known to be missing. Indexing found its file gone ([Note: Blob health
 * marks]): it waits for `check --repair` or a re-upload (which clear the mark) instead of
 * being tried, and counted as still to index, forever.
 */
const B_PRESENT = 'b.missing_at IS NULL';
/** SQL: blob b is a live image's and not indexed for model @m (whether its bytes are there or not). */
const B_IMAGE_TO_INDEX = `EXISTS (SELECT 1 FROM files f WHERE ${LIVE_IMAGE_OF_B}) AND ${B_NOT_INDEXED}`;

/** One image in a similar group. */
export interface SimilarImage {
  fileId: number;
  name: string;
  size: number;
  width: number | null;
  height: number | null;
  mediaType: string;
  albums: string[];
  /** Cosine similarity to the group's reference (the default kept image; 1 for the reference itself). */
  similarity: number;
}

/** A group of visually similar images (different contents). */
export interface SimilarGroup {
  id: string;
  images: SimilarImage[];
  /** Default: keep the best shot (see chooseBestShot). */
  keep: number[];
  /** The image the others are compared with: the default keep. */
  reference: number;
  /** Why the reference is the best shot. */
  keepReason: KeepReason;
  /** Every other image is near-identical to the reference: offered for Trash by default. Looser groups are for review. */
  preselected: boolean;
}

/** What the user confirmed for one group. */
export interface SimilarSelection {
  keep: number[];
  remove: number[];
}

/** Progress of indexing. */
export interface IndexStatus {
  /** The default threshold (the window's slider starts there). */
  defaultThreshold: number;
  enabled: boolean;
  modelId: string | null;
  modelMessage: string | null;
  /** Images of the library (not in Trash) with an embedding. */
  indexed: number;
  /** Images still to index (not counting those below). */
  pending: number;
  /** Images of the library (not in Trash) the model could not read; the first few named in `failedNames`. */
  failed: number;
  failedNames: IndexFailure[];
  /** Images not indexed because their stored bytes are missing (`check --repair` can bring them back). */
  missingBytes: number;
}

/** An image the model could not read: a file's name, and why. */
export interface IndexFailure {
  name: string | null;
  message: string;
}

/**
 * Similar images (DESIGN §5): embeddings of every image, computed in the worker pool with the
 * bundled model and kept in the catalog per content and model (a new model re-indexes),
 * grouping with a user threshold, and an album-preserving apply.
 */
export class SimilarService {
  private cachedModelId: string | undefined;
  /** Where background indexing resumes (a blob hash; '' = from the start). */
  private cursor = '';
  private readonly undos: SimilarUndo;

  constructor(
    private readonly ctx: EngineContext,
    private readonly trash: TrashService,
    readonly modelPath: string,
    /** Dates files now: which image carries the camera's metadata is read with the date ([Note: The camera original is kept]). */
    private readonly dates: Pick<CaptureDateService, 'dateNow'>,
  ) {
    this.undos = new SimilarUndo(ctx, trash);
  }

  /** The model's id: its file name and content hash. Throws a clear error if the model is missing. */
  modelId(): string {
    if (this.cachedModelId) return this.cachedModelId;
    if (!fs.existsSync(this.modelPath)) throw new ShoeboxError('NOT_FOUND', `The image model is missing (${this.modelPath}). Run \`npm run build:model\` (or set SHOEBOX_MODEL to a model file).`);
    this.cachedModelId = `${path.basename(this.modelPath)}@${createHash('sha256').update(fs.readFileSync(this.modelPath)).digest('hex').slice(0, 12)}+${PREPROCESSING}`;
    return this.cachedModelId;
  }

  /** True unless the user turned background indexing off. */
  get enabled(): boolean {
    return this.ctx.cdb.meta('similar_indexing') !== 'off';
  }

  /** Turns background indexing on or off (the setting lives in the catalog). */
  setEnabled(on: boolean): void {
    this.ctx.cdb.write(() => this.ctx.cdb.db.prepare(`INSERT INTO meta (key, value) VALUES ('similar_indexing', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(on ? 'on' : 'off'));
  }

  /**
   * Images without an embedding (or a recorded failure) for the model, in hash order after
   * `after`. Indexing walks forward from where the last batch ended: starting from the first
   * hash each time rescanned every indexed image per batch (quadratic; at 100k images it took
   * most of the main thread during a backup burst).
   */
  private pendingQuery(limit: number, after = ''): Array<{ hash: string; mediaType: string }> {
    return this.ctx.cdb.db
      .prepare(
        // blobs walked in key order with per-blob lookups, so LIMIT stops the scan (a JOIN with
        // GROUP BY sorted every pending row first)
        `SELECT b.hash, (SELECT MIN(f.media_type) FROM files f WHERE ${LIVE_IMAGE_OF_B}) AS mediaType
         FROM blobs b
         WHERE b.hash > @after AND mediaType IS NOT NULL AND ${B_PRESENT} AND ${B_NOT_INDEXED}
         ORDER BY b.hash LIMIT @limit`,
      )
      .all({ ...this.indexParams(this.modelId()), limit, after }) as Array<{ hash: string; mediaType: string }>;
  }

  /** How many images still need an embedding (counted, not listed): those that can be read, or those whose stored bytes are missing. */
  private pendingCount(missing = false): number {
    return (this.ctx.cdb.db
      .prepare(`SELECT COUNT(*) AS n FROM blobs b WHERE ${missing ? 'NOT ' : ''}${B_PRESENT} AND ${B_IMAGE_TO_INDEX}`)
      .get(this.indexParams(this.modelId())) as { n: number }).n;
  }

  /** The parameters of the SQL above: the model, and which recorded failures are tried again (X_STANDS). */
  private indexParams(modelId: string): { m: string; retry: string | null } {
    return { m: modelId, retry: heifTool('heif-convert') ? BUILT_IN_HEIC_FAILED : null };
  }

  /**
   * Images the model could not read (damaged, or a kind the decoder refuses), named by one of
   * their files (a live one first), with the reason; at most `limit`, by name. They are not
   * tried again until the model changes (or, for a HEIC, a better decoder is there: X_STANDS).
   */
  failures(limit: number, liveOnly = false): IndexFailure[] {
    return this.ctx.cdb.db
      .prepare(
        `SELECT (SELECT f.name FROM files f WHERE f.blob_hash = x.blob_hash ORDER BY f.trashed_at IS NOT NULL, f.id LIMIT 1) AS name, x.message
           FROM embedding_failures x WHERE ${X_STANDS}${liveOnly ? ` AND ${X_LIVE}` : ''} ORDER BY name, x.blob_hash LIMIT @limit`,
      )
      .all({ ...this.indexParams(this.modelId()), limit }) as IndexFailure[];
  }

  /** How far indexing is. */
  status(): IndexStatus {
    let modelId: string | null = null;
    let modelMessage: string | null = null;
    try {
      modelId = this.modelId();
    } catch (err) {
      modelMessage = errorMessage(err);
    }
    const q = (sql: string) => (modelId ? (this.ctx.cdb.db.prepare(sql).get(this.indexParams(modelId)) as { n: number }).n : 0);
    return {
      defaultThreshold: DEFAULT_THRESHOLD, enabled: this.enabled, modelId, modelMessage,
      // an image in Trash only is not the library's to count (helper-48: 17 images, "17 indexed, 2 could not be read")
      indexed: q(`SELECT COUNT(*) AS n FROM embeddings e WHERE e.model_id = @m AND EXISTS (SELECT 1 FROM files f WHERE f.blob_hash = e.blob_hash AND f.trashed_at IS NULL AND f.media_type LIKE 'image/%')`),
      pending: modelId ? this.pendingCount() : 0,
      failed: q(`SELECT COUNT(*) AS n FROM embedding_failures x WHERE ${X_STANDS} AND ${X_LIVE}`),
      failedNames: modelId ? this.failures(FAILED_NAMES, true) : [],
      missingBytes: modelId ? this.pendingCount(true) : 0,
    };
  }

  /**
   * Embeds images that have none yet for this model, 32 at a time (see embedChunk: decoding and
   * the model in the model's thread). Resumable: each chunk is committed as it
   * finishes. Stops when `shouldStop` says so (pause, shutdown).
   */
  async index(opts: { max?: number; shouldStop?: () => boolean; onProgress?: (done: number) => void } = {}): Promise<number> {
    const modelId = this.modelId();
    let done = 0;
    const max = opts.max ?? Infinity;
    const later = new Set<string>(); // failed for now (file missing, memory): tried again by a later pass
    this.recheckMissing(modelId);
    let wrapped = false;
    while (done < max && !opts.shouldStop?.()) {
      let todo = this.pendingQuery(Math.min(32, max - done), this.cursor);
      if (todo.length === 0 && this.cursor !== '' && !wrapped) {
        wrapped = true; // once per pass: images added behind the cursor meanwhile
        this.cursor = '';
        todo = this.pendingQuery(Math.min(32, max - done));
      }
      if (todo.length === 0) break;
      this.cursor = todo.at(-1)!.hash;
      todo = todo.filter((t) => !later.has(t.hash));
      if (todo.length === 0) continue;
      const { recorded, forNow } = await embedChunk(this.ctx, this.modelPath, modelId, todo);
      for (const h of forNow) later.add(h);
      done += recorded;
      opts.onProgress?.(done);
    }
    return done;
  }

  /**
   * Images left out as missing their stored bytes whose file is back (a disk remounted, a copy
   * put back by hand): their mark is cleared so this pass indexes them. Costs a stat per such
   * image, once per pass.
   */
  private recheckMissing(modelId: string): void {
    const db = this.ctx.cdb.db;
    const marked = db
      .prepare(`SELECT b.hash FROM blobs b WHERE NOT ${B_PRESENT} AND ${B_IMAGE_TO_INDEX} LIMIT 10000`)
      .all(this.indexParams(modelId)) as Array<{ hash: string }>;
    const back = marked.filter((r) => blobFileState(blobPath(this.ctx.paths.objects, r.hash)).state !== 'missing');
    if (back.length > 0) this.ctx.cdb.write(() => { for (const r of back) setBlobState(db, r.hash, 'ok', this.ctx.now()); });
  }

  /** Pixel-check thumbnails already made, by blob hash (a blob's bytes never change); at most LAYOUT_CACHE of them. */
  private readonly layoutCache = new Map<string, Uint8Array | null>();

  /** The pixel-check thumbnails of these images (made in a worker where not cached; null where undecodable). */
  private async layouts(items: Array<{ hash: string; mediaType: string }>): Promise<Map<string, Uint8Array | null>> {
    const out = new Map<string, Uint8Array | null>();
    const todo = new Map<string, string>();
    for (const { hash, mediaType } of items) {
      const cached = this.layoutCache.get(hash);
      if (cached !== undefined) out.set(hash, cached);
      else todo.set(hash, mediaType);
    }
    if (todo.size > 0) {
      const made = await this.ctx.pool.layouts({ tmpDir: this.ctx.tmpDir, items: [...todo].map(([hash, mediaType]) => ({ path: blobPath(this.ctx.paths.objects, hash), mediaType })) });
      [...todo.keys()].forEach((hash, i) => {
        const t = made[i] ?? null;
        out.set(hash, t);
        if (t === null) return; // not cached: the file may be readable next time
        if (this.layoutCache.size >= LAYOUT_CACHE) this.layoutCache.delete(this.layoutCache.keys().next().value!);
        this.layoutCache.set(hash, t);
      });
    }
    return out;
  }

  /** Groups of similar images at this threshold (computed in a worker). */
  async groups(threshold = DEFAULT_THRESHOLD): Promise<SimilarGroup[]> {
    if (!(threshold > 0 && threshold <= 1)) throw new ShoeboxError('INVALID_ARGUMENT', `The threshold is a cosine similarity above 0 and at most 1 (default ${DEFAULT_THRESHOLD}), not ${threshold}.`);
    const r = await this.ctx.pool.groupSimilar({ catalogPath: this.ctx.paths.catalog, modelId: this.modelId(), threshold, threads: 2 });
    const db = this.ctx.cdb.db;
    const fileOf = db.prepare(
      `SELECT f.id AS fileId, f.name, f.size, f.width, f.height, f.media_type AS mediaType, f.modified_at AS modifiedAt,
              (SELECT GROUP_CONCAT(a.name, char(30)) FROM memberships m JOIN albums a ON a.id = m.album_id AND a.kind = 'user' WHERE m.file_id = f.id) AS albums,
              (COALESCE(f.date_source IN ('exif', 'quicktime'), 0) OR EXISTS (SELECT 1 FROM file_metadata d WHERE d.file_id = f.id AND d.source = 'embedded' AND d.taken_at IS NOT NULL))
                + (f.camera IS NOT NULL) AS cameraMetadata,
              f.camera AS camera,
              CASE WHEN f.date_source IN ('exif', 'quicktime') THEN f.taken_at
                   ELSE (SELECT d.taken_at FROM file_metadata d WHERE d.file_id = f.id AND d.source = 'embedded') END AS takenInBytes,
              (SELECT b.damaged_at IS NOT NULL OR b.missing_at IS NOT NULL FROM blobs b WHERE b.hash = f.blob_hash) AS bytesBad
       FROM files f WHERE f.blob_hash = ? AND ${currentFile('f')} ORDER BY f.id LIMIT 1`,
    );
    // Which image is the camera original is read with its date: date the members that have none yet.
    await this.dates.dateNow(r.groups.flat().flatMap((h) => (fileOf.get(h) as { fileId: number } | undefined)?.fileId ?? []));
    const vec = db.prepare('SELECT vector, features FROM embeddings WHERE blob_hash = ? AND model_id = ?');
    const modelId = this.modelId();
    type Member = { hash: string; image: Omit<SimilarImage, 'similarity'>; meta: CameraMeta & { modifiedAt: number | null }; vector: Uint16Array; features: ReturnType<typeof decodeFeatures> };
    const drafts: Array<{ hashes: string[]; members: Member[]; ref: number; reason: KeepReason; cosines: number[] }> = [];
    for (const hashes of r.groups) {
      const members: Member[] = [];
      for (const h of hashes) {
        const row = fileOf.get(h) as (Omit<SimilarImage, 'albums' | 'similarity'> & { albums: string | null; modifiedAt: number | null; cameraMetadata: number; camera: string | null; takenInBytes: number | null; bytesBad: number | null }) | undefined;
        const e = vec.get(h, modelId) as { vector: Buffer; features: Buffer | null } | undefined;
        if (!row || !e) continue; // trashed or re-indexed since the worker read the catalog
        const { modifiedAt, cameraMetadata, camera, takenInBytes, bytesBad, ...f } = row;
        const meta = { modifiedAt, cameraMetadata, camera, takenInBytes, bytesBad: bytesBad === 1 };
        members.push({ hash: h, image: { ...f, albums: f.albums ? f.albums.split('\u001e').sort() : [] }, meta, vector: new Uint16Array(e.vector.buffer, e.vector.byteOffset, e.vector.length / 2), features: decodeFeatures(e.features) });
      }
      if (members.length < 2) continue;
      const shot = (m: Member) => (m.meta.takenInBytes === null ? null : `${m.meta.camera ?? ''}\u0000${m.meta.takenInBytes}`);
      const best = chooseBestShot(members.map((m) => ({ ...m.image, modifiedAt: m.meta.modifiedAt, shot: shot(m), cameraMetadata: m.meta.cameraMetadata, bytesBad: m.meta.bytesBad, features: m.features })));
      const ref = members.findIndex((m) => m.image.fileId === best.fileId);
      drafts.push({ hashes, members, ref, reason: best.reason, cosines: members.map((m) => cosineF16(members[ref]!.vector, m.vector)) });
    }
    // The pixel check, only where the cosine bar alone would pre-select ([Note: Near-identical is checked on pixels]).
    const candidates = drafts.filter((d) => d.cosines.every((c, i) => i === d.ref || nearIdenticalCosine(c)));
    const pixels = await this.layouts(candidates.flatMap((d) => d.members.map((m) => ({ hash: m.hash, mediaType: m.image.mediaType }))));
    const groups: SimilarGroup[] = [];
    for (const d of drafts) {
      const ref = d.members[d.ref]!;
      const images = d.members.map((m, i) => ({ ...m.image, similarity: i === d.ref ? 1 : Math.round(d.cosines[i]! * 1000) / 1000 }));
      // the reference first, then by similarity to it
      images.sort((a, b) => Number(b.fileId === ref.image.fileId) - Number(a.fileId === ref.image.fileId) || b.similarity - a.similarity || a.fileId - b.fileId);
      const toKept = d.members.flatMap((m, i) => {
        if (i === d.ref) return [];
        const a = pixels.get(ref.hash);
        const b = pixels.get(m.hash);
        return [{ cosine: d.cosines[i]!, pixels: a && b ? pixelSimilarity(a, b) : null }];
      });
      // [Note: The camera original is kept] Pre-selected only when the kept image's bytes are not
      // known damaged and no image to go carries camera metadata of its own.
      const agree = d.members.every((m, i) => i === d.ref || mayGoByDefault(m.meta));
      groups.push({ id: createHash('sha256').update(d.hashes.join()).digest('hex').slice(0, 12), images, keep: [ref.image.fileId], reference: ref.image.fileId, keepReason: d.reason, preselected: !ref.meta.bytesBad && agree && preselect(toKept) });
    }
    return groups;
  }

  /**
   * Applies one group in one transaction (DESIGN §5): the removed images go to Trash, and every
   * album that held a removed image and now holds none of the kept ones gets a membership of
   * the first kept image, so no album loses its scene. A group that changed since it was
   * listed (an image gone) is skipped whole.
   */
  async apply(sel: SimilarSelection, undo?: string): Promise<{ status: 'applied'; trashed: number; albumsGiven: string[] } | { status: 'skipped'; reason: string }> {
    if (sel.keep.length === 0) throw new ShoeboxError('INVALID_ARGUMENT', 'Keep at least one image of each group.');
    if (sel.remove.some((id) => sel.keep.includes(id))) throw new ShoeboxError('INVALID_ARGUMENT', 'An image cannot be both kept and removed.');
    const db = this.ctx.cdb.db;
    // The kept images' stored bytes are read back whole first: the others go to Trash on their strength.
    for (const id of sel.keep) {
      const f = db.prepare('SELECT name, blob_hash AS hash FROM files WHERE id = ?').get(id) as { name: string; hash: string } | undefined;
      if (!f) continue; // said below, in the transaction
      const stored = await verifyStored(this.ctx, f.hash, () => undefined);
      if (stored.state !== 'ok') {
        return { status: 'skipped' as const, reason: `${f.name}, the image to keep, is ${stored.state === 'missing' ? 'missing its stored bytes' : 'damaged'} (${stored.why}): nothing was moved to Trash. Keep another image of the group, or run \`shoebox check --repair\`` };
      }
    }
    // Nor is an image whose own stored bytes are lost moved to Trash: its record (name, dates,
    // albums, where it came from) is what `check --repair` restores it by, and it may be the
    // camera original the others were made from.
    for (const id of sel.remove) {
      const f = db.prepare('SELECT f.name, f.blob_hash AS hash, b.missing_at IS NOT NULL AS missing, b.damaged_at IS NOT NULL AS damaged FROM files f JOIN blobs b ON b.hash = f.blob_hash WHERE f.id = ?').get(id) as
        { name: string; hash: string; missing: number; damaged: number } | undefined;
      if (!f) continue; // said below, in the transaction
      const gone = f.missing === 1 || blobFileState(blobPath(this.ctx.paths.objects, f.hash)).state === 'missing';
      if (gone || f.damaged === 1) {
        return { status: 'skipped' as const, reason: `${f.name}'s stored bytes are ${gone ? 'missing' : 'damaged'}: it was not moved to Trash, nor anything else of the group. Run \`shoebox check --repair\` (it stores them again from the original where that still exists), then look at the group again` };
      }
    }
    return this.ctx.cdb.write(() => {
      const all = [...sel.keep, ...sel.remove];
      const live = db.prepare(`SELECT COUNT(*) AS n FROM files WHERE trashed_at IS NULL AND id IN (${all.map(() => '?').join(',')})`).get(...all) as { n: number };
      if (live.n !== all.length) return { status: 'skipped' as const, reason: 'the group changed since it was listed (an image is gone); list it again' };
      // never one version of a file for another ([Note: Versions are not similar images])
      const kept = new Set(sel.keep);
      for (const id of sel.remove) {
        const other = fileHistory(this.ctx, id).find((v) => v.fileId !== id && kept.has(v.fileId));
        if (other) return { status: 'skipped' as const, reason: `${other.name} (file ${other.fileId}) and file ${id} are versions of one edited file, not similar images: nothing was moved to Trash` };
      }
      const albumsOf = (ids: number[]) => db.prepare(`SELECT DISTINCT a.id, a.name FROM memberships m JOIN albums a ON a.id = m.album_id AND a.kind = 'user' WHERE m.file_id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Array<{ id: number; name: string }>;
      const keptAlbums = new Set(albumsOf(sel.keep).map((a) => a.id));
      const needing = sel.remove.length ? albumsOf(sel.remove).filter((a) => !keptAlbums.has(a.id)) : [];
      for (const a of needing) this.ctx.catalog.addMembership(a.id, sel.keep[0]!);
      const trashed = this.trash.trash(sel.remove, { forgetSources: true, reason: 'similar image removed' });
      if (undo) this.undos.record(undo, { trashed: sel.remove, given: needing.map((a) => ({ albumId: a.id, fileId: sel.keep[0]! })) });
      return { status: 'applied' as const, trashed, albumsGiven: needing.map((a) => a.name) };
    });
  }

  /** Starts recording the applies of one confirm, so it can be undone as a whole; returns its id. */
  beginApply(): string {
    return this.undos.begin();
  }

  /** Undoes one confirm: what it moved to Trash is restored, the album memberships it gave are taken back. */
  undo(id: string): UndoResult {
    return this.undos.undo(id);
  }

  /** The most recent confirm that can be undone (from this process or an earlier one). */
  latestUndo(): { id: string; appliedAt: number; trashed: number } | undefined {
    return this.undos.latest();
  }
}
