import fs from 'node:fs';
import decodeHeic from 'heic-decode';
import sharp, { type Sharp } from 'sharp';

/** A request for a large preview of one image blob. */
export interface PreviewTask {
  blobPath: string;
  mediaType: string;
  /** Longest side of the preview; the image is never enlarged. */
  maxSide: number;
}

/** A preview as WebP bytes with its size. Plain data: it crosses the worker boundary. */
export type PreviewResult = { ok: true; webp: Uint8Array; width: number; height: number } | { ok: false; message: string };

/**
 * A large preview of an image (EXIF orientation applied; HEIC through heic-decode) for
 * looking at it closely, e.g. the side-by-side compare of Similar images. Not cached: it is
 * made when asked. A file that can't be decoded is reported, never thrown.
 */
export async function makePreview(task: PreviewTask): Promise<PreviewResult> {
  try {
    let image: Sharp;
    if (/^image\/hei[cf]/.test(task.mediaType)) {
      const d = await decodeHeic({ buffer: fs.readFileSync(task.blobPath) });
      image = sharp(Buffer.from(d.data.buffer, d.data.byteOffset, d.data.byteLength), { raw: { width: d.width, height: d.height, channels: 4 } });
    } else image = sharp(task.blobPath, { limitInputPixels: 200_000_000, failOn: 'error' }).autoOrient();
    const { data, info } = await image.resize(task.maxSide, task.maxSide, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 85 }).toBuffer({ resolveWithObject: true });
    return { ok: true, webp: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}
