import { RemoteCatalog, type RemoteCounts, type RemoteRow } from '../catalog/remote-catalog.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, errorMessage } from '../errors.js';
import { noCredentialStore, type RemoteCredentials } from './credentials.js';
import { blobObjectName, createKeys, deriveKeys, unlockKeys, type KeyFile } from './remote-crypto.js';
import { checkRemote, type RemoteCheckReport } from './remote-check.js';
import { offsiteVerifier, type OffsiteCheck } from './offsite-verify.js';
import { readMasterKeySync, removeMasterKey, writeMasterKey } from './remote-keys.js';
import { KEYS_OBJECT, pushToRemote, type PushOptions, type PushSummary } from './remote-push.js';
import { S3Store, parseRemoteUrl } from './s3-store.js';

export type { RemoteRow } from '../catalog/remote-catalog.js';
export type { PushOptions, PushSummary } from './remote-push.js';
export { PART_SIZE } from './remote-upload.js';
export { rebuildFromRemote, type RebuildSummary, type RemoteSecret } from './remote-rebuild.js';

/** How far a remote is. */
export interface RemoteStatus extends RemoteRow, RemoteCounts {}

/**
 * Offsite remotes (issue #10): an encrypted replica of the library in an S3-compatible bucket.
 * Everything is encrypted on this machine before it leaves (remote-crypto.ts); object names
 * are keyed hashes; the catalog is pushed as an encrypted snapshot; a new machine rebuilds the
 * library from the remote alone (remote-rebuild.ts). The parts: the store (s3-store.ts), push
 * (remote-push.ts, remote-upload.ts), check (remote-check.ts) and rebuild; what the catalog
 * knows of remotes is in catalog/remote-catalog.ts, the master keys in remote-keys.ts.
 */
export class RemoteService {
  private readonly inFlight = new Map<string, Promise<PushSummary>>();
  private readonly catalog: RemoteCatalog;

  constructor(private readonly ctx: EngineContext) {
    this.catalog = new RemoteCatalog(ctx.cdb, ctx.now);
  }

  /** Every remote. */
  list(): RemoteRow[] {
    return this.catalog.list();
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
    const id = this.catalog.add(loc);
    writeMasterKey(this.ctx.paths.root, id, master);
    if (opts.credentials) this.ctx.credentials!.set(loc.url, opts.credentials);
    return { remote: this.list().find((r) => r.id === id)!, recoveryKey };
  }

  /** Stops pushing to a remote (what is there stays). */
  async remove(url: string): Promise<RemoteRow> {
    const r = this.byUrl(url);
    this.catalog.remove(r.id);
    await removeMasterKey(this.ctx.paths.root, r.id);
    this.ctx.credentials?.delete(r.url);
    return r;
  }

  /** Progress of every remote. */
  status(): RemoteStatus[] {
    return this.list().map((r) => ({ ...r, ...this.catalog.counts(r.id) }));
  }

  /** Purged blobs: their remote copies are deleted on the next push (DESIGN §1: after the same 30 days). */
  forgetBlobs(hashes: string[]): void {
    if (hashes.length === 0) return;
    for (const r of this.list()) {
      let names: Buffer;
      try {
        names = deriveKeys(readMasterKeySync(this.ctx.paths.root, r)).names;
      } catch (err) {
        this.ctx.log.warn('cannot name remote objects to delete', { remote: r.url, error: errorMessage(err) });
        continue;
      }
      this.catalog.queueDeletes(r.id, hashes.map((hash) => ({ hash, object: blobObjectName(r.prefix, names, hash) })));
    }
  }

  /** Pushes every blob a remote lacks, then an encrypted catalog snapshot (remote-push.ts). */
  async push(url: string, opts: PushOptions = {}): Promise<PushSummary> {
    // One push per remote at a time in this process (the background push and "Push now" in
    // the window): a second one waits for the first, then finds only what is left.
    const prev = this.inFlight.get(url);
    const run = (async () => {
      await prev?.catch(() => undefined); // the first push's failure is its caller's to report
      return pushToRemote(this.ctx, this.catalog, this.byUrl(url), opts);
    })();
    this.inFlight.set(url, run);
    try {
      return await run;
    } finally {
      if (this.inFlight.get(url) === run) this.inFlight.delete(url);
    }
  }

  /** Checks offsite copies of single contents, reading only those objects (Free up space, issue #20). */
  offsiteVerifier(): (hash: string) => Promise<OffsiteCheck> {
    return offsiteVerifier(this.list().map((r) => ({
      url: r.url,
      prefix: r.prefix,
      pushed: (hash: string) => this.catalog.isPushed(r.id, hash),
      open: () => ({ store: new S3Store(r, this.ctx.credentials?.get(r.url)), keys: deriveKeys(readMasterKeySync(this.ctx.paths.root, r)) }),
    })));
  }

  /** Compares a remote with the catalog (remote-check.ts). */
  check(url: string, readData: boolean): Promise<RemoteCheckReport> {
    return checkRemote(this.ctx, this.byUrl(url), readData);
  }
}
