import fs from 'node:fs';
import os from 'node:os';
import { ActivityLog } from './catalog/activity-log.js';
import { CatalogDb } from './catalog/catalog.js';
import { LibraryCatalog } from './catalog/library-catalog.js';
import { collectStrayBlobs } from './blobs/blob-gc.js';
import { ShoeboxError, isErrno, libraryWriteError } from './errors.js';
import { libraryPaths } from './library/library-location.js';
import { collectDeadProcesses, registerProcess, unregisterProcess } from './library/process-registry.js';
import { LibraryHome } from './library/library-home.js';
import { realPath } from './library/path-identity.js';
import { silentLogger } from './logger.js';
import { IngestPool } from './upload/ingest-pool.js';
import { UploadPipeline } from './upload/upload-pipeline.js';
import { UploadService } from './upload/upload-service.js';
import { fileHistory, restoreVersion } from './catalog/versions.js';
import { acquireRunLock, runLockHolder } from './library/process-registry.js';
import { TrashService } from './trash/trash-service.js';
import { DedupService } from './dedup/dedup-service.js';
import { storageReport } from './dedup/storage-report.js';
import { ThumbnailService } from './thumbs/thumbnail-service.js';
import { ExportService } from './export/export-service.js';
import { restoreWatch } from './export/restore-service.js';
import { checkAndRepair } from './check/check-service.js';
import { blobPath } from './blobs/blob-store.js';
import { SimilarService } from './similar/similar-service.js';
import { resolveModelPath } from './similar/model-path.js';
import { RemoteService } from './remote/remote-service.js';
import { SyncGate } from './watch/sync-gate.js';
import { WatchService } from './watch/watch-service.js';
import { WatchStore } from './watch/watch-store.js';
import { writeFileAtomic } from './atomic-write.js';
import { catalogDamagedError, guardCatalogFile, isCatalogDamage } from './catalog/catalog-damage.js';
import { snapshotJobFor, takeSnapshot } from './catalog/snapshot-job.js';
import { injectFault } from './faults.js';
import { CaptureDateService } from './dates/capture-date-service.js';
import { MediaService } from './media/media-service.js';
import { PhotoLibrary } from './photo-library.js';
import { FreeUpService } from './free-up/free-up-service.js';
import { defaultSystemTrash } from './free-up/freedesktop-trash.js';
/**
 * The Shoebox engine: one open library and the services over it. Both shells (the Electron
 * main process and the `shoebox` CLI) build exactly one of these and add nothing else.
 */
export class Engine {
    ctx;
    uploads;
    /** Watch folders (DESIGN §2). */
    watches;
    /** Trash (DESIGN §1). */
    trash;
    /** Deduplicate files (DESIGN §4). */
    dedup;
    /** Previews, made lazily. */
    thumbnails;
    /** Similar images (DESIGN §5). */
    similar;
    /** Offsite remotes (issue #10). */
    remotes;
    /** Pause state shared by every process on the library. */
    gate;
    /** Capture dates and their back-fill (issue #16). */
    dates;
    /** What the window shows of a file: thumbnail, full-size preview, original (issue #16). */
    media;
    /** The timeline, file info and album edits from the window (issue #16). */
    photos;
    /** Free up space: verified sources to the system Trash (DESIGN §11, issue #20). */
    freeUp;
    watchStore;
    exporter;
    running;
    constructor(ctx, watchOpts, modelPath, systemTrash) {
        this.ctx = ctx;
        const pipeline = new UploadPipeline(ctx);
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
        this.freeUp = new FreeUpService(ctx, this.remotes, this.watchStore, systemTrash);
    }
    /** Opens (or creates) a library: catalog migrations, crash leftovers collected, worker pool ready. */
    static open(opts) {
        const paths = libraryPaths(opts.libraryDir);
        const log = opts.log ?? silentLogger;
        const now = opts.now ?? Date.now;
        guardCatalogFile(paths); // see [Note: A damaged catalog]
        prepareLibraryDir(paths, opts.create ?? true);
        const cdb = CatalogDb.open(paths.catalog, { now, snapshotDir: paths.snapshots });
        let home;
        try {
            home = new LibraryHome(paths.root);
            let registration;
            try {
                const { deadProcesses, tempEntries } = collectDeadProcesses(paths.procs, paths.tmp);
                if (deadProcesses > 0 || tempEntries > 0) {
                    log.info('a previous Shoebox process did not close cleanly; collecting its leftovers', { deadProcesses, tempEntries });
                    collectStrayBlobs(cdb, paths.objects, log.child('gc'));
                }
                registration = registerProcess(paths.procs, paths.tmp);
            }
            catch (err) {
                throw libraryWriteError(err, paths.root);
            }
            const catalog = new LibraryCatalog(cdb, now);
            const ctx = {
                paths, cdb, catalog, activity: new ActivityLog(cdb, now), pool: new IngestPool(opts.threads), tmpDir: registration.tmpDir, registration, home,
                log, now, retryDelayMs: opts.retryDelayMs ?? 250, ...(opts.credentials ? { credentials: opts.credentials } : {}),
                dirty: false,
            };
            return new Engine(ctx, opts.watch, resolveModelPath(opts.modelPath), opts.systemTrash !== undefined ? opts.systemTrash : defaultSystemTrash());
        }
        catch (err) {
            home?.close();
            cdb.close();
            throw isCatalogDamage(err) ? catalogDamagedError(paths.catalog, err) : err;
        }
    }
    /** The library's folder layout. */
    get paths() {
        return this.ctx.paths;
    }
    /** Manual upload of files, folders and ZIP archives; watch processing pauses meanwhile (in every process). */
    async upload(req, opts) {
        this.ctx.home.assertInPlace();
        const done = this.gate.beginUpload();
        try {
            return await this.uploads.upload(req, opts);
        }
        finally {
            done();
        }
    }
    /** Adds a watch folder. Unless an engine is running (here or in another process), it is synced now. */
    async addWatch(folder, opts, onOutcome) {
        const watch = await this.watches.add(folder, opts);
        const runningPid = this.running ? process.pid : this.otherRunPid();
        if (runningPid !== null)
            return { watch, syncedNow: false, runningPid };
        await this.watches.reconcile(watch, onOutcome);
        return { watch, syncedNow: true, runningPid };
    }
    /**
     * Runs the engine: takes the library's run lock (one engine per library), reconciles every
     * watch and syncs live until stop(). Writes its status for other processes to read.
     */
    async run() {
        if (this.running)
            return this.running;
        this.ctx.home.assertInPlace();
        const release = acquireRunLock(this.ctx.paths.runLock);
        let lastStatus = '';
        // `root` lets a reader tell a status written for this folder from one that moved here with
        // the folder while this engine still thinks it is elsewhere ([Note: A library moved while open]).
        const root = realPath(this.ctx.paths.root);
        let halt;
        const halted = new Promise((resolve) => (halt = resolve));
        const writeStatus = () => {
            const moved = this.ctx.home.check();
            if (moved) {
                if (halt)
                    this.haltMoved(moved, halt);
                halt = undefined;
                return;
            }
            const json = JSON.stringify({ ...this.watches.status(), pid: process.pid, root });
            if (json === lastStatus)
                return;
            lastStatus = json;
            writeFileAtomic(this.ctx.paths.runStatus, json, undefined, false);
        };
        let timer;
        let purgeTimer;
        const purge = () => {
            const r = this.purgeTrash();
            if (r.files > 0)
                this.ctx.log.info('purged expired Trash', { files: r.files, bytesFreed: r.bytesFreed });
        };
        // Background indexing for Similar images: a few hundred images at a time while syncing is
        // not paused, then a look every half minute for new ones.
        let stopping = false;
        let indexing;
        const indexSome = () => {
            if (indexing || stopping || !this.similar.enabled || this.gate.pausedReason())
                return;
            indexing = this.similar
                .index({ max: 256, shouldStop: () => stopping || this.gate.pausedReason() !== null })
                .then((n) => {
                if (n > 0)
                    setTimeout(indexSome, 100);
            })
                .catch((err) => this.ctx.log.warn('similar-image indexing stopped', { error: err.message }))
                .finally(() => (indexing = undefined));
        };
        const indexTimer = setInterval(indexSome, 30_000);
        // Background push to offsite remotes: every minute, while syncing is not paused.
        let pushing;
        const pushAll = () => {
            if (pushing || stopping || this.gate.pausedReason() || this.remotes.list().length === 0)
                return;
            pushing = (async () => {
                for (const r of this.remotes.list()) {
                    if (stopping || this.gate.pausedReason())
                        return;
                    const s = await this.remotes.push(r.url, { shouldStop: () => stopping || this.gate.pausedReason() !== null });
                    if (s.blobs > 0)
                        this.ctx.log.info('pushed to remote', { remote: r.url, blobs: s.blobs, bytes: s.bytes });
                }
            })()
                .catch((err) => this.ctx.log.warn('push to a remote failed; retrying in a minute', { error: err.message }))
                .finally(() => (pushing = undefined));
        };
        const pushTimer = setInterval(pushAll, 60_000);
        const snapshots = snapshotJobFor(this.ctx); // [Note: Catalog snapshots]: daily, in a worker
        // Capture dates (issue #16): new files and an older library's back-fill, a batch at a time
        // once backing up is done (backups come first) and syncing is not paused; resumable because
        // the catalog marks each dated file.
        let dating;
        const busy = () => stopping || this.gate.pausedReason() !== null || this.watches.status().state === 'syncing';
        const dateSome = () => {
            if (dating || busy())
                return;
            dating = this.dates
                .backfill({ max: 512, shouldStop: busy })
                .then((n) => {
                if (n > 0 && !stopping)
                    setTimeout(dateSome, 50);
            })
                .catch((err) => this.ctx.log.warn('capture-date back-fill stopped; retrying in a few seconds', { error: err.message }))
                .finally(() => (dating = undefined));
        };
        const dateTimer = setInterval(dateSome, 3000);
        try {
            snapshots.start();
            purge(); // on start, then daily (DESIGN §1: Trash keeps files 30 days)
            purgeTimer = setInterval(purge, 86_400_000);
            await this.freeUp.settle(); // before the watches look: a free-up cut short is finished first
            await this.watches.start();
            setTimeout(indexSome, 2000);
            setTimeout(dateSome, 1000);
            writeStatus();
            timer = setInterval(writeStatus, 1000);
        }
        catch (err) {
            clearInterval(purgeTimer);
            clearInterval(indexTimer);
            clearInterval(pushTimer);
            await snapshots.stop();
            clearInterval(dateTimer);
            await this.watches.stop();
            release();
            throw err;
        }
        let stopped;
        this.running = {
            halted,
            stop: () => (stopped ??= (async () => {
                clearInterval(timer);
                clearInterval(purgeTimer);
                clearInterval(indexTimer);
                clearInterval(pushTimer);
                clearInterval(dateTimer);
                stopping = true;
                await indexing;
                await pushing;
                await snapshots.stop();
                await dating;
                await this.watches.stop();
                if (!this.ctx.home.check())
                    fs.rmSync(this.ctx.paths.runStatus, { force: true });
                release();
                this.running = undefined;
            })()),
        };
        return this.running;
    }
    /** Stops syncing for good because the library folder moved away, and says so (in the library's own activity too). */
    haltMoved(moved, done) {
        this.ctx.log.info('the library folder was moved while open; syncing stopped', { library: this.ctx.paths.root, now: this.ctx.home.currentPath() });
        try {
            // The catalog is still open where the folder went: the moved library's status shows why syncing stopped.
            this.ctx.cdb.write(() => this.ctx.activity.record('error', 'LIBRARY_MOVED', moved.userMessage, null));
        }
        catch (err) {
            this.ctx.log.warn('could not record that the library moved', { error: err.message });
        }
        (this.running?.stop() ?? Promise.resolve())
            .catch((err) => this.ctx.log.warn('stopping after the library moved failed', { error: err.message }))
            .finally(() => done(moved));
    }
    /** The pid of a live `run` in another process, if any. */
    otherRunPid() {
        return this.running ? null : runLockHolder(this.ctx.paths.runLock);
    }
    /** Applies confirmed duplicate groups, each atomically; reports progress after each group. */
    applyDedup(selections, onProgress) {
        const results = [];
        for (const sel of selections) {
            results.push(this.dedup.applyGroup(sel));
            injectFault('dedup-group');
            onProgress?.(results.length, selections.length, results.at(-1));
        }
        return results;
    }
    /** Purges Trash (expired items, or all) and drops the previews of removed blobs. */
    purgeTrash(opts = {}) {
        const r = this.trash.purge(opts);
        this.thumbnails.forget(r.removedHashes);
        this.remotes.forgetBlobs(r.removedHashes); // their remote copies go on the next push
        return r;
    }
    /** Takes a verified catalog snapshot now; throws LIBRARY_CORRUPT if the catalog can't be copied whole. */
    snapshotCatalog(kind) {
        return takeSnapshot(this.ctx, kind);
    }
    /** Storage accounting. */
    storage() {
        return storageReport(this.ctx, dirBytes(this.ctx.paths.thumbnails));
    }
    /** What the library knows about one file (dimensions and capture date once its preview was made). */
    fileFacts(fileId) {
        const row = this.ctx.cdb.db
            .prepare('SELECT id AS fileId, name, size, media_type AS mediaType, width, height, taken_at AS takenAt, modified_at AS modifiedAt, trashed_at IS NOT NULL AS trashed FROM files WHERE id = ?')
            .get(fileId);
        if (!row)
            throw new ShoeboxError('NOT_FOUND', `There is no file ${fileId} in the library.`);
        return { ...row, trashed: row.trashed === 1 };
    }
    /** How many previews are made at once (the worker pool's threads, for benches). */
    get thumbnailsConcurrency() {
        return this.ctx.pool.threads;
    }
    /** A file's preview (made now if needed). */
    thumbnail(fileId) {
        return this.thumbnails.get(fileId);
    }
    /** Export originals (issue #9). */
    export(req, onProgress) {
        return this.exporter.export(req, onProgress);
    }
    /** Re-creates a watched folder's tree from the library (issue #9). */
    restore(watchPath, to, onProgress) {
        return restoreWatch(this.ctx, watchPath, to, onProgress);
    }
    /** A stream of a library file's original bytes. */
    openFile(fileId) {
        const row = this.ctx.cdb.db.prepare('SELECT blob_hash AS hash FROM files WHERE id = ?').get(fileId);
        if (!row)
            throw new ShoeboxError('NOT_FOUND', `There is no file ${fileId} in the library. \`shoebox ls\` shows file ids.`);
        const p = blobPath(this.ctx.paths.objects, row.hash);
        if (!fs.existsSync(p))
            throw new ShoeboxError('LIBRARY_CORRUPT', `The stored bytes of file ${fileId} are missing. Run \`shoebox check\`.`);
        return fs.createReadStream(p);
    }
    /** A temporary read-only copy of a file under its own name, for "Open with…". */
    async openCopy(fileId) {
        const f = this.fileFacts(fileId);
        const row = this.ctx.cdb.db.prepare('SELECT blob_hash AS hash FROM files WHERE id = ?').get(fileId);
        const dest = `${os.tmpdir()}/shoebox-open-${process.getuid?.() ?? 'user'}/${fileId}/${f.name.replace(/[/\\]/g, '_')}`;
        const r = await this.ctx.pool.copyOut({ blobPath: blobPath(this.ctx.paths.objects, row.hash), expectedHash: row.hash, dest, mtimeMs: f.modifiedAt, onConflict: 'refuse' });
        if (r.kind === 'failed')
            throw new ShoeboxError(r.code, `${f.name} ${r.message}`);
        if (r.kind === 'conflict')
            throw new ShoeboxError('CONFLICT', `${dest} exists with other content.`);
        fs.chmodSync(dest, 0o444);
        return dest;
    }
    /** `check`: invariants, SQLite integrity, optionally every blob; repair what loses nothing. */
    check(opts) {
        return checkAndRepair(this.ctx, {
            ...opts,
            beforeRepair: () => this.snapshotCatalog('before-repair'),
            restoreBlob: async (hash, source) => {
                const r = await this.ctx.pool.run({ path: source, mode: 'copy', expectedHash: hash, tmpDir: this.ctx.tmpDir, objectsDir: this.ctx.paths.objects });
                return r.kind === 'hashed' && r.hash === hash;
            },
        });
    }
    /** Version history of a file, newest first. */
    history(fileId) {
        return fileHistory(this.ctx, fileId);
    }
    /** Puts an earlier version back into its albums. */
    restoreVersion(versionId) {
        return restoreVersion(this.ctx, versionId);
    }
    /** Forgets which deleted sources not to upload again (Settings → Backup → Reset ignored files). */
    resetIgnored() {
        return this.ctx.cdb.write(() => this.watchStore.resetIgnored());
    }
    /** Every album with counts (Uncategorized last). */
    albums() {
        return this.ctx.catalog.listAlbums();
    }
    /** Memberships, of one album by name or of all. */
    list(albumName) {
        if (albumName === undefined)
            return this.ctx.catalog.listMemberships();
        const id = this.ctx.catalog.albumIdByName(albumName);
        if (id === undefined)
            throw new ShoeboxError('NOT_FOUND', `There is no album named "${albumName}". \`shoebox albums\` lists them.`);
        return this.ctx.catalog.listMemberships(id);
    }
    /** One page of an album's files, newest first. */
    albumPage(albumId, offset, limit) {
        return this.ctx.catalog.albumPage(albumId, offset, limit);
    }
    /** Totals and recent per-file errors. */
    status() {
        const t = this.ctx.catalog.totals();
        return {
            library: this.ctx.paths.root,
            hashAlgorithm: this.ctx.catalog.hashAlgorithm,
            schemaVersion: this.ctx.cdb.schemaVersion,
            files: t.files, albums: t.albums, blobs: t.blobs, storedBytes: t.blobBytes, trashed: t.trashed,
            errors: this.ctx.activity.errorCount(this.ctx.now() - 86_400_000), // the last day's
            recentErrors: this.ctx.activity.recent(20, 'error').map(({ at, code, path, message }) => ({ at, code, path, message })),
            recentActivity: this.ctx.activity.recent(20, 'info').map(({ at, code, path, message }) => ({ at, code, path, message })),
            remotes: this.remotes.status(),
            undated: this.dates.pending(),
            sync: this.running ? { ...this.watches.status(), pid: process.pid } : this.otherRunStatus(),
        };
    }
    otherRunStatus() {
        if (this.otherRunPid() === null)
            return null;
        try {
            const { root, ...s } = JSON.parse(fs.readFileSync(this.ctx.paths.runStatus, 'utf8'));
            // An engine that had this folder open under another name (it was moved while running) is
            // not running *here*: it stops as soon as it notices ([Note: A library moved while open]).
            return root === undefined || root === realPath(this.ctx.paths.root) ? s : null;
        }
        catch (err) {
            if (isErrno(err, 'ENOENT'))
                return null; // the run is still starting
            throw err;
        }
    }
    /** Finishes in-flight work, stops the workers and closes the catalog. */
    async close() {
        await this.running?.stop();
        await this.dates.close();
        await this.media.close();
        await this.ctx.pool.close();
        if (this.ctx.dirty) {
            // A write failed halfway this session (disk full, I/O error): bytes may have been placed
            // without their row. Collect them now rather than waiting for a crash to be noticed.
            try {
                collectStrayBlobs(this.ctx.cdb, this.ctx.paths.objects, this.ctx.log.child('gc'));
            }
            catch (err) {
                this.ctx.log.warn('could not collect stray blobs at close; the next start after a crash will', { error: err.message });
            }
        }
        unregisterProcess(this.ctx.registration);
        this.ctx.home.close();
        this.ctx.cdb.close();
    }
}
/** Total size of the files under a folder (0 if it doesn't exist). */
function dirBytes(dir) {
    let total = 0;
    let entries;
    try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
    }
    catch (err) {
        if (isErrno(err, 'ENOENT'))
            return 0;
        throw err;
    }
    for (const e of entries)
        total += e.isDirectory() ? dirBytes(`${dir}/${e.name}`) : fs.statSync(`${dir}/${e.name}`).size;
    return total;
}
function prepareLibraryDir(paths, create) {
    if (!create && !fs.existsSync(paths.catalog)) {
        throw new ShoeboxError('NOT_FOUND', `There is no Shoebox library at ${paths.root} yet. Back something up first (\`shoebox upload FOLDER\`), or point --library at an existing one.`);
    }
    try {
        for (const dir of [paths.root, paths.objects, paths.tmp, paths.procs, paths.uploads])
            fs.mkdirSync(dir, { recursive: true });
        fs.accessSync(paths.root, fs.constants.W_OK);
    }
    catch (err) {
        if (isErrno(err, 'ENOTDIR', 'EEXIST')) {
            throw new ShoeboxError('LIBRARY_NOT_WRITABLE', `The library location ${paths.root} is not a folder. Choose another with --library.`, { cause: err });
        }
        throw libraryWriteError(err, paths.root);
    }
}
//# sourceMappingURL=engine.js.map