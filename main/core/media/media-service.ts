import fs from 'node:fs';
import path from 'node:path';
import { SharedExifTool } from '../dates/exiftool-reader.js';
import { blobPath } from '../blobs/blob-store.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError } from '../errors.js';
import type { ThumbnailService } from '../thumbs/thumbnail-service.js';
import { isRawType, shownAsIs } from './media-type.js';

/**
 * What the window asks for: a small preview, an image sized for the screen (`display`: the
 * original where a browser shows it as it is), a full-size displayable image, the original bytes.
 */
export type MediaKind = 'thumb' | 'display' | 'preview' | 'original';

/** A file to send: where it is, its type and size. */
export interface MediaFile {
  path: string;
  type: string;
  size: number;
}


/** A cached derivative to send. */
async function jpegOrWebp(file: string, type: 'image/jpeg' | 'image/webp'): Promise<MediaFile> {
  return { path: file, type, size: (await fs.promises.stat(file)).size };
}

/**
 * The media the window shows, by file id only — a URL never names a path, so nothing outside
 * the library can be reached through it (serve's /media/ and Electron's shoebox-media:// both
 * come here). Full-size previews of HEIC, TIFF and RAW are made once and cached beside the
 * thumbnails.
 */
export class MediaService {
  private readonly inflight = new Map<string, Promise<void>>();
  /** One ExifTool for RAW previews. */
  private readonly exiftool = new SharedExifTool({ maxProcs: 1 });

  constructor(private readonly ctx: EngineContext, private readonly thumbs: ThumbnailService) {}

  /** The file to send for a kind of media of a library file; NOT_FOUND when there is none. */
  async resolve(kind: MediaKind, fileId: number): Promise<MediaFile> {
    const row = this.ctx.cdb.db.prepare('SELECT blob_hash AS hash, media_type AS mediaType, size FROM files WHERE id = ?').get(fileId) as { hash: string; mediaType: string; size: number } | undefined;
    if (!row) throw new ShoeboxError('NOT_FOUND', `There is no file ${fileId} in the library.`);
    const blob = blobPath(this.ctx.paths.objects, row.hash);
    if (kind === 'original' || ((kind === 'preview' || kind === 'display') && (shownAsIs(row.mediaType) || row.mediaType.startsWith('video/')))) {
      return { path: blob, type: row.mediaType, size: row.size };
    }
    if (kind === 'thumb') {
      const t = await this.thumbs.get(fileId);
      if (t.kind !== 'image') throw new ShoeboxError('NOT_FOUND', 'This file has no preview (it could not be decoded).');
      return jpegOrWebp(t.path, 'image/webp');
    }
    const display = this.thumbs.cachePath(row.hash, 'display.jpg');
    const full = this.thumbs.cachePath(row.hash, 'preview.jpg');
    // A thumbnail being made may write the display copy (a HEIC decoded whole, a TIFF).
    if (kind === 'display' && (await this.thumbs.madeDisplay(fileId))) return jpegOrWebp(display, 'image/jpeg');
    let p = this.inflight.get(row.hash);
    if (!p) {
      p = this.makePreviews(blob, row.mediaType, full, display).finally(() => this.inflight.delete(row.hash));
      this.inflight.set(row.hash, p);
    }
    await p;
    return jpegOrWebp(kind === 'display' ? display : full, 'image/jpeg');
  }

  /**
   * Makes the full-size JPEG and the display copy of an image the browser can't show, from one
   * decode in the pool, before any thumbnail or background task waiting there ([Note: Pool
   * priorities]); a RAW through the JPEG the camera embedded in it.
   */
  private async makePreviews(blob: string, mediaType: string, out: string, displayPath: string): Promise<void> {
    if (fs.existsSync(out) && fs.existsSync(displayPath)) return;
    await fs.promises.mkdir(path.dirname(out), { recursive: true });
    let input = blob;
    let type = mediaType;
    let embedded: string | undefined;
    try {
      if (isRawType(mediaType)) ({ input, type, embedded } = await this.rawPreview(blob, out));
      await this.ctx.pool.preview({ input, mediaType: type, outPath: out, displayPath });
    } catch (err) {
      throw new ShoeboxError('NOT_FOUND', 'This photo cannot be shown (it could not be decoded).', { cause: err });
    } finally {
      if (embedded) await fs.promises.rm(embedded, { force: true });
    }
  }

  /**
   * The largest image a RAW file holds for showing: the JPEG the camera embedded (ExifTool),
   * else — a DNG, NEF, ARW or CR2 whose preview is not a JPEG — the first image of its TIFF
   * structure, which is its preview (sharp reads it as a TIFF).
   */
  private async rawPreview(blob: string, out: string): Promise<{ input: string; type: string; embedded?: string }> {
    const embedded = path.join(this.ctx.tmpDir, `raw-preview-${path.basename(out)}`);
    const et = await this.exiftool.get();
    try {
      await et.extractPreview(blob, embedded).catch(() => et.extractJpgFromRaw(blob, embedded));
      return { input: embedded, type: 'image/jpeg', embedded };
    } catch (err) {
      this.ctx.log.debug('no embedded JPEG in a RAW file; showing its TIFF preview', { error: (err as Error).message });
      await fs.promises.rm(embedded, { force: true });
      return { input: blob, type: 'image/tiff' };
    }
  }

  /** Ends ExifTool if it was started. */
  close(): Promise<void> {
    return this.exiftool.end();
  }
}
