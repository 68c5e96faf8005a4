import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { blobPath } from '../blobs/blob-store.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError } from '../errors.js';
import type { TrashService } from '../trash/trash-service.js';
import { F16_TABLE, toF16 } from './f16.js';

/**
 * Images per inference call. Measured on the 2-core VM (one intra-op thread): 18 ms per image at
 * batch 2, 4 or 8 alike, but the session's peak memory grows with the batch (229 / 299 / 419 MB
 * for the whole process), so batches are small.
 */
const EMBED_BATCH = 4;

/** SQL: file f is a live image with blob b's content. */
const LIVE_IMAGE_OF_B = `f.blob_hash = b.hash AND f.trashed_at IS NULL AND f.media_type LIKE 'image/%'`;
/** SQL: blob b has neither an embedding nor a recorded failure for model @m. */
const B_NOT_INDEXED = `NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.blob_hash = b.hash AND e.model_id = @m)
  AND NOT EXISTS (SELECT 1 FROM embedding_failures x WHERE x.blob_hash = b.hash AND x.model_id = @m)`;

/** The default similarity threshold (cosine), chosen on the labeled fixtures: see resources/models/README.md. */
export const DEFAULT_THRESHOLD = 0.8;

/** One image in a similar group. */
export interface SimilarImage {
  fileId: number;
  name: string;
  size: number;
  width: number | null;
  height: number | null;
  mediaType: string;
  albums: string[];
  /** How similar it is to the group's first image (its centre). */
  similarity: number;
}

/** A group of visually similar images (different contents). */
export interface SimilarGroup {
  id: string;
  images: SimilarImage[];
  /** Default: keep the best (highest resolution, then largest file). */
  keep: number[];
}

/** What the user confirmed for one group. */
export interface SimilarSelection {
  keep: number[];
  remove: number[];
}

/** Progress of indexing. */
export interface IndexStatus {
  enabled: boolean;
  modelId: string | null;
  modelMessage: string | null;
  indexed: number;
  pending: number;
  failed: number;
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

  constructor(private readonly ctx: EngineContext, private readonly trash: TrashService, readonly modelPath: string) {}

  /** The model's id: its file name and content hash. Throws a clear error if the model is missing. */
  modelId(): string {
    if (this.cachedModelId) return this.cachedModelId;
    if (!fs.existsSync(this.modelPath)) throw new ShoeboxError('NOT_FOUND', `The image model is missing (${this.modelPath}). Run \`npm run build:model\` (or set SHOEBOX_MODEL to a model file).`);
    this.cachedModelId = `${path.basename(this.modelPath)}@${createHash('sha256').update(fs.readFileSync(this.modelPath)).digest('hex').slice(0, 12)}`;
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
         WHERE b.hash > @after AND mediaType IS NOT NULL AND ${B_NOT_INDEXED}
         ORDER BY b.hash LIMIT @limit`,
      )
      .all({ m: this.modelId(), limit, after }) as Array<{ hash: string; mediaType: string }>;
  }

  /** How many images still need an embedding (counted, not listed). */
  private pendingCount(): number {
    return (this.ctx.cdb.db
      .prepare(`SELECT COUNT(*) AS n FROM blobs b WHERE EXISTS (SELECT 1 FROM files f WHERE ${LIVE_IMAGE_OF_B}) AND ${B_NOT_INDEXED}`)
      .get({ m: this.modelId() }) as { n: number }).n;
  }

  /** How far indexing is. */
  status(): IndexStatus {
    let modelId: string | null = null;
    let modelMessage: string | null = null;
    try {
      modelId = this.modelId();
    } catch (err) {
      modelMessage = (err as ShoeboxError).userMessage ?? (err as Error).message;
    }
    const q = (sql: string) => (modelId ? (this.ctx.cdb.db.prepare(sql).get(modelId) as { n: number }).n : 0);
    return {
      enabled: this.enabled, modelId, modelMessage,
      indexed: q('SELECT COUNT(*) AS n FROM embeddings WHERE model_id = ?'),
      pending: modelId ? this.pendingCount() : 0,
      failed: q('SELECT COUNT(*) AS n FROM embedding_failures WHERE model_id = ?'),
    };
  }

  /**
   * Embeds images that have none yet for this model, in batches through the worker pool (at
   * most two batches at once, so backups and the UI keep their share). Resumable: each batch is
   * committed as it finishes. Stops when `shouldStop` says so (pause, shutdown).
   */
  async index(opts: { max?: number; shouldStop?: () => boolean; onProgress?: (done: number) => void } = {}): Promise<number> {
    const modelPath = this.modelPath;
    const modelId = this.modelId();
    let done = 0;
    const max = opts.max ?? Infinity;
    while (done < max && !opts.shouldStop?.()) {
      let todo = this.pendingQuery(Math.min(32, max - done), this.cursor);
      if (todo.length === 0 && this.cursor !== '') {
        this.cursor = ''; // wrap around: images added behind the cursor meanwhile
        todo = this.pendingQuery(Math.min(32, max - done));
      }
      if (todo.length === 0) break;
      this.cursor = todo.at(-1)!.hash;
      const batches: Array<typeof todo> = [];
      for (let i = 0; i < todo.length; i += EMBED_BATCH) batches.push(todo.slice(i, i + EMBED_BATCH));
      let next = 0;
      const lane = async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          const results = await this.ctx.pool.embed({ modelPath, items: batch.map((b) => ({ path: blobPath(this.ctx.paths.objects, b.hash), mediaType: b.mediaType })) });
          const now = this.ctx.now();
          this.ctx.cdb.write(() => {
            const db = this.ctx.cdb.db;
            results.forEach((r, i) => {
              const hash = batch[i]!.hash;
              if (r.ok) {
                const h = toF16(r.vector);
                db.prepare('INSERT OR REPLACE INTO embeddings (blob_hash, model_id, dim, vector, created_at) VALUES (?, ?, ?, ?, ?)').run(hash, modelId, r.vector.length, Buffer.from(h.buffer, h.byteOffset, h.byteLength), now);
                db.prepare('UPDATE files SET width = COALESCE(width, ?), height = COALESCE(height, ?) WHERE blob_hash = ?').run(r.width, r.height, hash);
              } else {
                db.prepare('INSERT OR REPLACE INTO embedding_failures (blob_hash, model_id, message) VALUES (?, ?, ?)').run(hash, modelId, r.message.slice(0, 500));
              }
            });
          });
          done += batch.length;
          opts.onProgress?.(done);
        }
      };
      await Promise.all([lane(), lane()]);
    }
    return done;
  }

  /** Groups of similar images at this threshold (computed in a worker). */
  async groups(threshold = DEFAULT_THRESHOLD): Promise<SimilarGroup[]> {
    if (!(threshold > 0 && threshold <= 1)) throw new ShoeboxError('INVALID_ARGUMENT', `The threshold is a cosine similarity between 0 and 1 (default ${DEFAULT_THRESHOLD}), not ${threshold}.`);
    const r = await this.ctx.pool.groupSimilar({ catalogPath: this.ctx.paths.catalog, modelId: this.modelId(), threshold, threads: 2 });
    const db = this.ctx.cdb.db;
    const fileOf = db.prepare(
      `SELECT f.id AS fileId, f.name, f.size, f.width, f.height, f.media_type AS mediaType,
              (SELECT GROUP_CONCAT(a.name, char(30)) FROM memberships m JOIN albums a ON a.id = m.album_id AND a.kind = 'user' WHERE m.file_id = f.id) AS albums
       FROM files f WHERE f.blob_hash = ? AND f.trashed_at IS NULL ORDER BY f.id LIMIT 1`,
    );
    const vec = db.prepare('SELECT vector FROM embeddings WHERE blob_hash = ? AND model_id = ?');
    const modelId = this.modelId();
    const decode = (b: Buffer) => new Uint16Array(b.buffer, b.byteOffset, b.length / 2);
    const groups: SimilarGroup[] = [];
    for (const hashes of r.groups) {
      const centre = decode((vec.get(hashes[0], modelId) as { vector: Buffer }).vector);
      const images: SimilarImage[] = [];
      for (const h of hashes) {
        const f = fileOf.get(h) as (Omit<SimilarImage, 'albums' | 'similarity'> & { albums: string | null }) | undefined;
        if (!f) continue;
        images.push({ ...f, albums: f.albums ? f.albums.split('\u001e').sort() : [], similarity: cosineF16(centre, decode((vec.get(h, modelId) as { vector: Buffer }).vector)) });
      }
      if (images.length < 2) continue;
      const best = [...images].sort((a, b) => (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0) || b.size - a.size || a.fileId - b.fileId)[0]!;
      groups.push({ id: createHash('sha256').update(hashes.join()).digest('hex').slice(0, 12), images, keep: [best.fileId] });
    }
    return groups;
  }

  /**
   * Applies one group in one transaction (DESIGN §5): the removed images go to Trash, and every
   * album that held a removed image and now holds none of the kept ones gets a membership of
   * the first kept image, so no album loses its scene. A group that changed since it was
   * listed (an image gone) is skipped whole.
   */
  apply(sel: SimilarSelection): { status: 'applied'; trashed: number; albumsGiven: string[] } | { status: 'skipped'; reason: string } {
    if (sel.keep.length === 0) throw new ShoeboxError('INVALID_ARGUMENT', 'Keep at least one image of each group.');
    if (sel.remove.some((id) => sel.keep.includes(id))) throw new ShoeboxError('INVALID_ARGUMENT', 'An image cannot be both kept and removed.');
    const db = this.ctx.cdb.db;
    return this.ctx.cdb.write(() => {
      const all = [...sel.keep, ...sel.remove];
      const live = db.prepare(`SELECT COUNT(*) AS n FROM files WHERE trashed_at IS NULL AND id IN (${all.map(() => '?').join(',')})`).get(...all) as { n: number };
      if (live.n !== all.length) return { status: 'skipped' as const, reason: 'the group changed since it was listed (an image is gone); list it again' };
      const albumsOf = (ids: number[]) => db.prepare(`SELECT DISTINCT a.id, a.name FROM memberships m JOIN albums a ON a.id = m.album_id AND a.kind = 'user' WHERE m.file_id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Array<{ id: number; name: string }>;
      const keptAlbums = new Set(albumsOf(sel.keep).map((a) => a.id));
      const needing = sel.remove.length ? albumsOf(sel.remove).filter((a) => !keptAlbums.has(a.id)) : [];
      for (const a of needing) this.ctx.catalog.addMembership(a.id, sel.keep[0]!);
      const trashed = this.trash.trash(sel.remove, { forgetSources: true, reason: 'similar image removed' });
      return { status: 'applied' as const, trashed, albumsGiven: needing.map((a) => a.name) };
    });
  }
}

/** Cosine of two normalized half-precision vectors, to three decimals (for display). */
function cosineF16(a: Uint16Array, b: Uint16Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += F16_TABLE[a[i]!]! * F16_TABLE[b[i]!]!;
  return Math.round(dot * 1000) / 1000;
}
