import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { embedFiles } from '../../main/core/similar/infer.js';
import { layoutFiles } from '../../main/core/similar/embed.js';
import { decodeFeatures, encodeFeatures, type ImageFeatures } from '../../main/core/similar/image-features.js';
import type { CalibrationImage } from './calibration-set.js';

/** An image of the set with what the engine computes for it. */
export interface EmbeddedImage extends CalibrationImage {
  vector: Float32Array;
  width: number;
  height: number;
  features: ImageFeatures;
}

/**
 * Embeds the images with the engine's own decode and model (the same code the index runs),
 * cached per model and image list in `cacheDir` so a re-run of the sweep or a second test file
 * does not pay for it again.
 */
export async function embedCalibration(modelPath: string, images: CalibrationImage[], cacheDir: string): Promise<EmbeddedImage[]> {
  const model = createHash('sha256').update(fs.readFileSync(modelPath)).digest('hex').slice(0, 12);
  const key = createHash('sha256').update(images.map((i) => i.file).join('\n')).digest('hex').slice(0, 12);
  const cache = path.join(cacheDir, `embeddings-${model}-${key}.json`);
  type Row = { v: string; w: number; h: number; f: string };
  let rows: Row[] | undefined;
  if (fs.existsSync(cache)) rows = JSON.parse(fs.readFileSync(cache, 'utf8')) as Row[];
  if (!rows || rows.length !== images.length) {
    const fresh: Row[] = [];
    rows = fresh;
    const r = await embedFiles({ modelPath, items: images.map((b) => ({ path: b.file, mediaType: mediaTypeOf(b.file) })) });
    r.forEach((x, k) => {
      if (!x.ok) throw new Error(`${images[k]!.file}: ${x.message}`);
      fresh.push({ v: Buffer.from(x.vector.buffer, x.vector.byteOffset, x.vector.byteLength).toString('base64'), w: x.width, h: x.height, f: encodeFeatures(x.features).toString('base64') });
    });
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(`${cache}.tmp`, JSON.stringify(rows));
    fs.renameSync(`${cache}.tmp`, cache);
  }
  return images.map((img, i) => {
    const r = rows[i]!;
    const b = Buffer.from(r.v, 'base64');
    return { ...img, vector: new Float32Array(b.buffer, b.byteOffset, b.length / 4), width: r.w, height: r.h, features: decodeFeatures(Buffer.from(r.f, 'base64'))! };
  });
}

/** The media type the engine would give a calibration file. */
function mediaTypeOf(file: string): string {
  return file.endsWith('.png') ? 'image/png' : file.endsWith('.webp') ? 'image/webp' : 'image/jpeg';
}

/** Each image's pixel-check thumbnail, made by the engine's own code (decodeLayout); not cached (~10 ms an image). */
export async function layoutsOf(images: CalibrationImage[]): Promise<Uint8Array[]> {
  const r = await layoutFiles({ items: images.map((b) => ({ path: b.file, mediaType: mediaTypeOf(b.file) })) });
  return r.map((x, k) => {
    if (!x) throw new Error(`${images[k]!.file}: not decodable`);
    return x;
  });
}

/** Cosine of two normalized vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
