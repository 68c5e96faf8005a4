import fs from 'node:fs';
import path from 'node:path';
import { noteBlobRead } from '../blobs/blob-health.js';
import { blobPath } from '../blobs/blob-store.js';
import type { RemoteCatalog, RemoteRow } from '../catalog/remote-catalog.js';
import { takeSnapshot } from '../catalog/snapshot-job.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, errorMessage, isErrno } from '../errors.js';
import { injectFault } from '../faults.js';
import { EncryptStream, blobObjectName, deriveKeys, encryptedSize } from './remote-crypto.js';
import { readMasterKey } from './remote-keys.js';
import { collect } from './remote-streams.js';
import { uploadEncrypted } from './remote-upload.js';
import { S3Store } from './s3-store.js';

/** Where the newest catalog snapshot's name is kept on a remote (encrypted). */
export const LATEST_OBJECT = 'catalog/latest.enc';
/** The remote's key file: the master key wrapped by the passphrase and by the recovery key. */
export const KEYS_OBJECT = 'shoebox-keys.json';

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

/**
 * Pushes every blob a remote lacks, then an encrypted catalog snapshot. Order matters: the
 * snapshot is taken first and uploaded last, so every blob it names is already there. The
 * snapshot is a verified copy taken in a worker thread ([Note: Catalog snapshots]). Resumable:
 * finished objects are recorded; a big object resumes from its stored parts. The outcome (a
 * failure's message, or none) is recorded on the remote for status.
 */
export async function pushToRemote(ctx: EngineContext, catalog: RemoteCatalog, r: RemoteRow, opts: PushOptions): Promise<PushSummary> {
  const store = new S3Store(r, ctx.credentials?.get(r.url));
  const keys = deriveKeys(await readMasterKey(ctx.paths.root, r));
  const summary: PushSummary = { url: r.url, blobs: 0, bytes: 0, deleted: 0, snapshot: null, failed: [] };
  try {
    await abortUnknownUploads(catalog, r, store);
    for (const object of catalog.pendingDeletes(r.id)) {
      await store.delete(object);
      catalog.deleted(r.id, object);
      summary.deleted++;
    }
    // Its own folder in this process's temp folder: two pushes (two remotes) never share a name.
    const snapshotDir = opts.snapshot === false ? null : await fs.promises.mkdtemp(path.join(ctx.tmpDir, 'remote-push-'));
    try {
      const snapshotFile = snapshotDir && (await takeSnapshot(ctx, 'remote-push', snapshotDir)).file;
      for (const b of catalog.unpushedBlobs(r.id)) {
        if (opts.shouldStop?.()) return summary;
        const key = blobObjectName(r.prefix, keys.names, b.hash);
        try {
          await uploadEncrypted({ remote: r, store, catalog, dataKey: keys.data, file: blobPath(ctx.paths.objects, b.hash), key, uploadKey: b.hash, expectHash: b.hash, ...limit(opts) });
        } catch (err) {
          const found = isErrno(err, 'ENOENT') ? 'missing' : err instanceof ShoeboxError && err.code === 'LIBRARY_CORRUPT' ? 'damaged' : null;
          if (!found) throw err;
          noteBlobRead(ctx.cdb, b.hash, found, ctx.now());
          summary.failed.push({ hash: b.hash, message: found === 'missing' ? 'its bytes are missing locally; `shoebox check` tells more' : errorMessage(err) });
          continue;
        }
        catalog.markPushed(r.id, b.hash, key, encryptedSize(b.size));
        injectFault('remote-blob');
        summary.blobs++;
        summary.bytes += b.size;
        opts.onProgress?.(summary.blobs, summary.bytes);
      }
      if (snapshotFile && !opts.shouldStop?.()) summary.snapshot = await pushSnapshot(ctx, catalog, r, store, keys.data, snapshotFile, opts);
    } finally {
      if (snapshotDir) await fs.promises.rm(snapshotDir, { recursive: true, force: true });
    }
    catalog.setError(r.id, null);
    return summary;
  } catch (err) {
    catalog.setError(r.id, errorMessage(err));
    throw err;
  }
}

function limit(opts: PushOptions): { limitBytesPerSecond?: number } {
  return opts.limitBytesPerSecond ? { limitBytesPerSecond: opts.limitBytesPerSecond } : {};
}

/** Aborts multipart uploads under the remote's prefix that this library does not know (a crash before their start was recorded). */
async function abortUnknownUploads(catalog: RemoteCatalog, r: RemoteRow, store: S3Store): Promise<void> {
  const known = catalog.uploadIds(r.id);
  const open = await store.openUploads(r.prefix);
  if (open === null) return; // the store can't list them; a bucket lifecycle rule for incomplete uploads cleans these up
  for (const u of open) if (!known.has(u.uploadId)) await store.abortMultipart(u.key, u.uploadId);
}

/** Uploads the catalog snapshot, points `latest` at it, and keeps the three newest. */
async function pushSnapshot(ctx: EngineContext, catalog: RemoteCatalog, r: RemoteRow, store: S3Store, dataKey: Buffer, file: string, opts: PushOptions): Promise<string> {
  const name = `${r.prefix}catalog/snapshot-${new Date(ctx.now()).toISOString().replace(/[:.]/g, '-')}.enc`;
  await uploadEncrypted({ remote: r, store, catalog, dataKey, file, key: name, uploadKey: `catalog:${name}`, ...limit(opts) });
  const pointer = await collect(Buffer.from(JSON.stringify({ object: name, at: ctx.now() })), [new EncryptStream(dataKey)]);
  await store.put(`${r.prefix}${LATEST_OBJECT}`, pointer);
  const old = [...(await store.list(`${r.prefix}catalog/snapshot-`)).keys()].sort().slice(0, -3);
  for (const o of old) await store.delete(o);
  catalog.snapshotPushed(r.id);
  return name;
}
