import fs from 'node:fs';
import { ActivityLog } from './catalog/activity-log.js';
import { CatalogDb } from './catalog/catalog.js';
import { LibraryCatalog, type AlbumSummary, type MembershipRow } from './catalog/library-catalog.js';
import { collectStrayBlobs } from './blobs/blob-gc.js';
import type { EngineContext } from './engine-context.js';
import { ShoeboxError, isErrno, libraryWriteError } from './errors.js';
import { libraryPaths, type LibraryPaths } from './library/library-location.js';
import { collectDeadProcesses, registerProcess, unregisterProcess } from './library/process-registry.js';
import { silentLogger, type Logger } from './logger.js';
import { IngestPool } from './upload/ingest-pool.js';
import { UploadPipeline } from './upload/upload-pipeline.js';
import { UploadService, type UploadProgress, type UploadRequest, type UploadSummary } from './upload/upload-service.js';

/** How to open a library. */
export interface EngineOptions {
  libraryDir: string;
  /** Create the library if it does not exist (commands that only read pass false). */
  create?: boolean;
  log?: Logger;
  now?: () => number;
  threads?: number;
  retryDelayMs?: number;
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
  recentErrors: Array<{ at: number; code: string; path: string | null; message: string }>;
}

/**
 * The Shoebox engine: one open library and the services over it. Both shells (the Electron
 * main process and the `shoebox` CLI) build exactly one of these and add nothing else.
 */
export class Engine {
  private readonly uploads: UploadService;

  private constructor(private readonly ctx: EngineContext) {
    this.uploads = new UploadService(ctx, new UploadPipeline(ctx));
  }

  /** Opens (or creates) a library: catalog migrations, crash leftovers collected, worker pool ready. */
  static open(opts: EngineOptions): Engine {
    const paths = libraryPaths(opts.libraryDir);
    const log = opts.log ?? silentLogger;
    const now = opts.now ?? Date.now;
    prepareLibraryDir(paths, opts.create ?? true);
    const cdb = CatalogDb.open(paths.catalog, { now });
    try {
      let tmpDir: string;
      try {
        const { deadProcesses, tempEntries } = collectDeadProcesses(paths.procs, paths.tmp);
        if (deadProcesses > 0 || tempEntries > 0) {
          log.info('a previous Shoebox process did not close cleanly; collecting its leftovers', { deadProcesses, tempEntries });
          collectStrayBlobs(cdb, paths.objects, log.child('gc'));
        }
        tmpDir = registerProcess(paths.procs, paths.tmp);
      } catch (err) {
        throw libraryWriteError(err, paths.root);
      }
      const catalog = new LibraryCatalog(cdb, now);
      const ctx: EngineContext = {
        paths, cdb, catalog, activity: new ActivityLog(cdb, now), pool: new IngestPool(opts.threads), tmpDir,
        log, now, retryDelayMs: opts.retryDelayMs ?? 250,
      };
      return new Engine(ctx);
    } catch (err) {
      cdb.close();
      throw err;
    }
  }

  /** The library's folder layout. */
  get paths(): LibraryPaths {
    return this.ctx.paths;
  }

  /** Manual upload of files, folders and ZIP archives. */
  upload(req: UploadRequest, opts?: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal }): Promise<UploadSummary> {
    return this.uploads.upload(req, opts);
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

  /** Totals and recent per-file errors. */
  status(): LibraryStatus {
    const t = this.ctx.catalog.totals();
    return {
      library: this.ctx.paths.root,
      hashAlgorithm: this.ctx.catalog.hashAlgorithm,
      schemaVersion: this.ctx.cdb.schemaVersion,
      files: t.files, albums: t.albums, blobs: t.blobs, storedBytes: t.blobBytes, trashed: t.trashed,
      errors: this.ctx.activity.errorCount(),
      recentErrors: this.ctx.activity.recent(20, 'error').map(({ at, code, path, message }) => ({ at, code, path, message })),
    };
  }

  /** Finishes in-flight work, stops the workers and closes the catalog. */
  async close(): Promise<void> {
    await this.ctx.pool.close();
    unregisterProcess(this.ctx.paths.procs, this.ctx.paths.tmp);
    this.ctx.cdb.close();
  }
}

function prepareLibraryDir(paths: LibraryPaths, create: boolean): void {
  if (!create && !fs.existsSync(paths.catalog)) {
    throw new ShoeboxError('NOT_FOUND', `There is no Shoebox library at ${paths.root} yet. Back something up first (\`shoebox upload FOLDER\`), or point --library at an existing one.`);
  }
  try {
    for (const dir of [paths.root, paths.objects, paths.tmp, paths.procs]) fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(paths.root, fs.constants.W_OK);
  } catch (err) {
    if (isErrno(err, 'ENOTDIR', 'EEXIST')) {
      throw new ShoeboxError('LIBRARY_NOT_WRITABLE', `The library location ${paths.root} is not a folder. Choose another with --library.`, { cause: err });
    }
    throw libraryWriteError(err, paths.root);
  }
}
