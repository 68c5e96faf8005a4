import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { jpeg, randomBytesSeeded, withComment } from '../support/fixtures.js';

/** A 12-megapixel JPEG with camera-like noise (about 6–7 MB, like a phone photo). */
export async function cameraLikeJpeg(seed: number, width = 4000, height = 3000): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let x = seed * 2654435761 || 1;
  for (let i = 0, p = 0; i < raw.length; i += 3, p++) {
    const px = p % width;
    const py = (p / width) | 0;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const n = x & 63;
    raw[i] = ((px * 255) / width + n + seed * 40) & 255;
    raw[i + 1] = ((py * 255) / height + n) & 255;
    raw[i + 2] = ((px + py) / 2 + n + seed * 17) & 255;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 88 }).toBuffer();
}

/**
 * A folder tree of at least `minBytes` of real-sized, all-different JPEGs, cached between runs
 * (generation takes a while). Each file is one of a few camera-like bases with a unique
 * comment segment, so every file has its own hash.
 */
export async function photoTree(dir: string, minBytes: number, folders = 10): Promise<{ files: number; bytes: number }> {
  const marker = path.join(dir, `.complete-${minBytes}`);
  if (fs.existsSync(marker)) return JSON.parse(fs.readFileSync(marker, 'utf8')) as { files: number; bytes: number };
  fs.rmSync(dir, { recursive: true, force: true });
  const bases = await Promise.all([1, 2, 3, 4, 5, 6].map((s) => cameraLikeJpeg(s)));
  let bytes = 0;
  let files = 0;
  while (bytes < minBytes) {
    const base = bases[files % bases.length]!;
    const file = withComment(base, randomBytesSeeded(`bench-${files}`, 16_384));
    const folder = path.join(dir, `Trip ${String(files % folders).padStart(2, '0')}`, files % 3 === 0 ? 'Day 1' : '');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `IMG_${String(files).padStart(4, '0')}.jpg`), file);
    bytes += file.length;
    files++;
  }
  const info = { files, bytes };
  fs.writeFileSync(marker, JSON.stringify(info));
  return info;
}

/**
 * A mixed-size tree like a real library (issue #18): `files` JPEGs, half of them 20–200 KB
 * (screenshots, small edits), most of the rest 200–400 KB, one in a hundred 1–20 MB (phone
 * photos, a few large files); sizes log-uniform within each band, spread over 50 folders two
 * levels deep. Every file has its own random bytes (a real photo's entropy: nothing for
 * restic's chunker or zstd to find), so no tool gets duplicates for free. Cached between runs.
 */
export async function mixedTree(dir: string, files = 5000): Promise<{ files: number; bytes: number; small: number }> {
  const marker = path.join(dir, `.complete-mixed-${files}`);
  if (fs.existsSync(marker)) return JSON.parse(fs.readFileSync(marker, 'utf8')) as { files: number; bytes: number; small: number };
  fs.rmSync(dir, { recursive: true, force: true });
  const base = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 90, g: 140, b: 200 } } }).jpeg().toBuffer();
  const band = (i: number): [number, number] => (i % 100 < 50 ? [20e3, 200e3] : i % 100 < 99 ? [200e3, 400e3] : [1e6, 20e6]);
  let x = 0x9e3779b9;
  const rand = () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
  let bytes = 0;
  let small = 0;
  for (let i = 0; i < files; i++) {
    const [lo, hi] = band(i);
    const size = Math.round(lo * Math.exp(rand() * Math.log(hi / lo)));
    const file = withComment(base, randomBytes(Math.max(0, size - base.length - 4 * Math.ceil(size / 65533))));
    const folder = path.join(dir, `Year ${2015 + (i % 10)}`, `Event ${String(i % 50).padStart(2, '0')}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `IMG_${String(i).padStart(5, '0')}.jpg`), file);
    bytes += file.length;
    if (file.length < 200e3) small++;
  }
  const info = { files, bytes, small };
  fs.writeFileSync(marker, JSON.stringify(info));
  return info;
}

/**
 * `files` tiny JPEGs (~300 bytes, each with its own bytes) spread round-robin over `folders`
 * folders in 40 year folders, like the 100k-file library of the watch benches. Cached between runs.
 */
export async function tinyTree(dir: string, files: number, folders: number): Promise<void> {
  const marker = path.join(dir, `.complete-tiny-${files}-${folders}`);
  if (fs.existsSync(marker)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  const base = await jpeg('idle-base');
  for (let i = 0; i < files; i++) {
    const d = path.join(dir, `Y${String(i % 40).padStart(2, '0')}`, `F${String(i % folders).padStart(4, '0')}`);
    if (i < folders) fs.mkdirSync(d, { recursive: true });
    const b = Buffer.from(base);
    b.write(String(i).padStart(8, '0'), 30, 'latin1');
    fs.writeFileSync(path.join(d, `IMG_${i}.jpg`), b);
  }
  fs.writeFileSync(marker, '');
}
