import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { tempDir } from './fixtures.js';
import { ffmpegCandidates } from '../../main/core/media/video-poster.js';

/** True if Debian's heif-enc (package libheif-examples) is installed. */
export function haveHeifEnc(): boolean {
  return spawnSync('sh', ['-c', 'command -v heif-enc'], { stdio: 'ignore' }).status === 0;
}

/** A real HEIC file (HEVC-coded) made by heif-enc from a generated picture; with `thumbnail`, one stored in it of that size (as phones do). */
export async function heic(width = 64, height = 48, color = '#36a', thumbnail?: number): Promise<Buffer> {
  const dir = tempDir();
  const png = path.join(dir, 'in.png');
  await sharp({ create: { width, height, channels: 3, background: color } }).png().toFile(png);
  execFileSync('heif-enc', ['-q', '60', ...(thumbnail ? ['-t', String(thumbnail)] : []), '-o', path.join(dir, 'out.heic'), png], { stdio: 'ignore' });
  return fs.readFileSync(path.join(dir, 'out.heic'));
}

/** A JPEG with an EXIF capture date and an orientation that swaps width and height. */
export function jpegWithExif(width: number, height: number, taken: string, orientation = 6): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c84' } })
    .withExif({ IFD2: { DateTimeOriginal: taken } })
    .withMetadata({ orientation })
    .jpeg()
    .toBuffer();
}

/** The start of a QuickTime movie: enough to be sniffed as video/quicktime. */
export function movHeader(bytes = 4096, fill = 1): Buffer {
  const mov = Buffer.alloc(bytes, fill);
  mov.writeUInt32BE(20, 0);
  mov.write('ftypqt  ', 4, 'latin1');
  return mov;
}

/** A real H.264 MP4 (test pattern) made with the bundled ffmpeg, with a QuickTime creation time. */
export function mp4(seconds: number, opts: { size?: string; createdAt?: string } = {}): Buffer {
  const dir = tempDir();
  const out = path.join(dir, 'clip.mp4');
  const ffmpeg = ffmpegCandidates()[0];
  if (!ffmpeg) throw new Error('no ffmpeg: the npm package @ffmpeg-installer/ffmpeg should provide one');
  execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${opts.size ?? '320x240'}:rate=25`, '-t', String(seconds), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart',
    ...(opts.createdAt ? ['-metadata', `creation_time=${opts.createdAt}`] : []), out], { stdio: 'ignore' });
  return fs.readFileSync(out);
}

/** Bytes that start like an MP4 but are not a video (a corrupt file's poster is a placeholder). */
export function corruptMp4(bytes = 5000): Buffer {
  const b = Buffer.alloc(bytes, 7);
  b.writeUInt32BE(24, 0);
  b.write('ftypmp42', 4, 'latin1');
  return b;
}

/** A JPEG with an EXIF capture date and camera (none when `taken` is empty) and the given size (no rotation). */
export function photo(width: number, height: number, taken: string, color = '#c84', camera = { make: 'Canon', model: 'Canon EOS R6' }): Promise<Buffer> {
  const img = sharp({ create: { width, height, channels: 3, background: color } });
  return (taken ? img.withExif({ IFD0: { Make: camera.make, Model: camera.model }, IFD2: { DateTimeOriginal: taken } }) : img).jpeg({ quality: 80 }).toBuffer();
}

/**
 * A real DNG camera RAW file — a Bayer mosaic with DNG 1.4 tags and an RGB preview in IFD0 —
 * written by Debian's python3-tifffile (test/support/make-dng.py), with the preview in `color`.
 * Undefined when python3-tifffile is not installed (`.ci/setup test` installs it).
 */
export async function realDng(previewWidth: number, previewHeight: number, color: string): Promise<Buffer | undefined> {
  if (spawnSync('/usr/bin/python3', ['-c', 'import tifffile'], { stdio: 'ignore' }).status !== 0) return undefined;
  const dir = tempDir();
  const rgb = path.join(dir, 'preview.rgb');
  fs.writeFileSync(rgb, await sharp({ create: { width: previewWidth, height: previewHeight, channels: 3, background: color } }).raw().toBuffer());
  const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/support/make-dng.py');
  execFileSync('/usr/bin/python3', [script, path.join(dir, 'out.dng'), rgb, String(previewWidth), String(previewHeight)], { stdio: 'ignore' });
  return fs.readFileSync(path.join(dir, 'out.dng'));
}
