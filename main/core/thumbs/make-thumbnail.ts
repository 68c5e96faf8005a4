import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import sharp, { type Sharp } from 'sharp';
import { blobFileState } from '../blobs/blob-store.js';
import { makeDirBelow } from '../library/library-home.js';
import { videoFrame } from '../media/video-poster.js';
import { DISPLAY_SIZE } from '../media/display-size.js';
import { decodeHeic, heicThumbnail, type Decoded } from '../media/heic.js';
import { isHeif } from '../media/heif-tools.js';
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
  /**
   * Also write a display copy here (JPEG, DISPLAY_SIZE), from the same decode: for images a
   * browser can't show as they are (HEIC, TIFF), whose decode is the expensive part.
   */
  displayPath?: string;
}

/** What making a thumbnail learned. Plain data: it crosses the worker boundary. */
export type ThumbnailResult =
  | { kind: 'image'; width: number | null; height: number | null; video: boolean }
  | { kind: 'placeholder'; reason: 'undecodable'; message?: string; /** the library's bytes are at fault */ blob?: 'missing' | 'damaged' };

/**
 * Makes a WebP thumbnail of an image blob (EXIF orientation applied) or of a video's poster
 * frame (ffmpeg, ~1 s in), and reads the image's dimensions; with `displayPath`, the display copy too. HEIC/HEIF go through libheif
 * (sharp's prebuilt libvips can't decode HEVC). Undecodable files and corrupt videos get a
 * placeholder result instead: a broken file must never take the engine down, only its preview.
 */
export async function makeThumbnail(task: ThumbnailTask): Promise<ThumbnailResult> {
  const found = blobFileState(task.blobPath);
  if (found.state === 'missing') return { kind: 'placeholder', reason: 'undecodable', message: 'its stored bytes are missing', blob: 'missing' };
  // A link is not stored bytes, whatever it points at ([Note: Stored bytes are never a link]).
  if (found.state === 'not-stored') return { kind: 'placeholder', reason: 'undecodable', message: found.why, blob: 'damaged' };
  // Previews read the whole blob anyway: verifying it costs one more pass from the page cache.
  if (task.expectedHash !== undefined && hashFile(task.blobPath) !== task.expectedHash) {
    return { kind: 'placeholder', reason: 'undecodable', message: 'its stored bytes are damaged (hash mismatch)', blob: 'damaged' };
  }
  let decoded: Decoded | undefined;
  try {
    let image: Sharp;
    let display = task.displayPath;
    let size: { width: number; height: number } | null = null;
    const video = task.mediaType.startsWith('video/');
    makeDirBelow(path.dirname(task.outPath), 2); // thumbnails/ab, never the library folder itself
    if (video) {
      image = sharp(await videoFrame(task.blobPath, 2 * THUMB_SIZE));
    } else if (isHeif(task.mediaType)) {
      // The thumbnail stored in the file when there is one: no display copy then (made when the
      // photo is opened), and the photo's size comes from its metadata (capture dates).
      decoded = await heicThumbnail(task.blobPath, THUMB_SIZE, task.outPath);
      if (decoded) display = undefined;
      else {
        decoded = await decodeHeic(task.blobPath, task.outPath);
        const m = await decoded.image.metadata();
        size = { width: m.width ?? 0, height: m.height ?? 0 };
      }
      image = decoded.image;
    } else {
      image = sharp(task.blobPath, { limitInputPixels: MAX_PIXELS, failOn: 'error' });
    }
    if (display && !video) {
      const tmpDisplay = `${display}.${process.pid}.${threadId}.tmp`;
      await image.clone().autoOrient().resize(DISPLAY_SIZE, DISPLAY_SIZE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82 }).toFile(tmpDisplay);
      fs.renameSync(tmpDisplay, display);
    }
    const tmp = `${task.outPath}.${process.pid}.${threadId}.tmp`;
    const info = await image.autoOrient().resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toFile(tmp);
    fs.renameSync(tmp, task.outPath);
    if (isHeif(task.mediaType)) return { kind: 'image', width: size?.width || null, height: size?.height || null, video };
    // Dimensions of the original, after orientation: the thumbnail's aspect scaled up.
    const meta = await sharpMetaOrientation(image);
    return { kind: 'image', width: meta.width || info.width, height: meta.height || info.height, video };
  } catch (err) {
    return { kind: 'placeholder', reason: 'undecodable', message: (err as Error).message };
  } finally {
    await decoded?.cleanup();
  }
}

async function sharpMetaOrientation(image: Sharp): Promise<{ width: number; height: number }> {
  const m = await image.metadata();
  const w = m.width ?? 0;
  const h = m.height ?? 0;
  // EXIF orientations 5–8 swap width and height.
  return (m.orientation ?? 1) >= 5 ? { width: h, height: w } : { width: w, height: h };
}
