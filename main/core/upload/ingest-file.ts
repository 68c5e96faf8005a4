import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { BlobWriter, CHUNK, alignedChunkBuffer, fillChunk, fillChunkSync } from '../blobs/blob-writer.js';
import { O_NOFOLLOW } from '../blobs/blob-store.js';
import type { ShoeboxErrorCode } from '../errors.js';
import { isDiskFull, isErrno } from '../errors.js';
import { MAX_FILE_BYTES, SNIFF_BYTES, classifyMedia, mediaTypeFromName } from '../media/media-type.js';
import { fsPath } from '../media/raw-names.js';
import { resourceLimitError } from '../system-limits.js';

/** One source file for a worker to sniff, hash and (in copy mode) store. */
export interface IngestEntry {
  path: string;
  /** The file's own name, when `path` is a temp copy of it (a ZIP entry): what an empty file or the sniffer's extension fallback goes by. */
  name?: string;
  /** 'copy': hash while copying into the blob store; 'hash': only hash (bytes are probably stored already). */
  mode: 'copy' | 'hash';
  /** In copy mode after a hash pass: the hash the bytes must have, else the source changed. */
  expectedHash?: string;
  /** In copy mode: the stored blob is known damaged; move it into this folder and put the good bytes in its place. */
  damagedDir?: string;
  /** Skip sniffing (already classified). */
  mediaType?: string;
  maxBytes?: number;
  /**
   * Open without following a symlink (O_NOFOLLOW): a link is 'not-a-file'. For reads that must
   * see the file itself, never what a link points at — a library copy verified for Free up space
   * ([Note: Stored bytes are never a link]).
   */
  noFollow?: boolean;
}

/** One source file on its own (see ingestFile). */
export interface IngestTask extends IngestEntry {
  /** This process's temp folder inside the library (same file system as objects/). */
  tmpDir: string;
  objectsDir: string;
}

/** What happened to one source file in a worker. Plain data: it crosses the worker boundary. */
export type IngestResult =
  | { kind: 'ignored'; reason: 'not-media' | 'not-a-file'; detectedType: string | null }
  | { kind: 'vanished' }
  | { kind: 'failed'; code: ShoeboxErrorCode; message: string }
  | {
      kind: 'hashed';
      hash: string;
      size: number;
      mtimeMs: number;
      ino: number;
      /** The device and link count of the file read (fstat of the open file). */
      dev: number;
      nlink: number;
      /** Its status-change time as read (no program can set it; any write, date change or new name moves it). */
      ctimeMs: number;
      mediaType: string;
      mediaBy: 'content' | 'extension';
      /** True when the blob file is now in the store (newly placed or already there). */
      stored: boolean;
      /** True when this read put the bytes into the store (durable and verified; they were not there). */
      placed?: true;
      /** Where damaged bytes this copy replaced were moved (copy mode with damagedDir). */
      movedAside?: string;
    };

/** Test seams: called between chunks, so a test can change the source mid-read deterministically. */
export interface IngestHooks {
  afterChunk?: (bytesSoFar: number) => void;
  /** Called with a staged copy's temp file once it is durable, before it is verified. */
  beforeVerify?: (tempFile: string) => void;
}

/** A source file read once: its facts, and in copy mode its bytes in a temp file not yet made durable. */
export type Staged =
  | { kind: 'done'; result: IngestResult }
  | { kind: 'staged'; result: Extract<IngestResult, { kind: 'hashed' }>; writer: BlobWriter | undefined };

let buffers: [Buffer, Buffer] | undefined; // per worker thread, reused across tasks

/** This thread's two aligned chunk buffers (see alignedChunkBuffer). */
export function chunkBuffers(): [Buffer, Buffer] {
  buffers ??= [alignedChunkBuffer(), alignedChunkBuffer()];
  return buffers;
}

/**
 * Reads a source file once, streaming: sniffs its type from the first bytes, hashes it
 * (SHA-256) and in copy mode writes it to a temp file (not yet fsynced: the caller makes a
 * batch durable together, then verifies and places it, see ingest-batch.ts). A file that
 * changes while read (size, mtime or ctime differ after the last byte, or the hash doesn't
 * match `expectedHash`) gives SOURCE_CHANGED, and the temp file is removed. Files of less than
 * one chunk are written through the page cache, larger ones with O_DIRECT ([Note: Direct I/O
 * for blobs]). Never writes to the source.
 */
export async function stageFile(entry: IngestEntry, tmpDir: string, hooks: IngestHooks = {}): Promise<Staged> {
  const bufs = chunkBuffers();
  const done = (result: IngestResult): Staged => ({ kind: 'done', result });
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO put where a file was must not hang the worker; fstat below skips it.
    fd = fs.openSync(fsPath(entry.path), fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (entry.noFollow ? O_NOFOLLOW : 0));
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return done({ kind: 'vanished' });
    if (entry.noFollow && isErrno(err, 'ELOOP', 'EMLINK')) return done({ kind: 'ignored', reason: 'not-a-file', detectedType: null });
    return done(sourceError(err));
  }
  let writer: BlobWriter | undefined;
  try {
    const before = fs.fstatSync(fd);
    if (!before.isFile()) return done({ kind: 'ignored', reason: 'not-a-file', detectedType: null });
    if (entry.noFollow && O_NOFOLLOW === 0 && isLinkNow(entry.path, before)) return done({ kind: 'ignored', reason: 'not-a-file', detectedType: null });
    const max = entry.maxBytes ?? MAX_FILE_BYTES;
    const name = entry.name ?? path.basename(entry.path);
    if (before.size > max) {
      return done({ kind: 'failed', code: 'FILE_TOO_LARGE', message: `is ${formatGiB(before.size)}, over the ${formatGiB(max)} limit; it was not backed up` });
    }
    // Read exactly the size stat gave: a file that keeps growing must not keep us reading
    // forever; the stat after the last byte tells whether it changed.
    // A file of at most one chunk (most photos of a real library are) is read, hashed and
    // written synchronously: no thread-pool round trips ([Note: Batched durability]).
    const small = before.size <= CHUNK;
    let cur = 0;
    let n = small ? fillChunkSync(fd, bufs[0], 0, before.size) : await fillChunk(fd, bufs[0], 0, before.size);
    let mediaType = entry.mediaType;
    let mediaBy: 'content' | 'extension' = 'content';
    if (!mediaType) {
      if (before.size === 0) {
        return done(mediaTypeFromName(name)
          ? { kind: 'failed', code: 'FILE_EMPTY', message: 'is empty (0 bytes); there is nothing to back up' }
          : { kind: 'ignored', reason: 'not-media', detectedType: null });
      }
      const verdict = await classifyMedia(bufs[0].subarray(0, Math.min(n, SNIFF_BYTES * 16)), name);
      if (verdict.kind === 'other') return done({ kind: 'ignored', reason: 'not-media', detectedType: verdict.mediaType });
      mediaType = verdict.mediaType;
      mediaBy = verdict.by;
    }
    const hash = createHash('sha256');
    if (entry.mode === 'copy') {
      try {
        writer = new BlobWriter(threadTmpDir(tmpDir), '', { direct: !small });
      } catch (err) {
        // The library's temp folder, not the source: never blame the source for it (the
        // library may have been moved away: [Note: A library moved while open]).
        return done(libraryError(err));
      }
    }
    // Double-buffered: while this chunk is hashed, it is written and the next one is read.
    let total = 0;
    if (small && n > 0) {
      writer?.writeSync(bufs[0], n);
      hash.update(bufs[0].subarray(0, n));
      total = n;
      hooks.afterChunk?.(total);
      n = fillChunkSync(fd, bufs[1], total, before.size); // 0 unless the file grew (the stat below tells)
    }
    while (n > 0) {
      const buf = bufs[cur]!;
      const written = writer?.write(buf, n);
      const next = fillChunk(fd, bufs[1 - cur]!, total + n, before.size);
      hash.update(buf.subarray(0, n));
      const [, nextN] = await Promise.all([written, next]);
      total += n;
      hooks.afterChunk?.(total);
      n = nextN;
      cur = 1 - cur;
    }
    const after = fs.fstatSync(fd);
    const digest = hash.digest('hex');
    const changed =
      total !== before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ctimeMs !== before.ctimeMs ||
      (entry.expectedHash !== undefined && entry.expectedHash !== digest);
    if (changed) return done({ kind: 'failed', code: 'SOURCE_CHANGED', message: 'changed while it was being read' });
    const result = { kind: 'hashed' as const, hash: digest, size: total, mtimeMs: Math.trunc(before.mtimeMs), ino: Number(before.ino), dev: Number(before.dev), nlink: Number(before.nlink), ctimeMs: before.ctimeMs, mediaType, mediaBy, stored: false };
    const staged: Staged = { kind: 'staged', result, writer };
    writer = undefined; // the caller owns it now
    return staged;
  } catch (err) {
    if (writer) return done(libraryError(err));
    return done(sourceError(err));
  } finally {
    fs.closeSync(fd);
    writer?.discard();
  }
}

const threadTmpDirs = new Set<string>();

/**
 * This thread's own folder in the process's temp folder, for its temp files. Four threads
 * creating and renaming files in one folder wait on that folder's lock and crowd one ext4 block
 * group's inode allocation: one folder each took the kernel's share of a 5,000-file upload from
 * 6.6–7.4 s of CPU down to 5.2–6.2 s (issue #18). Made without `recursive`: a library moved away
 * while open must fail here (ENOENT), not be recreated where it was. Removed with the process's
 * temp folder ([Note: Processes sharing a library]).
 */
function threadTmpDir(tmpDir: string): string {
  const dir = path.join(tmpDir, `thread-${threadId}`);
  if (threadTmpDirs.has(dir)) return dir;
  try {
    fs.mkdirSync(dir);
  } catch (err) {
    if (!isErrno(err, 'EEXIST')) throw err;
  }
  threadTmpDirs.add(dir);
  return dir;
}

/**
 * A limit of this process, not a fault of any one file: too many open files (reading a file,
 * or loading the sniffer's modules), memory. The pipeline stops the whole run with it, clearly
 * ([Note: Running under tight limits]), instead of failing file after file as unreadable.
 */
function limitError(err: unknown): Extract<IngestResult, { kind: 'failed' }> | undefined {
  const limit = resourceLimitError(err);
  return limit ? { kind: 'failed', code: 'RESOURCE_LIMIT', message: limit.userMessage } : undefined;
}

/** A failure of the library's side (temp folder, blob store): disk full, or an I/O error. */
export function libraryError(err: unknown): Extract<IngestResult, { kind: 'failed' }> {
  const limit = limitError(err);
  if (limit) return limit;
  if (isDiskFull(err)) return { kind: 'failed', code: 'DISK_FULL', message: `could not be stored: the library disk is full (${(err as Error).message})` };
  return { kind: 'failed', code: 'IO_ERROR', message: `could not be written into the library: ${(err as Error).message}` };
}

/** Where the open cannot refuse a link: whether the path is a link now, or no longer the file opened. */
function isLinkNow(file: string, opened: fs.Stats): boolean {
  const st = fs.lstatSync(fsPath(file), { throwIfNoEntry: false });
  return !st || st.isSymbolicLink() || st.ino !== opened.ino || st.dev !== opened.dev;
}

/**
 * Hashes a whole file (streaming) with SHA-256; used to verify stored blobs. A symlink is not
 * followed (ELOOP): stored bytes are the file itself ([Note: Stored bytes are never a link]).
 */
export function hashFile(file: string | Buffer, buf: Buffer = Buffer.allocUnsafe(CHUNK)): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | O_NOFOLLOW);
  try {
    const hash = createHash('sha256');
    let pos = 0;
    for (let n = fs.readSync(fd, buf, 0, buf.length, pos); n > 0; n = fs.readSync(fd, buf, 0, buf.length, pos)) {
      hash.update(buf.subarray(0, n));
      pos += n;
    }
    return hash.digest('hex');
  } finally {
    fs.closeSync(fd);
  }
}

function sourceError(err: unknown): IngestResult {
  const limit = limitError(err);
  if (limit) return limit;
  const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
  if (isErrno(err, 'EACCES', 'EPERM')) return { kind: 'failed', code: 'SOURCE_UNREADABLE', message: 'cannot be read: permission denied; check its permissions' };
  if (isErrno(err, 'EIO')) return { kind: 'failed', code: 'SOURCE_UNREADABLE', message: 'cannot be read: the disk reported a read error; check the disk' };
  const message = (err as Error).message;
  return { kind: 'failed', code: 'SOURCE_UNREADABLE', message: `cannot be read (${message.startsWith(`${code}:`) ? message : `${code}: ${message}`})` }; // Node's own messages start with the code
}

function formatGiB(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(bytes % 1024 ** 3 === 0 ? 0 : 2)} GiB`;
}
