import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { threadId } from 'node:worker_threads';
import sharp, { type Sharp } from 'sharp';
import type { LibHeif } from 'libheif-js/libheif-wasm/libheif-bundle.js';
import { heifTool } from './heif-tools.js';

const run = promisify(execFile);

/** Refuse to decode images with more pixels than this (decompression bombs): 200 MP. */
const MAX_PIXELS = 200_000_000;

/**
 * libheif's WebAssembly module of this thread, made on first use: instantiating it reserves
 * gigabytes of address space, which failed every worker thread at start under a low `ulimit -v`
 * even for work that never meets a HEIC (export, upload hashing). See [Note: Running under tight
 * limits]. One per thread, reused: its memory (about 90 MB after a 12 MP photo) never shrinks,
 * and a fresh module per photo left the last one's to the garbage collector, two alive at once.
 */
let libheif: Promise<LibHeif> | undefined;

function libheifModule(): Promise<LibHeif> {
  libheif ??= (async () => {
    const m = (await import('libheif-js/libheif-wasm/libheif-bundle.js')).default();
    await m.ready;
    return m;
  })().catch((err: unknown) => {
    libheif = undefined; // out of address space now is no reason to fail every later try
    throw err;
  });
  return libheif;
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
  // a thumbnail or a view: ahead of the model's and the pixel check's HEICs ([Note: One HEIC decoder])
  const d = await decodeHeicPixels(await fs.promises.readFile(file), { urgent: true });
  return { image: rawImage(d), cleanup: () => Promise.resolve() };
}

/** The primary image of a HEIC as 8-bit RGB (RGBA where it has an alpha channel) pixels, rows packed. */
export interface HeicPixels {
  width: number;
  height: number;
  channels: 3 | 4;
  data: Uint8Array;
}

/** Pixels as a sharp image (no copy: sharp reads `data` while it works). */
export function rawImage(d: HeicPixels): Sharp {
  return sharp(Buffer.from(d.data.buffer, d.data.byteOffset, d.data.byteLength), { raw: { width: d.width, height: d.height, channels: d.channels } });
}

/** HEICs waiting for the decoder in this thread, those a person waits on first; and whether one is being decoded. */
const heicQueue: { urgent: Array<() => void>; rest: Array<() => void>; busy: boolean } = { urgent: [], rest: [], busy: false };

/** Waits for this thread's decoder; returns what gives it to the next HEIC. */
function heicTurn(urgent: boolean): Promise<() => void> {
  const release = () => {
    const next = heicQueue.urgent.shift() ?? heicQueue.rest.shift();
    if (next) next();
    else heicQueue.busy = false;
  };
  if (!heicQueue.busy) {
    heicQueue.busy = true;
    return Promise.resolve(release);
  }
  return new Promise((resolve) => (urgent ? heicQueue.urgent : heicQueue.rest).push(() => resolve(release)));
}

/**
 * [Note: One HEIC at a time]
 * Runs `use` on a HEIC's primary image, orientation applied, decoded by the WebAssembly libheif;
 * one HEIC at a time in this thread. `use` is handed a view of the decoder's own memory, valid
 * until the promise it returns settles: no copy of the photo is made (36 MB for 12 MP; heic-decode,
 * used before, kept an RGBA copy in the decoder and another in JavaScript). The decoder is
 * synchronous WebAssembly, so taking turns costs no time, and only one full-size image is alive
 * at once (issue #17: four decodes in flight took indexing to 600–650 MB). The image's size is
 * checked before it is decoded: a 5 MB file can hold 200+ MP, and a 208 MP one took 2.5 GB to
 * decode before it was refused. `urgent` (a thumbnail, a photo being viewed) goes ahead of the
 * HEICs waiting for the model or the pixel check, which share this thread ([Note: One HEIC decoder]).
 */
export async function withHeicPixels<T>(buffer: Uint8Array, use: (d: HeicPixels) => Promise<T>, opts: { maxPixels?: number; urgent?: boolean } = {}): Promise<T> {
  const maxPixels = opts.maxPixels ?? MAX_PIXELS;
  const release = await heicTurn(opts.urgent ?? false);
  try {
    const m = await libheifModule();
    const ctx = m.heif_context_alloc();
    try {
      const read = m.heif_context_read_from_memory(ctx, buffer);
      if (read.code !== m.heif_error_code.heif_error_Ok) throw new Error(`not a readable HEIF image: ${read.message}`);
      const handle = m.heif_js_context_get_primary_image_handle(ctx);
      if ('code' in handle) throw new Error(`HEIF image not found: ${handle.message}`);
      try {
        const width = m.heif_image_handle_get_width(handle);
        const height = m.heif_image_handle_get_height(handle);
        if (width * height > maxPixels) throw new Error(`${width}×${height} is too large to decode (over ${Math.round(maxPixels / 1e6)} MP)`);
        const channels = m.heif_image_handle_has_alpha_channel(handle) ? 4 : 3;
        const chroma = channels === 4 ? m.heif_chroma.heif_chroma_interleaved_RGBA : m.heif_chroma.heif_chroma_interleaved_RGB;
        const img = await m.heif_js_decode_image2(handle, m.heif_colorspace.heif_colorspace_RGB, chroma);
        if (!img || 'code' in img) throw new Error(`HEIF decoding failed${img ? `: ${img.message}` : ''}`);
        try {
          const plane = img.channels.find((c) => c.id === m.heif_channel.heif_channel_interleaved);
          if (!plane) throw new Error('HEIF decoding gave no pixels');
          const row = plane.width * channels;
          let data = plane.data.subarray(0, row * plane.height);
          if (plane.stride !== row) {
            // padded rows: packed into a copy (libheif pads only odd sizes)
            data = new Uint8Array(row * plane.height);
            for (let y = 0; y < plane.height; y++) data.set(plane.data.subarray(y * plane.stride, y * plane.stride + row), y * row);
          }
          return await use({ width: plane.width, height: plane.height, channels, data });
        } finally {
          m.heif_image_release(img.image);
        }
      } finally {
        m.heif_image_handle_release(handle);
      }
    } finally {
      m.heif_context_free(ctx);
    }
  } finally {
    release();
  }
}

/** A HEIC's primary image as pixels of its own (a copy, for use after the decoder's next turn); see withHeicPixels. */
export function decodeHeicPixels(buffer: Uint8Array, opts: { maxPixels?: number; urgent?: boolean } = {}): Promise<HeicPixels> {
  return withHeicPixels(buffer, (d) => Promise.resolve({ ...d, data: d.data.slice() }), opts);
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
