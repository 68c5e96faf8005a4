import fs from 'node:fs';
import path from 'node:path';

/**
 * [Note: Which HEIC decoder] sharp's prebuilt libvips reads no HEVC, so HEIC goes through
 * libheif-js (libheif in WebAssembly, in the npm package: it works everywhere). Where the
 * system has libheif's own tools (Debian: libheif-examples, heif-thumbnailer), they are used
 * first, measured on a 2.6 MB 12 MP HEIC on the 2-core build machine: the WebAssembly decoder + a display
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

/** HEIC and HEIF images (sharp's prebuilt libvips can't decode them). */
export function isHeif(mediaType: string): boolean {
  return /^image\/hei[cf]/.test(mediaType);
}

/**
 * How a HEIC failure that only the built-in (WebAssembly) decoder saw begins: it tells the user
 * what may read it, and the index tries such images again once the system's libheif is there
 * (SimilarService.retryWithSystemHeic). Here, not beside the decoder, so the main thread can
 * match it without loading the decoder.
 */
export const BUILT_IN_HEIC_FAILED = 'the built-in HEIC decoder could not read it (installing the system\'s libheif, Debian: libheif-examples, gives it a second try): ';
