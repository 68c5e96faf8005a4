import fs from 'node:fs';
import os from 'node:os';
import { ActivityLog } from './catalog/activity-log.js';
import { CatalogDb } from './catalog/catalog.js';
import { LibraryCatalog, type AlbumSummary, type MembershipRow } from './catalog/library-catalog.js';
import { collectStrayBlobs } from './blobs/blob-gc.js';
import { noteBlobRead } from './blobs/blob-health.js';
import { BlobUpkeep } from './blobs/blob-upkeep.js';
import type { EngineContext } from './engine-context.js';
import { ShoeboxError, isErrno, libraryWriteError } from './errors.js';
import { libraryPaths, type LibraryPaths } from './library/library-location.js';
import { collectDeadProcesses, registerProcess, unregisterProcess, type ProcessRegistration } from './library/process-registry.js';
import { LibraryHome } from './library/library-home.js';
import { realPath } from './library/path-identity.js';
import { silentLogger, type Logger } from './logger.js';
import { IngestPool } from './upload/ingest-pool.js';
import { UploadPipeline } from './upload/upload-pipeline.js';
import { UploadService, type UploadProgress, type UploadRequest, type UploadSummary } from './upload/upload-service.js';
import { fileHistory, restoreVersion, type FileVersion } from './catalog/versions.js';
import { acquireRunLock, runLockHolder } from './library/process-registry.js';
import { TrashService, type PurgeResult } from './trash/trash-service.js';
import { DedupService, type DedupGroupResult, type DedupSelection } from './dedup/dedup-service.js';
import { storageReport, type StorageReport } from './dedup/storage-report.js';
import { ThumbnailService, type Thumbnail } from './thumbs/thumbnail-service.js';
import { ExportService, type ExportProgress, type ExportRequest, type ExportSummary } from './export/export-service.js';
import { restoreWatch, type RestoreSummary } from './export/restore-service.js';
import { checkAndRepair } from './check/check-service.js';
import { blobPath } from './blobs/blob-store.js';
import { SimilarService } from './similar/similar-service.js';
import { resolveModelPath } from './similar/model-path.js';
import { RemoteService, type RemoteStatus } from './remote/remote-service.js';
import { SyncGate } from './watch/sync-gate.js';
import { WatchService, type SyncStatus, type WatchServiceOptions } from './watch/watch-service.js';
import { WatchStore } from './watch/watch-store.js';
import type { AlbumMode } from './upload/album-mapping.js';
import type { WatchRow } from './watch/watch-store.js';
import type { WatchOutcome } from './watch/watch-sync.js';
import type { FileMeta } from './dedup/choose-keep.js';
import type { CredentialStore } from './remote/credentials.js';
import { writeFileAtomic } from './atomic-write.js';
import { catalogDamagedError, guardCatalogFile, isCatalogDamage } from './catalog/catalog-damage.js';
import { snapshotJobFor, takeSnapshot } from './catalog/snapshot-job.js';
import type { SnapshotKind, WrittenSnapshot } from './catalog/catalog-snapshots.js';
import { injectFault } from './faults.js';
import { CaptureDateService } from './dates/capture-date-service.js';
import { MediaService } from './media/media-service.js';
import { PhotoLibrary } from './photo-library.js';
import { CheckpointScheduler } from './catalog/checkpoints.js';

/** How to open a library. */
export interface EngineOptions {
  libraryDir: string;
  /** Create the library if it does not exist (commands that only read pass false). */
  create?: boolean;
  log?: Logger;
  now?: () => number;
  threads?: number;
  retryDelayMs?: number;
  watch?: WatchServiceOptions;
  /** The image model for Similar images (default: SHOEBOX_MODEL, else the built one). */
  modelPath?: string;
  /** Where remotes' access keys are kept (the desktop app passes its keychain-backed store). */
  credentials?: CredentialStore;
}

/** A snapshot of the library for `status`. */
export interface LibraryStatus {
  library: string;
  hashAlgorithm: string;
  schemaVersion: number;
  files: number;
  albums: number;
  blobs: number;
  storedBytes: number;
  trashed: number;
  errors: number;
  /** Live files whose stored bytes are known to be missing / damaged ([Note: Blob health marks]). */
  missingBytes: number;
  damagedBytes: number;
  recentErrors: Array<{ at: number; code: string; path: string | null; message: string }>;
  /** What happened lately (backed up, moved, removed, new versions…), newest first. */
  recentActivity: Array<{ at: number; code: string; path: string | null; message: string }>;
  /** Offsite remotes and how far each is. */
  remotes: RemoteStatus[];
  /** Files whose capture date is still being looked for (the timeline re-reads as it drops). */
  undated: number;
  /** Live sync state of the running engine (this process or the `run` holding the lock), if any. */
  sync: (SyncStatus & { pid: number }) | null;
}

/** What the library knows about one file. */
export interface FileFacts extends FileMeta {
  trashed: boolean;
}

/** A running engine (`shoebox run`, the desktop app, `serve`). */
export interface RunHandle {
  stop(): Promise<void>;
  /** Settles if the engine stops by itself: the library folder was moved away (LIBRARY_MOVED). */
  readonly halted: Promise<ShoeboxError>;
}

/**
 * The Shoebox engine: one open library and the services over it. Both shells (the Electron
 * main process and the `shoebox` CLI) build exactly one of these and add nothing else.
 */
export class Engine {
  private readonly uploads: UploadService;
  /** Watch folders (DESIGN §2). */
  readonly watches: WatchService;
  /** Trash (DESIGN §1). */
  readonly trash: TrashService;
  /** Deduplicate files (DESIGN §4). */
  readonly dedup: DedupService;
  /** Previews, made lazily. */
  readonly thumbnails: ThumbnailService;
  /** Similar images (DESIGN §5). */
  readonly similar: SimilarService;
  /** Offsite remotes (issue #10). */
  readonly remotes: RemoteService;
  /** Pause state shared by every process on the library. */
  readonly gate: SyncGate;
  /** Capture dates and their back-fill (issue #16). */
  readonly dates: CaptureDateService;
  /** What the window shows of a file: thumbnail, full-size preview, original (issue #16). */
  readonly media: MediaService;
  /** The timeline, file info and album edits from the window (issue #16). */
  readonly photos: PhotoLibrary;
  private readonly watchStore: WatchStore;
  private readonly exporter: ExportService;
  private readonly upkeep: BlobUpkeep;
  private readonly checkpoints: CheckpointScheduler;
  private running: RunHandle | undefined;

  private readonly pipeline: UploadPipeline;

  private constructor(private readonly ctx: EngineContext, watchOpts: WatchServiceOptions | undefined, modelPath: string) {
    const pipeline = new UploadPipeline(ctx);
    this.pipeline = pipeline;
    this.uploads = new UploadService(ctx, pipeline);
    this.watchStore = new WatchStore(ctx.cdb, ctx.now);
    this.gate = new SyncGate(ctx.cdb, ctx.paths.uploads, ctx.paths.procs, ctx.registration);
    this.watches = new WatchService(ctx, pipeline, this.watchStore, this.gate, watchOpts);
    this.trash = new TrashService(ctx);
    this.dedup = new DedupService(ctx, this.trash);
    this.thumbnails = new ThumbnailService(ctx);
    this.exporter = new ExportService(ctx, this.watchStore);
    this.similar = new SimilarService(ctx, this.trash, modelPath);
    this.remotes = new RemoteService(ctx);
    this.dates = new CaptureDateService(ctx);
    this.media = new MediaService(ctx, this.thumbnails);
    this.photos = new PhotoLibrary(ctx, this.trash);
    this.checkpoints = new CheckpointScheduler(ctx.cdb, (task) => ctx.pool.checkpointCatalog(task), ctx.log.child('catalog'));
    this.upkeep = new BlobUpkeep(ctx, (hashes) => {
      this.thumbnails.forget(hashes);
      this.remotes.forgetBlobs(hashes); // their remote copies go on the next push
    });
  }

  /** Opens (or creates) a library: catalog migrations, crash leftovers collected, worker pool ready. */
  static open(opts: EngineOptions): Engine {
    const paths = libraryPaths(opts.libraryDir);
    const log = opts.log ?? silentLogger;
    const now = opts.now ?? Date.now;
    guardCatalogFile(paths); // see [Note: A damaged catalog]
    prepareLibraryDir(paths, opts.create ?? true);
    const cdb = CatalogDb.open(paths.catalog, { now, snapshotDir: paths.snapshots });
    let home: LibraryHome | undefined;
    try {
      home = new LibraryHome(paths.root);
      let registration: ProcessRegistration;
      try {
        const { deadProcesses, tempEntries } = collectDeadProcesses(paths.procs, paths.tmp);
        if (deadProcesses > 0 || tempEntries > 0) {
          log.info('a previous Shoebox process did not close cleanly; collecting its leftovers', { deadProcesses, tempEntries });
          collectStrayBlobs(cdb, paths, log.child('gc'), now());
        }
        registration = registerProcess(paths.procs, paths.tmp);
      } catch (err) {
        throw libraryWriteError(err, paths.root);
      }
      const catalog = new LibraryCatalog(cdb, now);
      const ctx: EngineContext = {
        paths, cdb, catalog, activity: new ActivityLog(cdb, now), pool: new IngestPool(opts.threads), tmpDir: registration.tmpDir, registration, home,
        log, now, retryDelayMs: opts.retryDelayMs ?? 250, ...(opts.credentials ? { credentials: opts.credentials } : {}),
        dirty: false,
      };
      const engine = new Engine(ctx, opts.watch, resolveModelPath(opts.modelPath));
      engine.upkeep.finishPurge(); // blobs of a purge cut short by a crash
      engine.checkpoints.start();
      return engine;
    } catch (err) {
      home?.close();
      cdb.close();
      throw isCatalogDamage(err) ? catalogDamagedError(paths.catalog, err) : err;
    }
  }

  /** The library's folder layout. */
  get paths(): LibraryPaths {
    return this.ctx.paths;
  }

  /** Manual upload of files, folders and ZIP archives; watch processing pauses meanwhile (in every process). */
  async upload(req: UploadRequest, opts?: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal }): Promise<UploadSummary> {
    this.ctx.home.assertInPlace();
    const done = this.gate.beginUpload();
    try {
      return await this.uploads.upload(req, opts);
    } finally {
      done();
    }
  }

  /** Adds a watch folder. Unless an engine is running (here or in another process), it is synced now. */
  async addWatch(folder: string, opts: { mode?: AlbumMode; poll?: boolean }, onOutcome?: (p: string, o: WatchOutcome) => void): Promise<{ watch: WatchRow; syncedNow: boolean; runningPid: number | null }> {
    const watch = await this.watches.add(folder, opts);
    const runningPid = this.running ? process.pid : this.otherRunPid();
    if (runningPid !== null) return { watch, syncedNow: false, runningPid };
    await this.watches.reconcile(watch, onOutcome);
    return { watch, syncedNow: true, runningPid };
  }

  /**
   * Runs the engine: takes the library's run lock (one engine per library), reconciles every
   * watch and syncs live until stop(). Writes its status for other processes to read.
   */
  async run(): Promise<RunHandle> {
    if (this.running) return this.running;
    this.ctx.home.assertInPlace();
    const release = acquireRunLock(this.ctx.paths.runLock);
    let lastStatus = '';
    // `root` lets a reader tell a status written for this folder from one that moved here with
    // the folder while this engine still thinks it is elsewhere ([Note: A library moved while open]).
    const root = realPath(this.ctx.paths.root);
    let halt: ((err: ShoeboxError) => void) | undefined;
    const halted = new Promise<ShoeboxError>((resolve) => (halt = resolve));
    const writeStatus = () => {
      const moved = this.ctx.home.check();
      if (moved) {
        if (halt) this.haltMoved(moved, halt);
        halt = undefined;
        return;
      }
      const json = JSON.stringify({ ...this.watches.status(), pid: process.pid, root });
      if (json === lastStatus) return;
      lastStatus = json;
      writeFileAtomic(this.ctx.paths.runStatus, json, undefined, false);
    };
    let timer: NodeJS.Timeout | undefined;
    let purgeTimer: NodeJS.Timeout | undefined;
    const purge = () => this.upkeep.purgeInBackground(() => this.purgeTrash());
    // Background work that waits while files are being backed up (backups come first) or syncing
    // is paused, and stops between its batches when a backup starts.
    let stopping = false;
    const busy = () => stopping || this.gate.pausedReason() !== null || this.watches.status().state === 'syncing';
    // Background indexing for Similar images: a few hundred images at a time, then a look every
    // half minute for new ones, and once a sync is done. Not while a sync runs: the model's
    // thread (~110 MB) beside a 100k-file sync put `run` at 410 MB instead of 360, and the sync
    // took half as long again (issue #18).
    let indexing: Promise<void> | undefined;
    const indexSome = () => {
      if (indexing || busy() || !this.similar.enabled) return;
      indexing = this.similar
        .index({ max: 256, shouldStop: busy })
        .then((n) => {
          if (n > 0) setTimeout(indexSome, 100);
        })
        .catch((err: unknown) => this.ctx.log.warn('similar-image indexing stopped', { error: (err as Error).message }))
        .finally(() => (indexing = undefined));
    };
    let wasSyncing = false;
    const afterSync = this.watches.onStatus((st) => {
      if (wasSyncing && st.state !== 'syncing') setTimeout(indexSome, 1000);
      wasSyncing = st.state === 'syncing';
    });
    const indexTimer = setInterval(indexSome, 30_000);
    // Background push to offsite remotes: every minute, while syncing is not paused.
    let pushing: Promise<void> | undefined;
    const pushAll = () => {
      if (pushing || stopping || this.gate.pausedReason() || this.remotes.list().length === 0) return;
      pushing = (async () => {
        for (const r of this.remotes.list()) {
          if (stopping || this.gate.pausedReason()) return;
          const s = await this.remotes.push(r.url, { shouldStop: () => stopping || this.gate.pausedReason() !== null });
          if (s.blobs > 0) this.ctx.log.info('pushed to remote', { remote: r.url, blobs: s.blobs, bytes: s.bytes });
        }
      })()
        .catch((err: unknown) => this.ctx.log.warn('push to a remote failed; retrying in a minute', { error: (err as Error).message }))
        .finally(() => (pushing = undefined));
    };
    const pushTimer = setInterval(pushAll, 60_000);
    const snapshots = snapshotJobFor(this.ctx); // [Note: Catalog snapshots]: daily, in a worker
    // Capture dates (issue #16): new files and an older library's back-fill, a batch at a time
    // once backing up is done (backups come first) and syncing is not paused; resumable because
    // the catalog marks each dated file.
    let dating: Promise<void> | undefined;
    const dateSome = () => {
      if (dating || busy()) return;
      dating = this.dates
        .backfill({ max: 512, shouldStop: busy })
        .then((n) => {
          if (n > 0 && !stopping) setTimeout(dateSome, 50);
        })
        .catch((err: unknown) => this.ctx.log.warn('capture-date back-fill stopped; retrying in a few seconds', { error: (err as Error).message }))
        .finally(() => (dating = undefined));
    };
    const dateTimer = setInterval(dateSome, 3000);
    try {
      snapshots.start();
      purge(); // on start, then daily (DESIGN §1: Trash keeps files 30 days)
      purgeTimer = setInterval(purge, 86_400_000);
      this.upkeep.probe(); // bytes found gone now are stored again from watched originals by the reconcile
      this.pipeline.setLive(true);
      await this.watches.start();
      setTimeout(indexSome, 2000);
      setTimeout(dateSome, 1000);
      writeStatus();
      timer = setInterval(writeStatus, 1000);
    } catch (err) {
      clearInterval(purgeTimer);
      clearInterval(indexTimer);
      afterSync();
      clearInterval(pushTimer);
      await snapshots.stop();
      clearInterval(dateTimer);
      await this.watches.stop();
      this.pipeline.setLive(false);
      release();
      throw err;
    }
    let stopped: Promise<void> | undefined;
    this.running = {
      halted,
      stop: () => (stopped ??= (async () => {
        clearInterval(timer);
        clearInterval(purgeTimer);
        clearInterval(indexTimer);
        afterSync();
        clearInterval(pushTimer);
        clearInterval(dateTimer);
        stopping = true;
        await indexing;
        await pushing;
        await snapshots.stop();
        await dating;
        await this.watches.stop();
        this.pipeline.setLive(false);
        if (!this.ctx.home.check()) fs.rmSync(this.ctx.paths.runStatus, { force: true });
        release();
        this.running = undefined;
      })()),
    };
    return this.running;
  }

  /** Stops syncing for good because the library folder moved away, and says so (in the library's own activity too). */
  private haltMoved(moved: ShoeboxError, done: (err: ShoeboxError) => void): void {
    this.ctx.log.info('the library folder was moved while open; syncing stopped', { library: this.ctx.paths.root, now: this.ctx.home.currentPath() });
    try {
      // The catalog is still open where the folder went: the moved library's status shows why syncing stopped.
      this.ctx.cdb.write(() => this.ctx.activity.record('error', 'LIBRARY_MOVED', moved.userMessage, null));
    } catch (err) {
      this.ctx.log.warn('could not record that the library moved', { error: (err as Error).message });
    }
    (this.running?.stop() ?? Promise.resolve())
      .catch((err: unknown) => this.ctx.log.warn('stopping after the library moved failed', { error: (err as Error).message }))
      .finally(() => done(moved));
  }

  /** The pid of a live `run` in another process, if any. */
  otherRunPid(): number | null {
    return this.running ? null : runLockHolder(this.ctx.paths.runLock);
  }

  /** Applies confirmed duplicate groups, each atomically; reports progress after each group. */
  applyDedup(selections: DedupSelection[], onProgress?: (done: number, total: number, last: DedupGroupResult) => void): DedupGroupResult[] {
    const results: DedupGroupResult[] = [];
    for (const sel of selections) {
      results.push(this.dedup.applyGroup(sel));
      injectFault('dedup-group');
      onProgress?.(results.length, selections.length, results.at(-1)!);
    }
    return results;
  }

  /** Purges Trash (expired items, or all) and drops the previews of removed blobs. */
  purgeTrash(opts: { all?: boolean; before?: number } = {}): PurgeResult {
    const r = this.trash.purge(opts);
    this.upkeep.afterPurge(r); // previews and remote copies of removed blobs; quarantine older than 30 days
    return r;
  }

  /** Takes a verified catalog snapshot now; throws LIBRARY_CORRUPT if the catalog can't be copied whole. */
  snapshotCatalog(kind: SnapshotKind): Promise<WrittenSnapshot> {
    return takeSnapshot(this.ctx, kind);
  }

  /** Storage accounting. */
  storage(): StorageReport {
    return storageReport(this.ctx, dirBytes(this.ctx.paths.thumbnails));
  }

  /** What the library knows about one file (dimensions and capture date once its preview was made). */
  fileFacts(fileId: number): FileFacts {
    const row = this.ctx.cdb.db
      .prepare('SELECT id AS fileId, name, size, media_type AS mediaType, width, height, taken_at AS takenAt, modified_at AS modifiedAt, trashed_at IS NOT NULL AS trashed FROM files WHERE id = ?')
      .get(fileId) as (Omit<FileFacts, 'trashed'> & { trashed: number }) | undefined;
    if (!row) throw new ShoeboxError('NOT_FOUND', `There is no file ${fileId} in the library.`);
    return { ...row, trashed: row.trashed === 1 };
  }

  /** How many previews are made at once (the worker pool's threads, for benches). */
  get thumbnailsConcurrency(): number {
    return this.ctx.pool.threads;
  }

  /** A file's preview (made now if needed). */
  thumbnail(fileId: number): Promise<Thumbnail> {
    return this.thumbnails.get(fileId);
  }

  /** Export originals (issue #9). */
  export(req: ExportRequest, onProgress?: (p: ExportProgress) => void): Promise<ExportSummary> {
    return this.exporter.export(req, onProgress);
  }

  /** Re-creates a watched folder's tree from the library (issue #9). */
  restore(watchPath: string, to: string | undefined, onProgress?: (done: number, total: number) => void): Promise<RestoreSummary> {
    return restoreWatch(this.ctx, watchPath, to, onProgress);
  }

  /** A stream of a library file's original bytes. */
  openFile(fileId: number): fs.ReadStream {
    const row = this.ctx.cdb.db.prepare('SELECT blob_hash AS hash FROM files WHERE id = ?').get(fileId) as { hash: string } | undefined;
    if (!row) throw new ShoeboxError('NOT_FOUND', `There is no file ${fileId} in the library. \`shoebox ls\` shows file ids.`);
    const p = blobPath(this.ctx.paths.objects, row.hash);
    if (!fs.existsSync(p)) {
      noteBlobRead(this.ctx.cdb, row.hash, 'missing', this.ctx.now());
      throw new ShoeboxError('LIBRARY_CORRUPT', `The stored bytes of file ${fileId} are missing. Run \`shoebox check\`; backing up the original again stores them again.`);
    }
    return fs.createReadStream(p);
  }

  /** A temporary read-only copy of a file under its own name, for "Open with…". */
  async openCopy(fileId: number): Promise<string> {
    const f = this.fileFacts(fileId);
    const row = this.ctx.cdb.db.prepare('SELECT blob_hash AS hash FROM files WHERE id = ?').get(fileId) as { hash: string };
    const dest = `${os.tmpdir()}/shoebox-open-${process.getuid?.() ?? 'user'}/${fileId}/${f.name.replace(/[/\\]/g, '_')}`;
    const r = await this.ctx.pool.copyOut({ blobPath: blobPath(this.ctx.paths.objects, row.hash), expectedHash: row.hash, dest, mtimeMs: f.modifiedAt, onConflict: 'refuse' });
    if (r.kind === 'written' || (r.kind === 'failed' && r.blob)) noteBlobRead(this.ctx.cdb, row.hash, r.kind === 'written' ? 'verified' : r.blob!, this.ctx.now());
    if (r.kind === 'failed') throw new ShoeboxError(r.code, `${f.name} ${r.message}`);
    if (r.kind === 'conflict') throw new ShoeboxError('CONFLICT', `${dest} exists with other content.`);
    fs.chmodSync(dest, 0o444);
    return dest;
  }

  /** `check`: invariants, SQLite integrity, optionally every blob; repair what loses nothing. */
  check(opts: { readData: boolean; repair: boolean }) {
    return checkAndRepair(this.ctx, {
      ...opts,
      beforeRepair: () => this.snapshotCatalog('before-repair'),
      restoreBlob: async (hash, source, replaceDamaged) => {
        const damaged = replaceDamaged ? { damagedDir: this.ctx.paths.damaged } : {};
        const [r] = await this.ctx.pool.ingestBatch({ entries: [{ path: source, mode: 'copy', expectedHash: hash, ...damaged }], tmpDir: this.ctx.tmpDir, objectsDir: this.ctx.paths.objects });
        if (!r) throw new Error('no result from the worker');
        return { ok: r.kind === 'hashed' && r.hash === hash, movedAside: r.kind === 'hashed' ? (r.movedAside ?? null) : null };
      },
    });
  }

  /** Version history of a file, newest first. */
  history(fileId: number): FileVersion[] {
    return fileHistory(this.ctx, fileId);
  }

  /** Puts an earlier version back into its albums. */
  restoreVersion(versionId: number): { albums: string[] } {
    return restoreVersion(this.ctx, versionId);
  }

  /** Forgets which deleted sources not to upload again (Settings → Backup → Reset ignored files). */
  resetIgnored(): number {
    return this.ctx.cdb.write(() => this.watchStore.resetIgnored());
  }

  /** Every album with counts (Uncategorized last). */
  albums(): AlbumSummary[] {
    return this.ctx.catalog.listAlbums();
  }

  /** Memberships, of one album by name or of all. */
  list(albumName?: string): MembershipRow[] {
    if (albumName === undefined) return this.ctx.catalog.listMemberships();
    const id = this.ctx.catalog.albumIdByName(albumName);
    if (id === undefined) throw new ShoeboxError('NOT_FOUND', `There is no album named "${albumName}". \`shoebox albums\` lists them.`);
    return this.ctx.catalog.listMemberships(id);
  }

  /** One page of an album's files, newest first. */
  albumPage(albumId: number, offset: number, limit: number): ReturnType<LibraryCatalog['albumPage']> {
    return this.ctx.catalog.albumPage(albumId, offset, limit);
  }

  /** Totals and recent per-file errors. */
  status(): LibraryStatus {
    this.upkeep.probe();
    const t = this.ctx.catalog.totals();
    const bad = this.upkeep.badBytes(t.files, t.trashed);
    return {
      library: this.ctx.paths.root,
      hashAlgorithm: this.ctx.catalog.hashAlgorithm,
      schemaVersion: this.ctx.cdb.schemaVersion,
      files: t.files, albums: t.albums, blobs: t.blobs, storedBytes: t.blobBytes, trashed: t.trashed,
      errors: this.ctx.activity.errorCount(this.ctx.now() - 86_400_000), // the last day's
      ...bad,
      recentErrors: this.ctx.activity.recent(20, 'error').map(({ at, code, path, message }) => ({ at, code, path, message })),
      recentActivity: this.ctx.activity.recent(20, 'info').map(({ at, code, path, message }) => ({ at, code, path, message })),
      remotes: this.remotes.status(),
      undated: this.dates.pending(),
      sync: this.running ? { ...this.watches.status(), pid: process.pid } : this.otherRunStatus(),
    };
  }

  private otherRunStatus(): (SyncStatus & { pid: number }) | null {
    if (this.otherRunPid() === null) return null;
    try {
      const { root, ...s } = JSON.parse(fs.readFileSync(this.ctx.paths.runStatus, 'utf8')) as SyncStatus & { pid: number; root?: string };
      // An engine that had this folder open under another name (it was moved while running) is
      // not running *here*: it stops as soon as it notices ([Note: A library moved while open]).
      return root === undefined || root === realPath(this.ctx.paths.root) ? s : null;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return null; // the run is still starting
      throw err;
    }
  }

  /** Finishes in-flight work, stops the workers and closes the catalog. */
  async close(): Promise<void> {
    await this.running?.stop();
    await this.dates.close();
    await this.media.close();
    await this.checkpoints.stop();
    await this.ctx.pool.close();
    let unclean = false;
    if (this.ctx.dirty) {
      // A write failed halfway this session (disk full, I/O error): bytes may have been placed
      // without their row. Collect them now rather than waiting for a crash to be noticed.
      try {
        unclean = collectStrayBlobs(this.ctx.cdb, this.ctx.paths, this.ctx.log.child('gc'), this.ctx.now()).blockedBy !== null;
      } catch (err) {
        unclean = true;
        this.ctx.log.warn('could not collect stray blobs at close; the next process to open the library will', { error: (err as Error).message });
      }
    }
    unregisterProcess(this.ctx.registration, { unclean });
    this.ctx.home.close();
    this.ctx.cdb.close();
  }
}

/** Total size of the files under a folder (0 if it doesn't exist). */
function dirBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return 0;
    throw err;
  }
  for (const e of entries) total += e.isDirectory() ? dirBytes(`${dir}/${e.name}`) : fs.statSync(`${dir}/${e.name}`).size;
  return total;
}

function prepareLibraryDir(paths: LibraryPaths, create: boolean): void {
  if (!create && !fs.existsSync(paths.catalog)) {
    throw new ShoeboxError('NOT_FOUND', `There is no Shoebox library at ${paths.root} yet. Back something up first (\`shoebox upload FOLDER\`), or point --library at an existing one.`);
  }
  try {
    for (const dir of [paths.root, paths.objects, paths.tmp, paths.procs, paths.uploads]) fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(paths.root, fs.constants.W_OK);
  } catch (err) {
    if (isErrno(err, 'ENOTDIR', 'EEXIST')) {
      throw new ShoeboxError('LIBRARY_NOT_WRITABLE', `The library location ${paths.root} is not a folder. Choose another with --library.`, { cause: err });
    }
    throw libraryWriteError(err, paths.root);
  }
}
