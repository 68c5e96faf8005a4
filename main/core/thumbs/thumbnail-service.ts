import fs from 'node:fs';
import path from 'node:path';
import { noteBlobRead } from '../blobs/blob-health.js';
import { blobPath } from '../blobs/blob-store.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, isErrno } from '../errors.js';
import { makeDirBelow } from '../library/library-home.js';
import { shownAsIs } from '../media/media-type.js';
import type { TaskPriority } from '../upload/priority-task-queue.js';
import type { ThumbnailResult } from './make-thumbnail.js';

/** A file's preview: a cached WebP (a video's is its poster frame), or a placeholder the UI draws (undecodable files, corrupt videos). */
export type Thumbnail =
  | { kind: 'image'; path: string; width: number | null; height: number | null }
  | { kind: 'placeholder'; reason: 'undecodable' };

/**
 * Thumbnails, made lazily in the worker pool and cached under `<library>/thumbnails/` by
 * content hash (copies share one). Making one also records an image's dimensions on every file
 * with those bytes. A file that can't be decoded is remembered as such (and the queue goes on).
 */
export class ThumbnailService {
  private readonly inflight = new Map<string, Promise<Thumbnail>>();

  constructor(private readonly ctx: EngineContext) {}

  /** Where a file's cached derivative lives (previews beside thumbnails, so storage counts and purge removes both). */
  cachePath(hash: string, ext: 'webp' | 'none' | 'preview.jpg' | 'display.jpg'): string {
    return path.join(this.ctx.paths.thumbnails, hash.slice(0, 2), `${hash}.${ext}`);
  }

  /** The preview of a library file (made now if needed; `view` when the viewer waits for it). */
  async get(fileId: number, priority: TaskPriority = 'thumb'): Promise<Thumbnail> {
    const row = this.row(fileId);
    const webp = this.cachePath(row.hash, 'webp');
    if (fs.existsSync(webp)) return { kind: 'image', path: webp, width: row.width, height: row.height };
    if (fs.existsSync(this.cachePath(row.hash, 'none'))) return { kind: 'placeholder', reason: 'undecodable' };
    return this.making(row.hash, row.mediaType, priority);
  }

  /**
   * Whether an image's display copy (HEIC, TIFF; see DISPLAY_SIZE) is made: a thumbnail task of
   * such an image writes it from the same decode, so one in flight is waited for. False when
   * there is none yet (the caller makes it).
   */
  async madeDisplay(fileId: number): Promise<boolean> {
    const row = this.row(fileId);
    const out = this.cachePath(row.hash, 'display.jpg');
    const inflight = this.inflight.get(row.hash);
    // Its failure is the thumbnail's to report (a placeholder); the display copy is then made anew.
    if (inflight) await Promise.allSettled([inflight]);
    return fs.existsSync(out);
  }

  private row(fileId: number): { hash: string; mediaType: string; width: number | null; height: number | null } {
    const row = this.ctx.cdb.db.prepare('SELECT blob_hash AS hash, media_type AS mediaType, width, height FROM files WHERE id = ?').get(fileId) as
      | { hash: string; mediaType: string; width: number | null; height: number | null }
      | undefined;
    if (!row) throw new ShoeboxError('NOT_FOUND', `There is no file ${fileId} in the library.`);
    return row;
  }

  private wantsDisplay(mediaType: string): boolean {
    return mediaType.startsWith('image/') && !shownAsIs(mediaType);
  }

  /** The thumbnail being made for these bytes (one task per content at a time). */
  private making(hash: string, mediaType: string, priority: TaskPriority): Promise<Thumbnail> {
    let p = this.inflight.get(hash);
    if (!p) {
      p = this.make(hash, mediaType, priority).finally(() => this.inflight.delete(hash));
      this.inflight.set(hash, p);
    }
    return p;
  }

  /** A large preview of an image (compare view), made in a worker when asked; a clear error for a video or an undecodable file. */
  async preview(fileId: number, maxSide: number): Promise<{ webp: Uint8Array; width: number; height: number }> {
    const row = this.ctx.cdb.db.prepare('SELECT blob_hash AS hash, media_type AS mediaType, name FROM files WHERE id = ?').get(fileId) as { hash: string; mediaType: string; name: string } | undefined;
    if (!row) throw new ShoeboxError('NOT_FOUND', `There is no file ${fileId} in the library.`);
    if (!row.mediaType.startsWith('image/')) throw new ShoeboxError('INVALID_ARGUMENT', `${row.name} is not an image, so it has no preview.`);
    const r = await this.ctx.pool.largePreview({ blobPath: blobPath(this.ctx.paths.objects, row.hash), mediaType: row.mediaType, maxSide, tmpDir: this.ctx.tmpDir });
    if (!r.ok) throw new ShoeboxError('IO_ERROR', `${row.name} could not be decoded for a preview (${r.message}); its stored bytes may be damaged.`, { hint: 'Run `shoebox check --read-data` to find out.' });
    return r;
  }

  private async make(hash: string, mediaType: string, priority: TaskPriority): Promise<Thumbnail> {
    const outPath = this.cachePath(hash, 'webp');
    const displayPath = this.wantsDisplay(mediaType) ? { displayPath: this.cachePath(hash, 'display.jpg') } : {};
    const res: ThumbnailResult = await this.ctx.pool.thumbnail({ blobPath: blobPath(this.ctx.paths.objects, hash), mediaType, outPath, expectedHash: hash, ...displayPath }, priority);
    const now = this.ctx.now();
    if (res.kind === 'placeholder' && res.blob) {
      // Not the photo's fault: no "undecodable" marker, so the preview comes once the bytes are stored again.
      noteBlobRead(this.ctx.cdb, hash, res.blob, now);
      return { kind: 'placeholder', reason: 'undecodable' };
    }
    if (res.kind === 'image') noteBlobRead(this.ctx.cdb, hash, 'verified', now);
    if (res.kind === 'placeholder') {
      makeDirBelow(path.dirname(outPath), 2);
      fs.writeFileSync(this.cachePath(hash, 'none'), res.message ?? '');
      this.ctx.log.debug('no preview', { hash, reason: res.message });
      this.ctx.cdb.write(() => this.ctx.cdb.db.prepare('UPDATE files SET facts_at = ? WHERE blob_hash = ?').run(now, hash));
      return { kind: 'placeholder', reason: res.reason };
    }
    // A video's poster is scaled: its dimensions come from its metadata (capture-date-service.ts).
    // A HEIC thumbnailed from the small image stored in it has no size here: the capture-date reader finds it.
    if (!res.video && res.width !== null) this.ctx.cdb.write(() => this.ctx.cdb.db.prepare('UPDATE files SET width = ?, height = ?, facts_at = ? WHERE blob_hash = ?').run(res.width, res.height, now, hash));
    return { kind: 'image', path: outPath, width: res.video ? null : res.width, height: res.video ? null : res.height };
  }

  /** Removes the cached previews of blobs that were purged. */
  forget(hashes: string[]): void {
    for (const h of hashes) {
      for (const ext of ['webp', 'none', 'preview.jpg', 'display.jpg'] as const) {
        try {
          fs.rmSync(this.cachePath(h, ext));
        } catch (err) {
          if (!isErrno(err, 'ENOENT')) throw err;
        }
      }
    }
  }
}
