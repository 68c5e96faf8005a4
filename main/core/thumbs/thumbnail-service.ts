import fs from 'node:fs';
import path from 'node:path';
import { noteBlobRead } from '../blobs/blob-health.js';
import { blobPath } from '../blobs/blob-store.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, isErrno } from '../errors.js';
import type { ThumbnailResult } from './make-thumbnail.js';

/** A file's preview: a cached WebP, or a placeholder the UI draws (videos, undecodable files). */
export type Thumbnail =
  | { kind: 'image'; path: string; width: number | null; height: number | null }
  | { kind: 'placeholder'; reason: 'video' | 'undecodable' };

/**
 * Thumbnails, made lazily in the worker pool and cached under `<library>/thumbnails/` by
 * content hash (copies share one). Making one also records the image's dimensions and capture
 * date on every file with those bytes. A file that can't be decoded is remembered as such.
 */
export class ThumbnailService {
  private readonly inflight = new Map<string, Promise<Thumbnail>>();

  constructor(private readonly ctx: EngineContext) {}

  private cachePath(hash: string, ext: 'webp' | 'none'): string {
    return path.join(this.ctx.paths.thumbnails, hash.slice(0, 2), `${hash}.${ext}`);
  }

  /** The preview of a library file (made now if needed). */
  async get(fileId: number): Promise<Thumbnail> {
    const row = this.ctx.cdb.db.prepare('SELECT blob_hash AS hash, media_type AS mediaType, width, height FROM files WHERE id = ?').get(fileId) as
      | { hash: string; mediaType: string; width: number | null; height: number | null }
      | undefined;
    if (!row) throw new ShoeboxError('NOT_FOUND', `There is no file ${fileId} in the library.`);
    if (row.mediaType.startsWith('video/')) return { kind: 'placeholder', reason: 'video' };
    const webp = this.cachePath(row.hash, 'webp');
    if (fs.existsSync(webp)) return { kind: 'image', path: webp, width: row.width, height: row.height };
    if (fs.existsSync(this.cachePath(row.hash, 'none'))) return { kind: 'placeholder', reason: 'undecodable' };
    let p = this.inflight.get(row.hash);
    if (!p) {
      p = this.make(row.hash, row.mediaType).finally(() => this.inflight.delete(row.hash));
      this.inflight.set(row.hash, p);
    }
    return p;
  }

  private async make(hash: string, mediaType: string): Promise<Thumbnail> {
    const outPath = this.cachePath(hash, 'webp');
    const res: ThumbnailResult = await this.ctx.pool.thumbnail({ blobPath: blobPath(this.ctx.paths.objects, hash), mediaType, outPath, expectedHash: hash });
    const now = this.ctx.now();
    if (res.kind === 'placeholder' && res.blob) {
      // Not the photo's fault: no "undecodable" marker, so the preview comes once the bytes are stored again.
      noteBlobRead(this.ctx.cdb, hash, res.blob, now);
      return { kind: 'placeholder', reason: 'undecodable' };
    }
    if (res.kind === 'image') noteBlobRead(this.ctx.cdb, hash, 'verified', now);
    if (res.kind === 'placeholder') {
      if (res.reason === 'undecodable') {
        fs.mkdirSync(path.dirname(outPath), { recursive: true });
        fs.writeFileSync(this.cachePath(hash, 'none'), res.message ?? '');
        this.ctx.log.debug('no preview', { hash, reason: res.message });
      }
      this.ctx.cdb.write(() => this.ctx.cdb.db.prepare('UPDATE files SET facts_at = ? WHERE blob_hash = ?').run(now, hash));
      return { kind: 'placeholder', reason: res.reason };
    }
    this.ctx.cdb.write(() =>
      this.ctx.cdb.db.prepare('UPDATE files SET width = ?, height = ?, taken_at = COALESCE(taken_at, ?), facts_at = ? WHERE blob_hash = ?').run(res.width, res.height, res.takenAt, now, hash),
    );
    return { kind: 'image', path: outPath, width: res.width, height: res.height };
  }

  /** Removes the cached previews of blobs that were purged. */
  forget(hashes: string[]): void {
    for (const h of hashes) {
      for (const ext of ['webp', 'none'] as const) {
        try {
          fs.rmSync(this.cachePath(h, ext));
        } catch (err) {
          if (!isErrno(err, 'ENOENT')) throw err;
        }
      }
    }
  }
}
