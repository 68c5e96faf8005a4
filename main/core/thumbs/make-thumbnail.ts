import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { makeDirBelow } from '../library/library-home.js';
import { videoFrame } from '../media/video-poster.js';
import { loadHeicDecoder } from '../media/heic.js';
import { hashFile } from '../upload/ingest-file.js';

/** Longest side of a thumbnail, in pixels (enough for a 2× grid cell). */
export const THUMB_SIZE = 320;

/** Refuse to decode images with more pixels than this (decompression bombs): 200 MP. */
const MAX_PIXELS = 200_000_000;

/** A request to make one thumbnail. */
export interface ThumbnailTask {
  /** The blob to read. */
  blobPath: string;
  mediaType: string;
  /** Where to write the WebP (written to a temp name, then renamed). */
  outPath: string;
  /** The blob's hash: its bytes are verified first (a damaged blob is reported, not previewed). */
  expectedHash?: string;
}

/** What making a thumbnail learned. Plain data: it crosses the worker boundary. */
export type ThumbnailResult =
  | { kind: 'image'; width: number; height: number; video: boolean }
  | { kind: 'placeholder'; reason: 'undecodable'; message?: string; /** the library's bytes are at fault */ blob?: 'missing' | 'damaged' };

/**
 * Makes a WebP thumbnail of an image blob (EXIF orientation applied) or of a video's poster
 * frame (ffmpeg, ~1 s in), and reads the image's dimensions. HEIC/HEIF go through heic-decode
 * (sharp's prebuilt libvips can't decode HEVC). Undecodable files and corrupt videos get a
 * placeholder result instead: a broken file must never take the engine down, only its preview.
 */
export async function makeThumbnail(task: ThumbnailTask): Promise<ThumbnailResult> {
  if (!fs.existsSync(task.blobPath)) return { kind: 'placeholder', reason: 'undecodable', message: 'its stored bytes are missing', blob: 'missing' };
  // Previews read the whole blob anyway: verifying it costs one more pass from the page cache.
  if (task.expectedHash !== undefined && hashFile(task.blobPath) !== task.expectedHash) {
    return { kind: 'placeholder', reason: 'undecodable', message: 'its stored bytes are damaged (hash mismatch)', blob: 'damaged' };
  }
  try {
    let image: Sharp;
    const video = task.mediaType.startsWith('video/');
    if (video) {
      image = sharp(await videoFrame(task.blobPath, 2 * THUMB_SIZE));
    } else if (/^image\/hei[cf]/.test(task.mediaType)) {
      const decoded = await (await loadHeicDecoder())({ buffer: fs.readFileSync(task.blobPath) });
      if (decoded.width * decoded.height > MAX_PIXELS) throw new Error(`${decoded.width}×${decoded.height} is too large to preview`);
      image = sharp(Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength), { raw: { width: decoded.width, height: decoded.height, channels: 4 } });
    } else {
      image = sharp(task.blobPath, { limitInputPixels: MAX_PIXELS, failOn: 'error' });
    }
    makeDirBelow(path.dirname(task.outPath), 2); // thumbnails/ab, never the library folder itself
    const tmp = `${task.outPath}.${process.pid}.tmp`;
    const info = await image.autoOrient().resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toFile(tmp);
    fs.renameSync(tmp, task.outPath);
    // Dimensions of the original, after orientation: the thumbnail's aspect scaled up.
    const meta = await sharpMetaOrientation(task, image);
    return { kind: 'image', width: meta.width || info.width, height: meta.height || info.height, video };
  } catch (err) {
    return { kind: 'placeholder', reason: 'undecodable', message: (err as Error).message };
  }
}

async function sharpMetaOrientation(task: ThumbnailTask, image: Sharp): Promise<{ width: number; height: number }> {
  const m = await image.metadata();
  const w = m.width ?? 0;
  const h = m.height ?? 0;
  // EXIF orientations 5–8 swap width and height.
  return (m.orientation ?? 1) >= 5 && !/^image\/hei[cf]/.test(task.mediaType) ? { width: h, height: w } : { width: w, height: h };
}
