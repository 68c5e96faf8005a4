import fs from 'node:fs';
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { DISPLAY_SIZE } from './display-size.js';
import { decodeHeic, type Decoded } from './heic.js';
import { isHeif } from './heif-tools.js';

/** Refuse to decode images with more pixels than this (decompression bombs): 200 MP. */
const MAX_PIXELS = 200_000_000;

/**
 * Opens an image for display at full size, orientation applied: HEIC through libheif (see
 * [Note: Which HEIC decoder]; sharp's prebuilt libvips can't read it), everything else through
 * sharp. `near`: a path whose folder may hold temp files. Call `cleanup` once the image is
 * written out. Throws for an undecodable file.
 */
export async function decodeForDisplay(input: string, mediaType: string, near: string): Promise<Decoded> {
  if (isHeif(mediaType)) return decodeHeic(input, near);
  return { image: sharp(input, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).autoOrient(), cleanup: () => Promise.resolve() };
}

/** A request for displayable copies of an image the browser can't show (HEIC, TIFF, RAW previews). */
export interface PreviewTask {
  /** The blob, or an embedded JPEG ExifTool extracted from a RAW file. */
  input: string;
  mediaType: string;
  /** The full-size JPEG. */
  outPath: string;
  /** The display copy (DISPLAY_SIZE), from the same decode. */
  displayPath?: string;
}

/** Writes a JPEG of `img` to a temp name beside `out`, then renames it into place. */
async function writeJpeg(img: Sharp, out: string, quality: number): Promise<OutputInfo> {
  const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const info = await img.jpeg({ quality, mozjpeg: false }).toFile(tmp);
  await fs.promises.rename(tmp, out);
  return info;
}

/**
 * Decodes an image once and writes it as a full-size JPEG (quality 90, orientation applied)
 * and, when asked, its display copy. Throws for an undecodable file.
 */
export async function makePreview(task: PreviewTask): Promise<{ width: number; height: number }> {
  const d = await decodeForDisplay(task.input, task.mediaType, task.outPath);
  try {
    if (task.displayPath) await writeJpeg(d.image.clone().resize(DISPLAY_SIZE, DISPLAY_SIZE, { fit: 'inside', withoutEnlargement: true }), task.displayPath, 82);
    const info = await writeJpeg(d.image, task.outPath, 90);
    return { width: info.width, height: info.height };
  } finally {
    await d.cleanup();
  }
}
