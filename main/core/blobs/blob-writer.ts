import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { injectFault } from '../faults.js';

/** Size of one read/write; a multiple of every disk's block size, so direct I/O stays aligned. */
export const CHUNK = 1 << 20;
const ALIGN = 4096;

/** False once aligned memory could not be had: blobs are then written without O_DIRECT. */
let directIoPossible = true;

/**
 * A page-aligned buffer of CHUNK bytes. O_DIRECT needs aligned memory and Node's Buffers are
 * not aligned (malloc), but WebAssembly memory is reserved with mmap, so its base is a page
 * boundary. V8 reserves gigabytes of address space for each WebAssembly memory, which a low
 * `ulimit -v` refuses (RangeError); then an ordinary buffer is used and this thread writes
 * without O_DIRECT (slower, same bytes) instead of failing every file.
 */
export function alignedChunkBuffer(): Buffer {
  const pages = Math.ceil(CHUNK / 65536);
  try {
    return Buffer.from(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer, 0, CHUNK);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    directIoPossible = false;
    return Buffer.allocUnsafeSlow(CHUNK);
  }
}

const O_DIRECT = fs.constants.O_DIRECT as number | undefined;
const writeAsync = (fd: number, buf: Buffer, off: number, len: number, pos: number) =>
  new Promise<number>((resolve, reject) => fs.write(fd, buf, off, len, pos, (err, n) => (err ? reject(err) : resolve(n))));
const readAsync = (fd: number, buf: Buffer, off: number, len: number, pos: number) =>
  new Promise<number>((resolve, reject) => fs.read(fd, buf, off, len, pos, (err, n) => (err ? reject(err) : resolve(n))));

/**
 * [Note: Direct I/O for blobs]
 * Blob bytes are written with O_DIRECT where the file system allows it (Linux ext4/xfs/btrfs;
 * not tmpfs, which gives EINVAL, in which case we fall back to ordinary writes). Measured on
 * our build VM: buffered write + fsync of 1 GiB ran at 316 MB/s, O_DIRECT + fsync at 2.3 GB/s;
 * photos are written once and rarely read soon, so bypassing the page cache costs nothing.
 * Files smaller than one chunk are written through the page cache instead (`direct: false`):
 * an O_DIRECT write waits for the device, one file after another, while a buffered one is a
 * copy into memory whose device write the batch's fsyncs then issue together (issue #18:
 * [Note: Batched durability]). Either way the verify pass reads the blob back with O_DIRECT:
 * it checks what is on the device, not a copy in memory. With O_DIRECT every write but the
 * last is a full CHUNK at a CHUNK-aligned offset; the last is zero-padded to the alignment and
 * the file truncated to its real size.
 */
export class BlobWriter {
  readonly file: string;
  private fd: number;
  private direct: boolean;
  private written = 0;

  constructor(tmpDir: string, prefix = '', opts: { direct?: boolean } = {}) {
    this.file = path.join(tmpDir, `${prefix}${randomBytes(8).toString('hex')}.part`);
    const base = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL;
    this.direct = (opts.direct ?? true) && O_DIRECT !== undefined && directIoPossible;
    try {
      this.fd = fs.openSync(this.file, this.direct ? base | O_DIRECT! : base, 0o644);
    } catch (err) {
      if (!(this.direct && isErrno(err, 'EINVAL'))) throw err;
      this.direct = false;
      this.fd = fs.openSync(this.file, base, 0o644);
    }
  }

  /** Bytes written so far. */
  get size(): number {
    return this.written;
  }

  /**
   * Appends bytes (asynchronously, so the caller can hash the next chunk meanwhile). `buf`
   * must be an alignedChunkBuffer and `n` must be CHUNK except for the final call; the bytes of
   * `buf` after `n` may be overwritten (zero padding). Don't touch buf[0..n) until it resolves.
   */
  async write(buf: Buffer, n: number): Promise<void> {
    injectFault('blob-write');
    if (this.direct) {
      const padded = n % ALIGN === 0 ? n : n + (ALIGN - (n % ALIGN));
      if (padded !== n) buf.fill(0, n, padded);
      try {
        await writeAll(this.fd, buf, padded, this.written);
        this.written += n;
        return;
      } catch (err) {
        if (!(isErrno(err, 'EINVAL') && this.written === 0)) throw err;
        // The file system accepted O_DIRECT at open but not the write: start over buffered.
        fs.closeSync(this.fd);
        this.direct = false;
        this.fd = fs.openSync(this.file, fs.constants.O_WRONLY | fs.constants.O_TRUNC);
      }
    }
    await writeAll(this.fd, buf, n, this.written);
    this.written += n;
  }

  /**
   * Appends bytes synchronously: for a file of less than one chunk, written through the page
   * cache (no O_DIRECT), where a thread-pool round trip would cost more than the copy.
   */
  writeSync(buf: Buffer, n: number): void {
    injectFault('blob-write');
    if (this.direct) throw new Error('BlobWriter.writeSync is for buffered writers');
    for (let off = 0; off < n; ) off += fs.writeSync(this.fd, buf, off, n - off, this.written + off);
    this.written += n;
  }

  /**
   * Fixes the length, fsyncs and closes. Asynchronous (libuv's thread pool), so a batch's
   * files are made durable together: concurrent fsyncs share the file system's journal commits.
   */
  async finish(): Promise<void> {
    if (this.direct) fs.ftruncateSync(this.fd, this.written);
    await new Promise<void>((resolve, reject) => fs.fsync(this.fd, (err) => (err ? reject(err) : resolve())));
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  /**
   * Re-reads the finished file from the device (O_DIRECT where the file system and the
   * buffers allow) and returns its SHA-256. Two buffers: the next chunk is read while the
   * current one is hashed.
   */
  async verify(bufs: [Buffer, Buffer]): Promise<string> {
    const fd = openForVerify(this.file);
    try {
      const hash = createHash('sha256');
      let cur = 0;
      let pos = 0;
      let n = await readAsync(fd, bufs[0], 0, CHUNK, 0);
      while (n > 0) {
        pos += n;
        const next = readAsync(fd, bufs[1 - cur]!, 0, CHUNK, pos);
        hash.update(bufs[cur]!.subarray(0, n));
        n = await next;
        cur = 1 - cur;
      }
      return hash.digest('hex');
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * verify() for a file of at most one chunk, synchronously: one read from the device, no
   * thread-pool round trips (each costs more than the read on a busy machine, issue #18).
   */
  verifySmall(buf: Buffer): string {
    const fd = openForVerify(this.file);
    try {
      const hash = createHash('sha256');
      for (let pos = 0, n = fs.readSync(fd, buf, 0, CHUNK, 0); n > 0; n = fs.readSync(fd, buf, 0, CHUNK, pos)) {
        hash.update(buf.subarray(0, n));
        pos += n;
      }
      return hash.digest('hex');
    } finally {
      fs.closeSync(fd);
    }
  }

  /** finish() then verify(): the file is durable, and this is the hash of what the device holds. */
  async finishAndHash(bufs: [Buffer, Buffer]): Promise<string> {
    await this.finish();
    return this.verify(bufs);
  }

  /** Closes (if open) and deletes the temp file; for failures. */
  discard(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    fs.rmSync(this.file, { force: true });
  }
}

/** Opens a finished blob for its verify pass: O_DIRECT where the file system and this thread's buffers allow. */
function openForVerify(file: string): number {
  try {
    return fs.openSync(file, O_DIRECT !== undefined && directIoPossible ? fs.constants.O_RDONLY | O_DIRECT : fs.constants.O_RDONLY);
  } catch (err) {
    if (!isErrno(err, 'EINVAL')) throw err;
    return fs.openSync(file, fs.constants.O_RDONLY); // no O_DIRECT here (tmpfs)
  }
}

/** Like fillChunk, synchronously (a small file read in one go). */
export function fillChunkSync(fd: number, buf: Buffer, pos: number, limit: number): number {
  const want = Math.min(CHUNK, Math.max(0, limit - pos));
  let got = 0;
  while (got < want) {
    const n = fs.readSync(fd, buf, got, want - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

async function writeAll(fd: number, buf: Buffer, n: number, position: number): Promise<void> {
  for (let off = 0; off < n; ) off += await writeAsync(fd, buf, off, n - off, position + off);
}

/** Reads up to CHUNK bytes at `pos` (never past `limit`), looping over short reads so every chunk but the last is full. */
export async function fillChunk(fd: number, buf: Buffer, pos: number, limit: number): Promise<number> {
  const want = Math.min(CHUNK, Math.max(0, limit - pos));
  let got = 0;
  while (got < want) {
    const n = await readAsync(fd, buf, got, want - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}
