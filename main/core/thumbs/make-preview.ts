import path from 'node:path';
import { decodeForDisplay } from '../media/make-preview.js';

/** A request for a large preview of one image blob. */
export interface LargePreviewTask {
  blobPath: string;
  mediaType: string;
  /** Longest side of the preview; the image is never enlarged. */
  maxSide: number;
  /** A folder for temp files (the process's tmp folder in the library). */
  tmpDir: string;
}

/** A preview as WebP bytes with its size. Plain data: it crosses the worker boundary. */
export type LargePreviewResult = { ok: true; webp: Uint8Array; width: number; height: number } | { ok: false; message: string };

/**
 * A large preview of an image (same decode as the viewer's, see media/make-preview.ts), sized
 * for looking at it closely, e.g. the side-by-side compare of Similar images. Not cached: it is
 * made when asked. A file that can't be decoded is reported, never thrown.
 */
export async function makeLargePreview(task: LargePreviewTask): Promise<LargePreviewResult> {
  try {
    const d = await decodeForDisplay(task.blobPath, task.mediaType, path.join(task.tmpDir, 'large-preview'));
    try {
      const { data, info } = await d.image.resize(task.maxSide, task.maxSide, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 85 }).toBuffer({ resolveWithObject: true });
      return { ok: true, webp: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    } finally {
      await d.cleanup();
    }
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}
