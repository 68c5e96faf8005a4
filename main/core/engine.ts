import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ActivityLog } from './catalog/activity-log.js';
import { CatalogDb } from './catalog/catalog.js';
import { LibraryCatalog, type AlbumSummary, type FileFacts, type MembershipRow } from './catalog/library-catalog.js';
import { STRAYS_PENDING, collectStrayBlobs } from './blobs/blob-gc.js';
import { BlobUpkeep } from './blobs/blob-upkeep.js';
import type { EngineContext } from './engine-context.js';
import { ShoeboxError, isErrno, libraryWriteError } from './errors.js';
import { checkLibraryLocation, libraryPaths, prepareLibraryDir, type LibraryPaths } from './library/library-location.js';
import { tendReserve } from './library/disk-reserve.js';
import { collectDeadProcesses, registerProcess, unregisterProcess, type ProcessRegistration } from './library/process-registry.js';
import { LibraryHome } from './library/library-home.js';
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
import { keepHeapNearLive } from './heap-growth.js';
import { ExportService, type ExportProgress, type ExportRequest, type ExportSummary } from './export/export-service.js';
import { restoreWatch, type RestoreSummary } from './export/restore-service.js';
import { fileFacts, openCopy, openOriginal } from './export/open-original.js';
import { checkAndRepair } from './check/check-service.js';
import { SimilarService } from './similar/similar-service.js';
import { resolveModelPath } from './similar/model-path.js';
import { RemoteService, type RemoteStatus } from './remote/remote-service.js';
import { SyncGate } from './watch/sync-gate.js';
import { WatchService, type WatchServiceOptions } from './watch/watch-service.js';
import { WatchStore } from './watch/watch-store.js';
import type { AlbumMode } from './upload/album-mapping.js';
import type { WatchRow } from './watch/watch-store.js';
import type { WatchOutcome } from './watch/watch-sync.js';
import type { CredentialStore } from './remote/credentials.js';
import { catalogDamagedError, guardCatalogFile, isCatalogDamage } from './catalog/catalog-damage.js';
import { takeSnapshot } from './catalog/snapshot-job.js';
import { JobRunner } from './jobs/job-runner.js';
import { engineJobs, indexAfterSync } from './jobs/engine-jobs.js';
import { readRunStatus, removeRunStatus, runStatusJob, type RunStatus } from './jobs/run-status.js';
import type { SnapshotKind, WrittenSnapshot } from './catalog/catalog-snapshots.js';
import { CaptureDateService } from './dates/capture-date-service.js';
import { MediaService } from './media/media-service.js';
import { PhotoLibrary } from './photo-library.js';
import { FreeUpService } from './free-up/free-up-service.js';
import { defaultSystemTrash } from './free-up/freedesktop-trash.js';
import type { SystemTrash } from './free-up/system-trash.js';
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
  /** The system Trash for Free up space (the desktop app passes Electron's); default: the freedesktop Trash on Linux. */
  systemTrash?: SystemTrash | null;
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
  sync: RunStatus | null;
}

/** What the library knows about one file. */
export type { FileFacts } from './catalog/library-catalog.js';

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
  /** Free up space: verified sources to the system Trash (DESIGN §11, issue #20). */
  readonly freeUp: FreeUpService;
  private readonly watchStore: WatchStore;
  private readonly exporter: ExportService;
  private readonly upkeep: BlobUpkeep;
  private readonly checkpoints: CheckpointScheduler;
  private running: RunHandle | undefined;
  /** Releases the run lock, while this engine holds it (lockRun). */
  private runLock: (() => void) | undefined;

  private readonly pipeline: UploadPipeline;

  private constructor(private readonly ctx: EngineContext, watchOpts: WatchServiceOptions | undefined, modelPath: string, systemTrash: SystemTrash | null) {
    const pipeline = new UploadPipeline(ctx);
    this.pipeline = pipeline;
    this.uploads = new UploadService(ctx, pipeline);
    this.watchStore = new WatchStore(ctx.cdb, ctx.now);
    this.gate = new SyncGate(ctx.cdb, ctx.paths.uploads, ctx.paths.procs, ctx.registration);
    this.watches = new WatchService(ctx, pipeline, this.watchStore, this.gate, watchOpts);
    this.trash = new TrashService(ctx);
    this.dedup = new DedupService(ctx, this.trash);
    this.thumbnails = new ThumbnailService(ctx);
    this.exporter = new ExportService(ctx, this.watchStore, (ids) => this.dates.dateNow(ids));
    this.dates = new CaptureDateService(ctx);
    this.similar = new SimilarService(ctx, this.trash, modelPath, this.dates);
    this.remotes = new RemoteService(ctx);
    this.media = new MediaService(ctx, this.thumbnails);
    this.photos = new PhotoLibrary(ctx, this.trash);
    this.freeUp = new FreeUpService(ctx, this.remotes, this.watchStore, systemTrash);
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
    checkLibraryLocation(paths.root);
    keepHeapNearLive(); // a long upload or sync must not leave the heap at several times what is live
    guardCatalogFile(paths); // see [Note: A damaged catalog]
    prepareLibraryDir(paths, opts.create ?? true);
    tendReserve(paths.reserve, paths.root, log); // [Note: The disk reserve]
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
        } else if (cdb.meta(STRAYS_PENDING) !== undefined) {
          collectStrayBlobs(cdb, paths, log.child('gc'), now()); // what an earlier collection left in flight
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
      const engine = new Engine(ctx, opts.watch, resolveModelPath(opts.modelPath), opts.systemTrash !== undefined ? opts.systemTrash : defaultSystemTrash());
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
   * Runs the engine: takes the library's run lock (one engine per library), purges expired
   * Trash, reconciles every watch and syncs live until stop(), with the background jobs
   * ([Note: Background jobs]) around it. Writes its status for other processes to read.
   */
  async run(): Promise<RunHandle> {
    if (this.running) return this.running;
    this.ctx.home.assertInPlace();
    this.lockRun();
    const release = () => this.unlockRun();
    let halt!: (err: ShoeboxError) => void;
    const halted = new Promise<ShoeboxError>((resolve) => (halt = resolve));
    const jobs = new JobRunner([
      runStatusJob(this.ctx, () => this.watches.status(), (moved) => this.haltMoved(moved, halt)),
      ...engineJobs({ ctx: this.ctx, watches: this.watches, gate: this.gate, similar: this.similar, remotes: this.remotes, dates: this.dates, purge: () => this.upkeep.purgeInBackground(() => this.purgeTrash()) }),
    ], this.ctx.log.child('jobs'));
    const afterSync = indexAfterSync(this.watches, jobs);
    const teardown = async (stopping: boolean) => {
      afterSync();
      await jobs.stop();
      await this.watches.stop();
      this.pipeline.setLive(false);
      if (stopping) removeRunStatus(this.ctx);
      release();
    };
    try {
      jobs.start();
      await jobs.runNow('trash-purge');
      await this.freeUp.settle(); // before the watches look: a free-up cut short is finished first
      this.upkeep.probe(); // bytes found gone now are stored again from watched originals by the reconcile
      this.pipeline.setLive(true);
      this.ctx.pool.setBackground(); // the window's thread comes first ([Note: Background threads])
      await this.watches.start();
      jobs.kick('capture-dates', 1000);
      jobs.kick('similar-index', 2000);
      await jobs.runNow('run-status');
    } catch (err) {
      await teardown(false);
      throw err;
    }
    let stopped: Promise<void> | undefined;
    this.running = {
      halted,
      stop: () => (stopped ??= teardown(true).then(() => void (this.running = undefined))),
    };
    return this.running;
  }

  /**
   * Takes the library's run lock now (one engine per library; LIBRARY_LOCKED when another holds
   * it), so a shell can be refused before it announces anything (`serve` prints its link only
   * after this). run() uses the lock already taken; its stop, or close(), releases it.
   */
  lockRun(): void {
    this.runLock ??= acquireRunLock(this.ctx.paths.runLock);
  }

  private unlockRun(): void {
    const release = this.runLock;
    this.runLock = undefined;
    release?.();
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
    return this.dedup.apply(selections, onProgress);
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
    return storageReport(this.ctx);
  }

  /** What the library knows about one file (dimensions and capture date once its preview was made). */
  fileFacts(fileId: number): FileFacts {
    const { hash: _, ...facts } = fileFacts(this.ctx, fileId);
    return facts;
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
  restore(watchPath: string, to: string | undefined, onProgress?: (done: number, total: number, bytesWritten: number) => void, signal?: AbortSignal): Promise<RestoreSummary> {
    return restoreWatch(this.ctx, watchPath, to, onProgress, signal);
  }

  /** A stream of a library file's original bytes. */
  openFile(fileId: number): Readable {
    return openOriginal(this.ctx, fileId);
  }

  /** A temporary read-only copy of a file under its own name, for "Open with…". */
  openCopy(fileId: number): Promise<string> {
    return openCopy(this.ctx, fileId);
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

  /**
   * Forgets which deleted sources not to upload again (Settings → Backup → Reset ignored files).
   * A library copy still in Trash whose source is still on disk, unchanged, comes back from Trash (it is that
   * source's backup; backing the source up again would leave a second copy in Trash). The rest
   * are backed up by a catch-up of every watch, which a running engine (in this process or
   * another) starts within a second ([Note: Reset ignored files]).
   */
  resetIgnored(): { reset: number; restored: number } {
    const db = this.ctx.cdb.db;
    return this.ctx.cdb.write(() => {
      const reset = (db.prepare('SELECT COUNT(*) FROM ignored_sources').pluck().get() as number);
      const back = this.trash.deletedYetOnDisk();
      const restored = back.length > 0 ? this.trash.restore(back) : 0;
      this.watchStore.resetIgnored();
      return { reset, restored };
    });
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
    this.forgetErrorsOfDeletedFiles();
    const t = this.ctx.catalog.totals();
    const bad = this.upkeep.badBytes(t.files, t.trashed);
    return {
      library: this.ctx.paths.root,
      hashAlgorithm: this.ctx.catalog.hashAlgorithm,
      schemaVersion: this.ctx.cdb.schemaVersion,
      files: t.files, albums: t.albums, blobs: t.blobs, storedBytes: t.blobBytes, trashed: t.trashed,
      errors: this.ctx.activity.errorCount(this.ctx.now() - 86_400_000), // the last day's
      ...bad,
      recentErrors: this.ctx.activity.recentErrors(20).map(({ at, code, path, message }) => ({ at, code, path, message })),
      recentActivity: this.ctx.activity.recent(20, 'info').map(({ at, code, path, message }) => ({ at, code, path, message })),
      remotes: this.remotes.status(),
      undated: this.dates.pending(),
      sync: this.running ? { ...this.watches.status(), pid: process.pid } : this.otherRunStatus(),
    };
  }

  /**
   * Forgets every recorded problem (`status --dismiss-errors`, the window's Dismiss); a file
   * still in trouble is recorded again at its next try. Returns how many files' problems went.
   */
  dismissErrors(): number {
    return this.ctx.cdb.write(() => {
      const n = this.ctx.activity.dismissErrors();
      if (n > 0) this.ctx.activity.record('info', 'ERRORS_DISMISSED', `Dismissed ${n} problem${n === 1 ? '' : 's'}; a file still in trouble is listed again at its next try`);
      return n;
    });
  }

  /** The latest problem of each file under this folder that could not be backed up. */
  errorsUnder(dir: string): Array<{ path: string | null; code: string; message: string }> {
    return this.ctx.activity.errorsUnder(dir).map(({ path: p, code, message }) => ({ path: p, code, message }));
  }

  /**
   * Forgets what a browser upload's staged copies left (removed once committed): their errors
   * (the upload's summary named them; they could never clear) and their source records (a
   * temporary folder is not where a photo came from, and nothing can be read back from it).
   */
  forgetStagedUpload(dir: string): void {
    this.ctx.cdb.write(() => {
      this.ctx.activity.clearErrorsUnder(dir);
      this.ctx.catalog.sources.forgetUploadedUnder(dir);
    });
  }

  private lastErrorSweep = 0;

  /**
   * [Note: Current errors] A file that could not be backed up and was then deleted is no longer
   * a problem: a watch forgets it when it sees the deletion, and this (at most once a minute, on
   * status) does the same for files given to an upload, and for watched files deleted while no
   * engine runs. Only where the file is gone and its folder is still there: a path whose folder
   * is gone too may be on a drive not mounted now; and never a watched folder itself (its
   * parent is there while its drive is not).
   */
  private forgetErrorsOfDeletedFiles(): void {
    const now = this.ctx.now();
    if (now - this.lastErrorSweep < 60_000) return;
    this.lastErrorSweep = now;
    const roots = new Set(this.watchStore.list().map((w) => w.path));
    const exists = (p: string) => {
      try {
        fs.lstatSync(p);
        return true;
      } catch (err) {
        return !isErrno(err, 'ENOENT', 'ENOTDIR'); // unreadable is not gone
      }
    };
    const gone = this.ctx.activity.errorPaths(2000).filter((p) => path.isAbsolute(p) && !roots.has(p) && !exists(p) && exists(path.dirname(p)));
    if (gone.length === 0) return;
    try {
      this.ctx.cdb.write(() => this.ctx.activity.clearErrors(gone));
    } catch (err) {
      this.ctx.log.debug('problems of deleted files not forgotten now', { error: (err as Error).message }); // status still answers
    }
  }

  private otherRunStatus(): RunStatus | null {
    return this.otherRunPid() === null ? null : readRunStatus(this.ctx);
  }

  /** Finishes in-flight work, stops the workers and closes the catalog. */
  async close(): Promise<void> {
    await this.running?.stop();
    this.unlockRun(); // taken by lockRun() for a run() that never started
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
