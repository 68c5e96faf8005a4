/** Side of the structural thumbnail the second opinion compares (grey, mean-pooled). */
export const STRUCT = 16;

/**
 * What the decoded 224×224 image tells beyond the embedding: its sharpness (variance of the
 * Laplacian of the grey image; blur lowers it), how much of it is clipped to black or white
 * (exposure), and a 16×16 grey thumbnail for the structural second opinion.
 */
export interface ImageFeatures {
  sharpness: number;
  /** Fraction of pixels at or below luma 3 / at or above 252. */
  clippedDark: number;
  clippedBright: number;
  thumb: Uint8Array;
}

/** Measures an RGB image (interleaved bytes). */
export function imageFeatures(rgb: Uint8Array, width: number, height: number): ImageFeatures {
  const grey = new Float32Array(width * height);
  let dark = 0;
  let bright = 0;
  for (let i = 0; i < grey.length; i++) {
    const y = 0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!;
    grey[i] = y;
    if (y <= 3) dark++;
    else if (y >= 252) bright++;
  }
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const lap = grey[i - 1]! + grey[i + 1]! + grey[i - width]! + grey[i + width]! - 4 * grey[i]!;
      sum += lap;
      sq += lap * lap;
      n++;
    }
  }
  const mean = n ? sum / n : 0;
  const thumb = new Uint8Array(STRUCT * STRUCT);
  for (let ty = 0; ty < STRUCT; ty++) {
    for (let tx = 0; tx < STRUCT; tx++) {
      const x0 = Math.floor((tx * width) / STRUCT);
      const x1 = Math.floor(((tx + 1) * width) / STRUCT);
      const y0 = Math.floor((ty * height) / STRUCT);
      const y1 = Math.floor(((ty + 1) * height) / STRUCT);
      let s = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += grey[y * width + x]!;
      thumb[ty * STRUCT + tx] = Math.round(s / Math.max(1, (x1 - x0) * (y1 - y0)));
    }
  }
  return { sharpness: n ? sq / n - mean * mean : 0, clippedDark: dark / grey.length, clippedBright: bright / grey.length, thumb };
}

/** Bytes of a stored feature record. */
const RECORD = 12 + STRUCT * STRUCT;

/** Packs features for the catalog (3 float32 and the thumbnail). */
export function encodeFeatures(f: ImageFeatures): Buffer {
  const b = Buffer.alloc(RECORD);
  b.writeFloatLE(f.sharpness, 0);
  b.writeFloatLE(f.clippedDark, 4);
  b.writeFloatLE(f.clippedBright, 8);
  b.set(f.thumb, 12);
  return b;
}

/** Unpacks stored features (null for a record of another size: not comparable). */
export function decodeFeatures(b: Buffer | null | undefined): ImageFeatures | null {
  if (!b || b.length !== RECORD) return null;
  return { sharpness: b.readFloatLE(0), clippedDark: b.readFloatLE(4), clippedBright: b.readFloatLE(8), thumb: new Uint8Array(b.subarray(12)) };
}

/**
 * The structural second opinion: the normalized cross-correlation of two 16×16 grey
 * thumbnails (1 = the same layout of light and dark; brightness, contrast, colour edits,
 * resizing and recompression leave it near 1; a different photo of a like scene does not).
 */
export function structuralSimilarity(a: Uint8Array, b: Uint8Array): number {
  return ncc(a, b, 0, 1);
}

/**
 * How alike two LAYOUT×LAYOUT RGB thumbnails are pixel for pixel: the lowest of the three
 * channels' normalized cross-correlations (1 = the same picture; resizing and recompression
 * leave it near 1; a different photo, a different page of a document, or the same pattern in
 * other colours does not). See [Note: Near-identical is checked on pixels].
 */
export function pixelSimilarity(a: Uint8Array, b: Uint8Array): number {
  return Math.min(ncc(a, b, 0, 3), ncc(a, b, 1, 3), ncc(a, b, 2, 3));
}

/** Normalized cross-correlation of the samples offset, offset+stride, … of two equal-length images. */
function ncc(a: Uint8Array, b: Uint8Array, offset: number, stride: number): number {
  let ma = 0;
  let mb = 0;
  let n = 0;
  for (let i = offset; i < a.length; i += stride) {
    ma += a[i]!;
    mb += b[i]!;
    n++;
  }
  ma /= n;
  mb /= n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = offset; i < a.length; i += stride) {
    const x = a[i]! - ma;
    const y = b[i]! - mb;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  // flat images: alike only if both are flat, and of about the same shade
  if (aa === 0 || bb === 0) return aa === bb && Math.abs(ma - mb) <= 8 ? 1 : 0;
  return ab / Math.sqrt(aa * bb);
}
