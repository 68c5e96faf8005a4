import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { threadId } from 'node:worker_threads';
import sharp, { type Sharp } from 'sharp';

const run = promisify(execFile);

/** Refuse to decode images with more pixels than this (decompression bombs): 200 MP. */
const MAX_PIXELS = 200_000_000;

/**
 * heic-decode, loaded on first use: it instantiates libheif's WebAssembly (reserving gigabytes of
 * address space) when loaded, which failed every worker thread at start under a low `ulimit -v`
 * even for work that never meets a HEIC (export, upload hashing). See [Note: Running under tight limits].
 */
export async function loadHeicDecoder(): Promise<typeof import('heic-decode').default> {
  return (await import('heic-decode')).default;
}

/**
 * [Note: Which HEIC decoder] sharp's prebuilt libvips reads no HEVC, so HEIC goes through
 * heic-decode (libheif in WebAssembly, in the npm package: it works everywhere). Where the
 * system has libheif's own tools (Debian: libheif-examples, heif-thumbnailer), they are used
 * first, measured on a 2.6 MB 12 MP HEIC on the 2-core build machine: heic-decode + a display
 * JPEG 3.9–6.9 s, `heif-convert` to JPEG 1.4 s; and the thumbnail a phone stores in the file
 * (`heif-thumbnailer`) 0.23 s against a full decode. `SHOEBOX_HEIF_TOOLS=0` turns them off.
 */
export function heifTool(name: 'heif-convert' | 'heif-thumbnailer', env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.SHOEBOX_HEIF_TOOLS === '0') return undefined;
  for (const dir of ['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin']) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/** A decoded image and what to remove once it has been written out. */
export interface Decoded {
  image: Sharp;
  cleanup(): Promise<void>;
}

/** A temp file beside `near` (same folder, so no other file system is written), unique per thread. */
function tempBeside(near: string, ext: string): string {
  return `${near}.${process.pid}.${threadId}.${Math.random().toString(36).slice(2, 8)}${ext}`;
}

/** heif-convert writes `out-1.jpg`, `out-2.jpg`… for a file with several images (bursts): the first is the photo. */
function convertedFile(out: string): string | undefined {
  if (fs.existsSync(out)) return out;
  const first = out.replace(/\.jpg$/, '-1.jpg');
  return fs.existsSync(first) ? first : undefined;
}

/**
 * Decodes a HEIC/HEIF at full size, orientation applied ([Note: Which HEIC decoder]). `near`
 * names where temp files may go (the output's folder). Throws for an undecodable file. Call
 * `cleanup` once the image is written out.
 */
export async function decodeHeic(file: string, near: string, env: NodeJS.ProcessEnv = process.env): Promise<Decoded> {
  const convert = heifTool('heif-convert', env);
  if (convert) {
    const out = tempBeside(near, '.jpg');
    const remove = async () => {
      for (const f of [out, out.replace(/\.jpg$/, '-1.jpg'), out.replace(/\.jpg$/, '-2.jpg')]) await fs.promises.rm(f, { force: true });
    };
    try {
      await run(convert, ['-q', '92', file, out], { timeout: 120_000 });
      const got = convertedFile(out);
      if (got) return { image: sharp(got, { limitInputPixels: MAX_PIXELS, failOn: 'error' }), cleanup: remove };
    } catch {
      // this libheif can't read it (or is broken): the WebAssembly decoder below may
    }
    await remove();
  }
  const d = await decodeHeicPixels(await fs.promises.readFile(file));
  const image = sharp(Buffer.from(d.data.buffer, d.data.byteOffset, d.data.byteLength), { raw: { width: d.width, height: d.height, channels: 4 } });
  return { image, cleanup: () => Promise.resolve() };
}

/** The primary image of a HEIC as RGBA pixels, through the WebAssembly decoder. */
export interface HeicPixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/**
 * Decodes a HEIC's primary image with the WebAssembly decoder, its size checked first: an image
 * over `maxPixels` (a 5 MB file can hold 200+ MP) is refused before its pixels are allocated
 * (a 208 MP one took 2.5 GB to decode, then was refused).
 */
export async function decodeHeicPixels(buffer: Buffer, maxPixels = MAX_PIXELS): Promise<HeicPixels> {
  const images = await (await loadHeicDecoder()).all({ buffer });
  try {
    const first = images[0];
    if (!first) throw new Error('HEIF image not found');
    if (first.width * first.height > maxPixels) throw new Error(`${first.width}×${first.height} is too large to decode (over ${Math.round(maxPixels / 1e6)} MP)`);
    return await first.decode();
  } finally {
    images.dispose();
  }
}

let heicTurn: Promise<unknown> = Promise.resolve();

/**
 * Runs `use` on a HEIC's pixels, one HEIC at a time in this thread: the decoder is synchronous
 * WebAssembly, so taking turns costs no time, and only one full-size image (48 MB for 12 MP) is
 * alive at once — with several decodes in flight each held its image until its resize ended
 * (issue #17: indexing a library with HEICs peaked at 600–650 MB with four in flight).
 */
export function withHeicPixels<T>(buffer: Buffer, use: (d: HeicPixels) => Promise<T>): Promise<T> {
  const turn = heicTurn.then(async () => use(await decodeHeicPixels(buffer)));
  heicTurn = turn.catch(() => undefined);
  return turn;
}

/**
 * A HEIC's small image for a thumbnail of at most `size` pixels: the one the camera stored in
 * the file when there is one (heif-thumbnailer; else it scales the photo itself). Undefined
 * where the tool is not installed or fails: the caller decodes the photo.
 */
export async function heicThumbnail(file: string, size: number, near: string, env: NodeJS.ProcessEnv = process.env): Promise<Decoded | undefined> {
  const tool = heifTool('heif-thumbnailer', env);
  if (!tool) return undefined;
  const out = tempBeside(near, '.png');
  const cleanup = () => fs.promises.rm(out, { force: true });
  try {
    await run(tool, ['-s', String(size), file, out], { timeout: 60_000 });
    if (fs.existsSync(out)) return { image: sharp(out, { failOn: 'error' }), cleanup };
  } catch {
    // fall back to a full decode
  }
  await cleanup();
  return undefined;
}
