import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { tempDir } from './fixtures.js';

/** True if Debian's heif-enc (package libheif-examples) is installed. */
export function haveHeifEnc(): boolean {
  return spawnSync('sh', ['-c', 'command -v heif-enc'], { stdio: 'ignore' }).status === 0;
}

/** A real HEIC file (HEVC-coded) made by heif-enc from a generated picture. */
export async function heic(width = 64, height = 48, color = '#36a'): Promise<Buffer> {
  const dir = tempDir();
  const png = path.join(dir, 'in.png');
  await sharp({ create: { width, height, channels: 3, background: color } }).png().toFile(png);
  execFileSync('heif-enc', ['-q', '60', '-o', path.join(dir, 'out.heic'), png], { stdio: 'ignore' });
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
