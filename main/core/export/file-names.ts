import path from 'node:path';

/** The longest file or folder name the file systems we write to take, in bytes (NAME_MAX). */
const NAME_MAX_BYTES = 255;
/** An extension longer than this is no extension worth keeping whole when a name is shortened. */
const EXT_MAX_BYTES = 16;

/**
 * A folder or file name safe on every file system we write to (no separators or NULs; escaped
 * raw bytes are kept, see raw-names; not hidden), shortened to NAME_MAX_BYTES when longer: an album or file
 * name of 300 characters is valid in the catalog but no file system takes it (ENAMETOOLONG).
 */
export function safeName(name: string): string {
  // Not hidden either: a folder or file whose name starts with "." is left out when the export is
  // brought in again (and hidden from a person browsing it).
  const s = safeChars(name).trim().replace(/^\./, '_');
  if (s === '' || s === '_' || s === '_.') return '_';
  const { stem, ext } = splitExt(s);
  return fitName(stem, ext);
}

/** A name's characters made safe (no separators or NULs; escaped raw bytes kept), nothing else changed. */
export function safeChars(name: string): string {
  return name.replace(/[/\\]|\0(?![0-9a-f]{2})/g, '_');
}

/** A name's stem and extension (an over-long "extension" is part of the stem). */
export function splitExt(name: string): { stem: string; ext: string } {
  const ext = path.extname(name);
  return Buffer.byteLength(ext) <= EXT_MAX_BYTES ? { stem: name.slice(0, name.length - ext.length), ext } : { stem: name, ext: '' };
}

/**
 * `stem + tail` in at most NAME_MAX_BYTES bytes: the stem is shortened by whole characters,
 * never inside an escaped raw byte (`\0` and two hex digits, one byte on disk, counted as three).
 */
export function fitName(stem: string, tail: string): string {
  const room = NAME_MAX_BYTES - Buffer.byteLength(tail);
  if (Buffer.byteLength(stem) <= room) return stem + tail;
  let out = '';
  let bytes = 0;
  for (const ch of stem) {
    const b = Buffer.byteLength(ch);
    if (bytes + b > room) break;
    out += ch;
    bytes += b;
  }
  return out.replace(/\0[0-9a-f]?$/, '') + tail;
}
