import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { ShoeboxError } from '../errors.js';
import { MAX_FILE_BYTES, isIgnoredName } from '../media/media-type.js';

/** One file inside a ZIP archive that is worth extracting. */
export interface ZipEntryInfo {
  /** The entry's path inside the archive, '/'-separated, validated (no `..`, not absolute). */
  name: string;
  /** Its folder inside the archive ('' at the top). */
  relDir: string;
  size: number;
  mtimeMs: number;
}

/** An entry that was not extracted, and why. */
export interface ZipProblem {
  entry: string;
  message: string;
}

/** Entries that inflate more than this ratio are treated as zip bombs (photos barely compress). */
const MAX_RATIO = 200;

/**
 * Opens a ZIP archive and lists its regular files (streamed: the central directory only).
 * Unsafe names (`../`, absolute, drive letters), encrypted entries, oversize or bomb-like
 * entries are reported as problems and left out; the rest are listed.
 */
export async function listZip(zipPath: string): Promise<{ zip: yauzl.ZipFile; entries: Array<{ info: ZipEntryInfo; entry: yauzl.Entry }>; problems: ZipProblem[] }> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { autoClose: false, decodeStrings: false, validateEntrySizes: true });
  } catch (err) {
    throw new ShoeboxError('ZIP_INVALID', `${zipPath} is not a readable ZIP archive (${(err as Error).message}). Nothing from it was backed up.`, { cause: err });
  }
  const entries: Array<{ info: ZipEntryInfo; entry: yauzl.Entry }> = [];
  const problems: ZipProblem[] = [];
  await new Promise<void>((resolve) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      const raw = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      const problem = entryProblem(raw, entry);
      const name = problem ? raw : tidyEntryName(raw);
      if (problem) problems.push({ entry: name, message: problem });
      else if (!name.endsWith('/') && !name.split('/').some((seg) => isIgnoredName(seg) || seg === '__MACOSX')) {
        const dir = path.posix.dirname(name);
        entries.push({ info: { name, relDir: dir === '.' ? '' : dir, size: entry.uncompressedSize, mtimeMs: entry.getLastModDate().getTime() }, entry });
      }
      zip.readEntry();
    });
    zip.once('end', () => resolve());
    // Damage in the directory: what was listed before it is still backed up; the rest is reported.
    zip.once('error', (err: Error) => {
      problems.push({ entry: '(the rest of the archive)', message: `could not be read: ${path.basename(zipPath)} is damaged (${err.message}); entries after the damage were not backed up` });
      resolve();
    });
    zip.readEntry();
  });
  return { zip, entries, problems };
}

/**
 * `./a.jpg`, `d/./b.jpg` and `d//c.jpg` name the same files as `a.jpg`, `d/b.jpg` and `d/c.jpg`
 * (some archivers write them so). Without this, the `.` or empty segment read as a hidden name
 * and the photo was left out without a word.
 */
export function tidyEntryName(name: string): string {
  const dir = name.endsWith('/');
  const segs = name.split('/').filter((seg) => seg !== '' && seg !== '.');
  return segs.join('/') + (dir && segs.length > 0 ? '/' : '');
}

function entryProblem(name: string, entry: yauzl.Entry): string | null {
  const bad = yauzl.validateFileName(name);
  if (bad) return `unsafe name in archive (${bad}); skipped`;
  if (name.split('/').some((seg) => seg === '..')) return 'unsafe name in archive; skipped';
  if (entry.isEncrypted()) return 'is encrypted; Shoebox cannot read encrypted ZIP entries';
  if (!entry.canDecodeFileData()) return `uses an unsupported compression method (${entry.compressionMethod})`;
  if (entry.uncompressedSize > MAX_FILE_BYTES) return 'is larger than 10 GiB; not backed up';
  if (entry.uncompressedSize > 1 << 20 && entry.uncompressedSize > entry.compressedSize * MAX_RATIO) {
    return `inflates ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))}× (a zip bomb?); skipped`;
  }
  return null;
}

/** Reads one small entry (a sidecar) into memory, CRC-checked like extractEntry; refuses one over maxBytes. */
export async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, maxBytes: number): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) throw new Error(`is ${entry.uncompressedSize} bytes, too large to be a sidecar`);
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
  const chunks: Buffer[] = [];
  let crc = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    crc = zlib.crc32(chunk, crc);
    chunks.push(chunk);
  }
  if (crc >>> 0 !== entry.crc32 >>> 0) throw new Error('could not be read: its CRC-32 does not match (the entry is corrupt)');
  return Buffer.concat(chunks);
}

/**
 * Extracts one entry to a fresh temp file in tmpDir. yauzl checks the size while streaming; the
 * CRC-32 is checked here (yauzl does not), so a corrupt entry is refused rather than stored.
 */
export async function extractEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, tmpDir: string): Promise<string> {
  const out = path.join(tmpDir, `${randomBytes(8).toString('hex')}.zipentry`);
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
  let crc = 0;
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc = zlib.crc32(chunk, crc);
      done(null, chunk);
    },
    flush(done) {
      done(crc >>> 0 === entry.crc32 >>> 0 ? null : new Error(`its CRC-32 does not match (${(crc >>> 0).toString(16)} ≠ ${(entry.crc32 >>> 0).toString(16)}): the entry is corrupt`));
    },
  });
  try {
    await pipeline(stream, check, fs.createWriteStream(out, { flags: 'wx' }));
  } catch (err) {
    fs.rmSync(out, { force: true });
    throw err;
  }
  return out;
}
