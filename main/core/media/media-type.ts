import path from 'node:path';
// file-type is loaded on first sniff (in the ingest threads): the main thread imports this
// module for the name rules only, and loading file-type cost every command ~50 ms of start-up.
let fileType: Promise<typeof import('file-type')> | undefined;

/** How many leading bytes content sniffing looks at (file-type's recommended sample size). */
export const SNIFF_BYTES = 4100;

/** Files larger than this are refused with a visible per-file error (DESIGN §2). */
export const MAX_FILE_BYTES = 10 * 1024 ** 3;

/** What a file's bytes (and, as a fallback, its name) say it is. */
export type MediaVerdict =
  | { kind: 'media'; mediaType: string; by: 'content' | 'extension' }
  | { kind: 'other'; mediaType: string | null };

// file-type classes CAD drawings as image/*; they are not photos.
const NOT_PHOTOS = new Set(['image/vnd.dwg']);

// [Note: Media by content, extension as a fallback]
// Content decides whenever it is recognised: a PDF renamed .jpg is ignored, a JPEG named
// .dat is backed up. Only when the content is *not* recognised (a photo whose header is
// damaged, or a format the sniffer doesn't know) does a media extension count: for a backup
// tool, storing a damaged photo beats silently dropping it.
const EXTENSION_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.jpe': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif',
  '.webp': 'image/webp', '.avif': 'image/avif', '.heic': 'image/heic', '.heif': 'image/heif', '.tif': 'image/tiff',
  '.tiff': 'image/tiff', '.bmp': 'image/bmp', '.dng': 'image/x-adobe-dng', '.cr2': 'image/x-canon-cr2',
  '.cr3': 'image/x-canon-cr3', '.nef': 'image/x-nikon-nef', '.arw': 'image/x-sony-arw', '.orf': 'image/x-olympus-orf',
  '.rw2': 'image/x-panasonic-rw2', '.raf': 'image/x-fujifilm-raf', '.srw': 'image/x-samsung-srw', '.pef': 'image/x-pentax-pef',
  '.jxl': 'image/jxl', '.mp4': 'video/mp4', '.m4v': 'video/x-m4v', '.mov': 'video/quicktime', '.avi': 'video/vnd.avi',
  '.mkv': 'video/matroska', '.webm': 'video/webm', '.3gp': 'video/3gpp', '.mts': 'video/mp2t', '.m2ts': 'video/mp2t',
  '.mpg': 'video/mpeg', '.mpeg': 'video/mpeg', '.wmv': 'video/x-ms-asf',
};

/** Image types every browser (and Electron's Chromium) shows as they are. */
const SHOWN_AS_IS = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'image/x-icon']);

/** True for an image a browser shows as it is (no decoded copy needed to look at it). */
export function shownAsIs(mediaType: string): boolean {
  return SHOWN_AS_IS.has(mediaType);
}

/** True for a camera RAW format: shown through the JPEG preview the camera embedded in it. */
export function isRawType(mediaType: string): boolean {
  return /^image\/x-(adobe-dng|canon-cr[23]|nikon-nef|sony-arw|olympus-orf|panasonic-rw2|fujifilm-raf|samsung-srw|pentax-pef)$/.test(mediaType) || mediaType === 'image/x-raw';
}

/** True for a MIME type Shoebox backs up. */
export function isMediaType(mime: string): boolean {
  return (mime.startsWith('image/') || mime.startsWith('video/')) && !NOT_PHOTOS.has(mime);
}

/** The media type a file name's extension suggests, if it is a media extension. */
export function mediaTypeFromName(name: string): string | undefined {
  return EXTENSION_TYPES[path.extname(name).toLowerCase()];
}

/** Classifies a file from its first bytes (at least SNIFF_BYTES when the file is that long) and its name. */
export async function classifyMedia(head: Uint8Array, name: string): Promise<MediaVerdict> {
  const sniffed = head.length > 0 ? await (await (fileType ??= import('file-type'))).fileTypeFromBuffer(head) : undefined;
  if (sniffed) {
    return isMediaType(sniffed.mime) ? { kind: 'media', mediaType: sniffed.mime, by: 'content' } : { kind: 'other', mediaType: sniffed.mime };
  }
  const byName = mediaTypeFromName(name);
  return byName ? { kind: 'media', mediaType: byName, by: 'extension' } : { kind: 'other', mediaType: null };
}

/**
 * Names Shoebox never backs up: hidden files and folders (dot-names, which include macOS
 * `._*` resource forks and `.DS_Store`) and Windows' `Thumbs.db` / `desktop.ini`.
 */
export function isIgnoredName(name: string): boolean {
  if (name.startsWith('.')) return true;
  const lower = name.toLowerCase();
  return lower === 'thumbs.db' || lower === 'desktop.ini' || lower === 'ehthumbs.db';
}
