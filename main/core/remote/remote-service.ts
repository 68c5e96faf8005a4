import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { noteBlobRead } from '../blobs/blob-health.js';
import { blobPath } from '../blobs/blob-store.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, isErrno } from '../errors.js';
import { makeDirBelow } from '../library/library-home.js';
import { CHUNK, DecryptStream, EncryptStream, blobObjectName, createKeys, deriveKeys, encryptedSize, unlockKeys, type KeyFile } from './remote-crypto.js';
import { S3Store, parseRemoteUrl, type RemoteLocation } from './s3-store.js';
import { Throttle } from './throttle.js';
import { HashingPass } from './hashing-pass.js';
import { noCredentialStore, type RemoteCredentials } from './credentials.js';
import { writeFileAtomic } from '../atomic-write.js';
import { openDatabase } from '../catalog/sqlite-binding.js';
import { injectFault } from '../faults.js';
import { offsiteVerifier, type OffsiteCheck } from './offsite-verify.js';

/** Objects larger than this go up in parts of this size (resumable). */
export const PART_SIZE = 8 * 1024 * 1024;
const KEYS_OBJECT = 'shoebox-keys.json';
const LATEST_OBJECT = 'catalog/latest.enc';

/** A remote as stored in the catalog. */
export interface RemoteRow extends RemoteLocation {
  id: number;
  addedAt: number;
  lastSnapshotAt: number | null;
  lastError: string | null;
}

/** How far a remote is. */
export interface RemoteStatus extends RemoteRow {
  pushedBlobs: number;
  pendingBlobs: number;
  pushedBytes: number;
  openUploads: number;
  pendingDeletes: number;
}

/** What a push did. */
export interface PushSummary {
  url: string;
  blobs: number;
  bytes: number;
  deleted: number;
  snapshot: string | null;
  failed: Array<{ hash: string; message: string }>;
}

/** How a push runs. */
export interface PushOptions {
  limitBytesPerSecond?: number;
  shouldStop?: () => boolean;
  onProgress?: (blobs: number, bytes: number) => void;
  snapshot?: boolean;
}

/** The secret that unlocks a remote. */
export type RemoteSecret = { passphrase: string } | { recoveryKey: string };

/** A stream through encryption (and the bandwidth limit), collected into one buffer (small objects). */
async function collect(src: Readable, steps: Transform[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline([src, ...steps, sinkTo((c) => { chunks.push(c); return Promise.resolve(); })]);
  return Buffer.concat(chunks);
}

/** A writable that hands each chunk to an async function, one at a time (back-pressure included). */
function sinkTo(fn: (chunk: Buffer) => Promise<void>): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      fn(chunk).then(() => cb(), cb);
    },
  });
}

/**
 * Offsite remotes (issue #10): an encrypted replica of the library in an S3-compatible bucket.
 * Everything is encrypted on this machine before it leaves (remote-crypto.ts); object names
 * are keyed hashes; the catalog is pushed as an encrypted snapshot; a new machine rebuilds the
 * library from the remote alone (rebuildFromRemote).
 */
export class RemoteService {
  private readonly inFlight = new Map<string, Promise<PushSummary>>();

  constructor(private readonly ctx: EngineContext) {}

  private get db() {
    return this.ctx.cdb.db;
  }

  private keyFile(id: number): string {
    return path.join(this.ctx.paths.root, 'remotes', `${id}.key`);
  }

  /** The master key kept on this machine for pushing (owner-only file in the library, never in the catalog). */
  private masterKey(r: RemoteRow): Buffer {
    try {
      return Buffer.from(fs.readFileSync(this.keyFile(r.id), 'utf8').trim(), 'base64');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) throw new ShoeboxError('NOT_FOUND', `This library has no key for ${r.url}. Remove it and add it again with its passphrase.`, { cause: err, hint: '(`shoebox remote rm`, then `shoebox remote add`)' });
      throw err;
    }
  }

  /** Every remote. */
  list(): RemoteRow[] {
    return this.db.prepare('SELECT id, url, bucket, prefix, endpoint, region, added_at AS addedAt, last_snapshot_at AS lastSnapshotAt, last_error AS lastError FROM remotes ORDER BY id').all() as RemoteRow[];
  }

  private byUrl(url: string): RemoteRow {
    const loc = parseRemoteUrl(url);
    const r = this.list().find((x) => x.url === loc.url);
    if (!r) throw new ShoeboxError('NOT_FOUND', `${loc.url} is not a remote of this library.`, { hint: '`shoebox remote ls` lists them.' });
    return r;
  }

  /**
   * Adds a remote. A new location gets new keys (the recovery key is returned to be shown once);
   * a location that already holds a Shoebox remote is joined with its passphrase.
   */
  async add(url: string, opts: { endpoint?: string; region?: string; passphrase: string; credentials?: RemoteCredentials }): Promise<{ remote: RemoteRow; recoveryKey: string | null }> {
    const loc = parseRemoteUrl(url, opts.endpoint, opts.region);
    if (this.list().some((r) => r.url === loc.url)) throw new ShoeboxError('CONFLICT', `${loc.url} is already a remote of this library.`);
    if (opts.credentials && !this.ctx.credentials) noCredentialStore();
    const store = new S3Store(loc, opts.credentials ?? this.ctx.credentials?.get(loc.url));
    await store.checkBucket();
    const existing = await store.getBuffer(`${loc.prefix}${KEYS_OBJECT}`);
    let master: Buffer;
    let recoveryKey: string | null = null;
    if (existing) {
      master = unlockKeys(JSON.parse(existing.toString()) as KeyFile, { passphrase: opts.passphrase });
    } else {
      const k = createKeys(opts.passphrase, this.ctx.now());
      await store.put(`${loc.prefix}${KEYS_OBJECT}`, Buffer.from(JSON.stringify(k.keyFile, null, 1)));
      master = k.master;
      recoveryKey = k.recoveryKey;
    }
    const id = this.ctx.cdb.write(() => Number(this.db.prepare('INSERT INTO remotes (url, bucket, prefix, endpoint, region, added_at) VALUES (?, ?, ?, ?, ?, ?)').run(loc.url, loc.bucket, loc.prefix, loc.endpoint, loc.region, this.ctx.now()).lastInsertRowid));
    makeDirBelow(path.dirname(this.keyFile(id)), 1, 0o700);
    writeFileAtomic(this.keyFile(id), master.toString('base64'), 0o600, false);
    if (opts.credentials) this.ctx.credentials!.set(loc.url, opts.credentials);
    return { remote: this.list().find((r) => r.id === id)!, recoveryKey };
  }

  /** Stops pushing to a remote (what is there stays). */
  remove(url: string): RemoteRow {
    const r = this.byUrl(url);
    this.ctx.cdb.write(() => this.db.prepare('DELETE FROM remotes WHERE id = ?').run(r.id));
    fs.rmSync(this.keyFile(r.id), { force: true });
    this.ctx.credentials?.delete(r.url);
    return r;
  }

  /** Progress of every remote. */
  status(): RemoteStatus[] {
    return this.list().map((r) => {
      const one = <T>(sql: string) => this.db.prepare(sql).get(r.id) as T;
      const pushed = one<{ n: number; b: number }>('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM remote_objects WHERE remote_id = ?');
      return {
        ...r,
        pushedBlobs: pushed.n,
        pushedBytes: pushed.b,
        pendingBlobs: one<{ n: number }>('SELECT COUNT(*) AS n FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM remote_objects o WHERE o.remote_id = ? AND o.blob_hash = b.hash)').n,
        openUploads: one<{ n: number }>('SELECT COUNT(*) AS n FROM remote_uploads WHERE remote_id = ?').n,
        pendingDeletes: one<{ n: number }>('SELECT COUNT(*) AS n FROM remote_deletes WHERE remote_id = ?').n,
      };
    });
  }

  /** Purged blobs: their remote copies are deleted on the next push (DESIGN §1: after the same 30 days). */
  forgetBlobs(hashes: string[]): void {
    if (hashes.length === 0) return;
    for (const r of this.list()) {
      let names: Buffer;
      try {
        names = deriveKeys(this.masterKey(r)).names;
      } catch (err) {
        this.ctx.log.warn('cannot name remote objects to delete', { remote: r.url, error: (err as Error).message });
        continue;
      }
      this.ctx.cdb.write(() => {
        for (const h of hashes) {
          this.db.prepare('INSERT OR IGNORE INTO remote_deletes (remote_id, object) VALUES (?, ?)').run(r.id, blobObjectName(r.prefix, names, h));
          this.db.prepare('DELETE FROM remote_objects WHERE remote_id = ? AND blob_hash = ?').run(r.id, h);
        }
      });
    }
  }

  /**
   * Pushes every blob a remote lacks, then an encrypted catalog snapshot. Order matters: the
   * snapshot is taken first and uploaded last, so every blob it names is already there.
   * Resumable: finished objects are recorded; a big object resumes from its stored parts.
   */
  async push(url: string, opts: PushOptions = {}): Promise<PushSummary> {
    // One push per remote at a time in this process (the background push and "Push now" in
    // the window): a second one waits for the first, then finds only what is left.
    const prev = this.inFlight.get(url);
    const run = (async () => {
      await prev?.catch(() => undefined);
      return this.pushOnce(url, opts);
    })();
    this.inFlight.set(url, run);
    try {
      return await run;
    } finally {
      if (this.inFlight.get(url) === run) this.inFlight.delete(url);
    }
  }

  private async pushOnce(url: string, opts: PushOptions): Promise<PushSummary> {
    const r = this.byUrl(url);
    const store = new S3Store(r, this.ctx.credentials?.get(r.url));
    const keys = deriveKeys(this.masterKey(r));
    const summary: PushSummary = { url: r.url, blobs: 0, bytes: 0, deleted: 0, snapshot: null, failed: [] };
    try {
      await this.cleanUploads(r, store);
      for (const d of this.db.prepare('SELECT object FROM remote_deletes WHERE remote_id = ?').all(r.id) as { object: string }[]) {
        await store.delete(d.object);
        this.ctx.cdb.write(() => {
          this.db.prepare('DELETE FROM remote_deletes WHERE remote_id = ? AND object = ?').run(r.id, d.object);
          // A push that raced the purge may have recorded this object again: it is gone now, so
          // a later upload of the same bytes must be pushed again, not taken as already there.
          this.db.prepare('DELETE FROM remote_objects WHERE remote_id = ? AND object = ?').run(r.id, d.object);
        });
        summary.deleted++;
      }
      const snapshotFile = opts.snapshot === false ? null : this.takeSnapshot();
      try {
        const pending = this.db.prepare('SELECT b.hash, b.size FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM remote_objects o WHERE o.remote_id = ? AND o.blob_hash = b.hash) ORDER BY b.size').all(r.id) as Array<{ hash: string; size: number }>;
        for (const b of pending) {
          if (opts.shouldStop?.()) return summary;
          const key = blobObjectName(r.prefix, keys.names, b.hash);
          try {
            await this.upload(r, store, keys.data, blobPath(this.ctx.paths.objects, b.hash), key, b.hash, opts.limitBytesPerSecond, b.hash);
          } catch (err) {
            if (isErrno(err, 'ENOENT')) {
              noteBlobRead(this.ctx.cdb, b.hash, 'missing', this.ctx.now());
              summary.failed.push({ hash: b.hash, message: 'its bytes are missing locally; `shoebox check` tells more' });
              continue;
            }
            if (err instanceof ShoeboxError && err.code === 'LIBRARY_CORRUPT') {
              noteBlobRead(this.ctx.cdb, b.hash, 'damaged', this.ctx.now());
              summary.failed.push({ hash: b.hash, message: err.userMessage });
              continue;
            }
            throw err;
          }
          this.ctx.cdb.write(() => this.db.prepare('INSERT OR REPLACE INTO remote_objects (remote_id, blob_hash, object, size, pushed_at) VALUES (?, ?, ?, ?, ?)').run(r.id, b.hash, key, encryptedSize(b.size), this.ctx.now()));
          injectFault('remote-blob');
          summary.blobs++;
          summary.bytes += b.size;
          opts.onProgress?.(summary.blobs, summary.bytes);
        }
        if (snapshotFile && !opts.shouldStop?.()) summary.snapshot = await this.pushSnapshot(r, store, keys.data, snapshotFile, opts.limitBytesPerSecond);
      } finally {
        if (snapshotFile) fs.rmSync(snapshotFile, { force: true });
      }
      this.ctx.cdb.write(() => this.db.prepare('UPDATE remotes SET last_error = NULL WHERE id = ?').run(r.id));
      return summary;
    } catch (err) {
      const message = (err as ShoeboxError).userMessage ?? (err as Error).message;
      this.ctx.cdb.write(() => this.db.prepare('UPDATE remotes SET last_error = ? WHERE id = ?').run(message, r.id));
      throw err;
    }
  }

  /** Aborts multipart uploads under the remote's prefix that this library does not know (a crash before their start was recorded). */
  private async cleanUploads(r: RemoteRow, store: S3Store): Promise<void> {
    const known = new Set((this.db.prepare('SELECT upload_id FROM remote_uploads WHERE remote_id = ?').all(r.id) as { upload_id: string }[]).map((x) => x.upload_id));
    const open = await store.openUploads(r.prefix);
    if (open === null) return; // the store can't list them; a bucket lifecycle rule for incomplete uploads cleans these up
    for (const u of open) if (!known.has(u.uploadId)) await store.abortMultipart(u.key, u.uploadId);
  }

  /** A consistent copy of the catalog (VACUUM INTO), in this process's temp folder. */
  private takeSnapshot(): string {
    const file = path.join(this.ctx.tmpDir, `snapshot-${randomBytes(6).toString('hex')}.sqlite`);
    this.db.prepare('VACUUM INTO ?').run(file);
    return file;
  }

  private async pushSnapshot(r: RemoteRow, store: S3Store, dataKey: Buffer, file: string, limit?: number): Promise<string> {
    const name = `${r.prefix}catalog/snapshot-${new Date(this.ctx.now()).toISOString().replace(/[:.]/g, '-')}.enc`;
    await this.upload(r, store, dataKey, file, name, `catalog:${name}`, limit);
    const pointer = await collect(Readable.from([Buffer.from(JSON.stringify({ object: name, at: this.ctx.now() }))]), [new EncryptStream(dataKey)]);
    await store.put(`${r.prefix}${LATEST_OBJECT}`, pointer);
    // keep the three newest snapshots
    const old = [...(await store.list(`${r.prefix}catalog/snapshot-`)).keys()].sort().slice(0, -3);
    for (const o of old) await store.delete(o);
    this.ctx.cdb.write(() => this.db.prepare('UPDATE remotes SET last_snapshot_at = ? WHERE id = ?').run(this.ctx.now(), r.id));
    return name;
  }

  /** Encrypts a local file to `key`: one request when small, resumable parts when large. */
  private async upload(r: RemoteRow, store: S3Store, dataKey: Buffer, file: string, key: string, uploadKey: string, limit?: number, expectHash?: string): Promise<void> {
    const size = fs.statSync(file).size;
    // A blob is verified while it is encrypted: damaged bytes must not replace the offsite copy.
    let hasher = new HashingPass();
    const through = (enc: EncryptStream) => [hasher, ...(limit ? [enc, new Throttle(limit)] : [enc])];
    const verify = () => {
      if (expectHash !== undefined && hasher.hex() !== expectHash) throw new ShoeboxError('LIBRARY_CORRUPT', `its stored bytes are damaged (they do not hash to ${expectHash.slice(0, 12)}); not pushed. \`shoebox check --read-data\` tells more.`);
    };
    if (encryptedSize(size) <= PART_SIZE) {
      const sealed = await collect(fs.createReadStream(file), through(new EncryptStream(dataKey)));
      verify();
      await store.put(key, sealed);
      return;
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      const saved = this.db.prepare('SELECT upload_id AS uploadId, header, parts FROM remote_uploads WHERE remote_id = ? AND blob_hash = ?').get(r.id, uploadKey) as { uploadId: string; header: Buffer; parts: string } | undefined;
      let enc: EncryptStream;
      let uploadId: string;
      const parts = new Map<number, string>(saved ? Object.entries(JSON.parse(saved.parts) as Record<string, string>).map(([n, e]) => [Number(n), e]) : []);
      if (saved) {
        enc = new EncryptStream(dataKey, saved.header); // resume: the same ciphertext again, stored parts skipped
        uploadId = saved.uploadId;
      } else {
        enc = new EncryptStream(dataKey);
        uploadId = await store.startMultipart(key);
        const id = uploadId;
        this.ctx.cdb.write(() => this.db.prepare('INSERT OR REPLACE INTO remote_uploads (remote_id, blob_hash, upload_id, header, parts, started_at) VALUES (?, ?, ?, ?, ?, ?)').run(r.id, uploadKey, id, enc.header, '{}', this.ctx.now()));
      }
      hasher = new HashingPass();
      let part = 1;
      let buf: Buffer[] = [];
      let bufLen = 0;
      const flush = async (all: Buffer) => {
        if (!parts.has(part)) {
          parts.set(part, await store.putPart(key, uploadId, part, all));
          const json = JSON.stringify(Object.fromEntries(parts));
          this.ctx.cdb.write(() => this.db.prepare('UPDATE remote_uploads SET parts = ? WHERE remote_id = ? AND blob_hash = ?').run(json, r.id, uploadKey));
          injectFault('remote-part');
        }
        part++;
      };
      await pipeline([
        fs.createReadStream(file, { highWaterMark: CHUNK }),
        ...through(enc),
        sinkTo(async (c) => {
          buf.push(c);
          bufLen += c.length;
          while (bufLen >= PART_SIZE) {
            const all = Buffer.concat(buf);
            await flush(all.subarray(0, PART_SIZE));
            buf = [all.subarray(PART_SIZE)];
            bufLen = buf[0]!.length;
          }
        }),
      ]);
      try {
        verify();
      } catch (err) {
        await store.abortMultipart(key, uploadId);
        this.ctx.cdb.write(() => this.db.prepare('DELETE FROM remote_uploads WHERE remote_id = ? AND blob_hash = ?').run(r.id, uploadKey));
        throw err;
      }
      if (bufLen > 0) await flush(Buffer.concat(buf));
      const completed = await store.completeMultipart(key, uploadId, parts);
      this.ctx.cdb.write(() => this.db.prepare('DELETE FROM remote_uploads WHERE remote_id = ? AND blob_hash = ?').run(r.id, uploadKey));
      if (completed) return;
      // The server forgot the upload (expired or aborted): start it again, once.
    }
    throw new ShoeboxError('IO_ERROR', `The remote kept refusing to finish the upload of ${key}; it will be retried on the next push.`);
  }

  /** Checks offsite copies of single contents, reading only those objects (Free up space, issue #20). */
  offsiteVerifier(): (hash: string) => Promise<OffsiteCheck> {
    return offsiteVerifier(this.list().map((r) => ({
      url: r.url,
      prefix: r.prefix,
      pushed: (hash: string) => this.db.prepare('SELECT 1 FROM remote_objects WHERE remote_id = ? AND blob_hash = ?').get(r.id, hash) !== undefined,
      open: () => ({ store: new S3Store(r, this.ctx.credentials?.get(r.url)), keys: deriveKeys(this.masterKey(r)) }),
    })));
  }

  /** Compares a remote with the catalog: missing and unknown objects; with readData, every object decrypted and its hash checked. */
  async check(url: string, readData: boolean): Promise<{ expected: number; missing: Array<{ hash: string; photos: string[] }>; extra: string[]; damaged: Array<{ hash: string; photos: string[]; message: string }> }> {
    const r = this.byUrl(url);
    const store = new S3Store(r, this.ctx.credentials?.get(r.url));
    const keys = deriveKeys(this.masterKey(r));
    const present = await store.list(`${r.prefix}blobs/`);
    const photos = (h: string) => (this.db.prepare('SELECT name FROM files WHERE blob_hash = ?').all(h) as { name: string }[]).map((x) => x.name);
    const expected = this.db.prepare('SELECT hash FROM blobs').all() as { hash: string }[];
    const names = new Set<string>();
    const report = { expected: expected.length, missing: [] as Array<{ hash: string; photos: string[] }>, extra: [] as string[], damaged: [] as Array<{ hash: string; photos: string[]; message: string }> };
    for (const { hash } of expected) {
      const key = blobObjectName(r.prefix, keys.names, hash);
      names.add(key);
      if (!present.has(key)) {
        report.missing.push({ hash, photos: photos(hash) });
        continue;
      }
      if (!readData) continue;
      const problem = await verifyObject(store, key, keys.data, hash, photos(hash).join(', '));
      if (problem) report.damaged.push({ hash, photos: photos(hash), message: problem });
    }
    for (const k of present.keys()) if (!names.has(k)) report.extra.push(k);
    return report;
  }
}

/** Downloads, decrypts and hashes one remote object; returns the problem, or null when it verifies. */
async function verifyObject(store: S3Store, key: string, dataKey: Buffer, hash: string, what: string): Promise<string | null> {
  const { createHash } = await import('node:crypto');
  const body = await store.get(key);
  if (!body) return 'missing';
  const h = createHash('sha256');
  try {
    await pipeline(body, new DecryptStream(dataKey, what), async function* (s: AsyncIterable<Buffer>) {
      for await (const c of s) h.update(c);
    });
  } catch (err) {
    return (err as ShoeboxError).userMessage ?? (err as Error).message;
  }
  return h.digest('hex') === hash ? null : `${what}: decrypted, but the bytes are not the photo's (hash mismatch)`;
}

/** What rebuilding a library from a remote did. */
export interface RebuildSummary {
  library: string;
  blobs: number;
  bytes: number;
  failed: Array<{ hash: string; photos: string[]; message: string }>;
}

/**
 * Rebuilds a whole library from a remote alone (issue #10), on a new machine: unlocks the keys
 * with the passphrase or the recovery key (wrong → an error, nothing written), restores the
 * latest catalog snapshot, then every blob, each decrypted, verified against its hash and put
 * in place. Photos whose remote copy fails authentication are named.
 */
export async function rebuildFromRemote(url: string, opts: { endpoint?: string; region?: string; secret: RemoteSecret; to: string; onProgress?: (done: number, total: number) => void }): Promise<RebuildSummary> {
  const loc = parseRemoteUrl(url, opts.endpoint, opts.region);
  const store = new S3Store(loc);
  const keyJson = await store.getBuffer(`${loc.prefix}${KEYS_OBJECT}`);
  if (!keyJson) throw new ShoeboxError('NOT_FOUND', `There is no Shoebox remote at ${loc.url}${loc.endpoint ? ` (${loc.endpoint})` : ''}.`);
  const master = unlockKeys(JSON.parse(keyJson.toString()) as KeyFile, opts.secret);
  const keys = deriveKeys(master);
  const pointerEnc = await store.getBuffer(`${loc.prefix}${LATEST_OBJECT}`);
  if (!pointerEnc) throw new ShoeboxError('NOT_FOUND', `${loc.url} has keys but no catalog snapshot yet: push from the original library first (\`shoebox remote push\`).`);
  const pointer = JSON.parse((await collect(Readable.from([pointerEnc]), [new DecryptStream(keys.data, 'the catalog pointer')])).toString()) as { object: string };
  const to = path.resolve(opts.to);
  if (fs.existsSync(to) && fs.readdirSync(to).length > 0) throw new ShoeboxError('CONFLICT', `${to} is not empty: rebuild into a new, empty folder.`);
  const tmp = path.join(to, 'tmp', 'rebuild');
  fs.mkdirSync(tmp, { recursive: true });
  const snap = await store.get(pointer.object);
  if (!snap) throw new ShoeboxError('NOT_FOUND', `The catalog snapshot ${pointer.object} is missing from the remote.`);
  await pipeline(snap, new DecryptStream(keys.data, 'the catalog snapshot'), fs.createWriteStream(path.join(tmp, 'catalog.sqlite')));
  fs.renameSync(path.join(tmp, 'catalog.sqlite'), path.join(to, 'catalog.sqlite'));
  const db = openDatabase(path.join(to, 'catalog.sqlite'), { readonly: true });
  const blobs = db.prepare('SELECT hash, size FROM blobs').all() as Array<{ hash: string; size: number }>;
  const photos = (h: string) => (db.prepare('SELECT name FROM files WHERE blob_hash = ?').all(h) as { name: string }[]).map((x) => x.name);
  const remoteRow = db.prepare('SELECT id FROM remotes WHERE url = ?').get(loc.url) as { id: number } | undefined;
  const summary: RebuildSummary = { library: to, blobs: 0, bytes: 0, failed: [] };
  const { createHash } = await import('node:crypto');
  let done = 0;
  for (const b of blobs) {
    const key = blobObjectName(loc.prefix, keys.names, b.hash);
    const body = await store.get(key);
    const names = photos(b.hash);
    if (!body) {
      summary.failed.push({ hash: b.hash, photos: names, message: `${names.join(', ') || b.hash.slice(0, 12)}: missing from the remote` });
      continue;
    }
    const part = path.join(tmp, `${b.hash}.part`);
    const h = createHash('sha256');
    try {
      await pipeline(body, new DecryptStream(keys.data, names.join(', ') || b.hash.slice(0, 12)), async function* (s: AsyncIterable<Buffer>) {
        for await (const c of s) {
          h.update(c);
          yield c;
        }
      }, fs.createWriteStream(part));
    } catch (err) {
      fs.rmSync(part, { force: true });
      summary.failed.push({ hash: b.hash, photos: names, message: (err as ShoeboxError).userMessage ?? (err as Error).message });
      continue;
    }
    if (h.digest('hex') !== b.hash) {
      fs.rmSync(part, { force: true });
      summary.failed.push({ hash: b.hash, photos: names, message: `${names.join(', ')}: decrypted, but the bytes do not match` });
      continue;
    }
    const final = blobPath(path.join(to, 'objects'), b.hash);
    fs.mkdirSync(path.dirname(final), { recursive: true });
    const fd = fs.openSync(part, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(part, final);
    summary.blobs++;
    summary.bytes += b.size;
    opts.onProgress?.(++done, blobs.length);
  }
  db.close();
  fs.rmSync(path.join(to, 'tmp'), { recursive: true, force: true });
  if (remoteRow) {
    fs.mkdirSync(path.join(to, 'remotes'), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(to, 'remotes', `${remoteRow.id}.key`), master.toString('base64'), { mode: 0o600 });
  }
  return summary;
}
