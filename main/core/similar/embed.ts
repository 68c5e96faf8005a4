import fs from 'node:fs';
import path from 'node:path';
import { decodeHeic, rawImage, withHeicPixels } from '../media/heic.js';
import { BUILT_IN_HEIC_FAILED, heifTool, isHeif } from '../media/heif-tools.js';
import sharp, { type Sharp } from 'sharp';
import { imageFeatures, type ImageFeatures } from './image-features.js';

/** The model's input size. */
export const INPUT = 224;

/** An image made ready for the model: 224×224 RGB bytes, its upright size, and what the second opinion and the best-shot choice read. */
export interface DecodedImage {
  pixels: Uint8Array;
  width: number;
  height: number;
  features: ImageFeatures;
}

/**
 * Decodes an image straight to the model's 224×224 RGB (HEIC through libheif; EXIF
 * orientation applied). [Note: One decode for the model]
 * One libvips pipeline: the JPEG loader shrinks on load (a 12 MP file decodes at 1/8 scale),
 * orientation is applied to the small image, and the header read for the size costs 0.6 ms; the
 * whole step runs at the speed of sharp's own `resize(224, 224)` of the same file (measured
 * 60–68 ms of CPU each on 12 MP JPEGs, one libvips thread, for both: entropy decoding is the
 * cost, and `autoOrient()` before `resize()` does not defeat the shrink-on-load).
 */
export async function decodeForModel(file: string, mediaType: string, tmpDir?: string): Promise<DecodedImage> {
  return decodeUpright(file, mediaType, tmpDir, modelInput);
}

/** Side of the thumbnail the pixel check of near-identical images compares (see sameLayout). */
export const LAYOUT = 64;

/**
 * An image as LAYOUT×LAYOUT RGB bytes (stretched to the square, orientation applied): what the
 * pixel check of a near-identical pair compares ([Note: Near-identical is checked on pixels]).
 * The same decode as the model's.
 */
export async function decodeLayout(file: string, mediaType: string, tmpDir?: string): Promise<Uint8Array> {
  return decodeUpright(file, mediaType, tmpDir, async (img) => {
    const raw = await img.removeAlpha().toColourspace('srgb').resize(LAYOUT, LAYOUT, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
    return new Uint8Array(raw.buffer, raw.byteOffset, LAYOUT * LAYOUT * 3);
  });
}

/** Decodes an image upright (HEIC through the system's libheif or its WebAssembly build) and hands it on with its upright size. */
async function decodeUpright<T>(file: string, mediaType: string, tmpDir: string | undefined, then: (img: Sharp, size: { width: number; height: number }) => Promise<T>): Promise<T> {
  if (isHeif(mediaType)) {
    // The system's libheif where installed, in a process of its own: the WebAssembly decoder's
    // memory never shrinks, and a library with HEICs took the indexer to 530 MB (issue #17).
    if (tmpDir && heifTool('heif-convert')) {
      const d = await decodeHeic(file, path.join(tmpDir, 'model-input.jpg'));
      try {
        const m = await d.image.metadata();
        return await then(d.image, { width: m.width ?? 0, height: m.height ?? 0 });
      } finally {
        await d.cleanup();
      }
    }
    // one full-size HEIC at a time, resized before the next is decoded (withHeicPixels)
    return withHeicPixels(fs.readFileSync(file), (d) => then(rawImage(d), { width: d.width, height: d.height }));
  }
  const img = sharp(file, { limitInputPixels: 200_000_000, failOn: 'error', sequentialRead: true }).autoOrient();
  const m = await img.metadata();
  const swap = (m.orientation ?? 1) >= 5;
  return then(img, { width: (swap ? m.height : m.width) ?? 0, height: (swap ? m.width : m.height) ?? 0 });
}

/** An image resized to the model's input, with what the second opinion and the best-shot choice read. */
async function modelInput(img: Sharp, size: { width: number; height: number }): Promise<DecodedImage> {
  const raw = await img.removeAlpha().toColourspace('srgb').resize(INPUT, INPUT, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
  const pixels = new Uint8Array(raw.buffer, raw.byteOffset, INPUT * INPUT * 3);
  return { pixels, ...size, features: imageFeatures(pixels, INPUT, INPUT) };
}

/** Decodes an image to 224×224 RGB floats in [0,1], NHWC, at `offset` of `out`; returns its upright size. */
export async function preprocess(file: string, mediaType: string, out: Float32Array, offset: number): Promise<{ width: number; height: number }> {
  const d = await decodeForModel(file, mediaType);
  for (let i = 0; i < INPUT * INPUT * 3; i++) out[offset + i] = d.pixels[i]! / 255;
  return { width: d.width, height: d.height };
}

/**
 * What decoding one image gave. Plain data: it crosses the worker boundary. `forNow`: the
 * failure says nothing about the image (its stored file is missing, or memory or address space
 * ran out), so it is not recorded against it and is tried again on a later pass.
 */
export type DecodeResult = ({ ok: true } & DecodedImage) | { ok: false; message: string; forNow?: boolean };

/** Failures of the moment, not of the image: a file gone (libvips: "Input file is missing"), memory or file limits. */
const FOR_NOW = /Input file is missing|ENOENT|ENOMEM|EMFILE|ENFILE|Out of memory|Cannot allocate|Array buffer allocation failed/i;

/** Decodes one image for the model; a file that fails is reported as data, never thrown. */
export async function decodeTask(file: string, mediaType: string, tmpDir?: string): Promise<DecodeResult> {
  try {
    return { ok: true, ...(await decodeForModel(file, mediaType, tmpDir)) };
  } catch (err) {
    const message = (err as Error).message;
    if (err instanceof RangeError || FOR_NOW.test(message)) return { ok: false, message, forNow: true };
    const builtInOnly = isHeif(mediaType) && !(tmpDir && heifTool('heif-convert'));
    return { ok: false, message: builtInOnly ? BUILT_IN_HEIC_FAILED + message : message };
  }
}

/** Images to make pixel-check thumbnails of (see decodeLayout). */
export interface LayoutTask {
  items: Array<{ path: string; mediaType: string }>;
  tmpDir?: string;
}

/** Each image's LAYOUT×LAYOUT RGB thumbnail, or null where it can't be decoded (then it is not near-identical to anything). */
export async function layoutFiles(task: LayoutTask): Promise<Array<Uint8Array | null>> {
  const out: Array<Uint8Array | null> = [];
  for (const item of task.items) out.push(await decodeLayout(item.path, item.mediaType, task.tmpDir).catch(() => null));
  return out;
}
