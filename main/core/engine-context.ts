import type { ActivityLog } from './catalog/activity-log.js';
import type { CatalogDb } from './catalog/catalog.js';
import type { LibraryCatalog } from './catalog/library-catalog.js';
import type { LibraryPaths } from './library/library-location.js';
import type { LibraryHome } from './library/library-home.js';
import type { ProcessRegistration } from './library/process-registry.js';
import type { Logger } from './logger.js';
import type { IngestPool } from './upload/ingest-pool.js';
import type { CredentialStore } from './remote/credentials.js';

/** What every engine service is given: the open library and the shared pool, clock and logger. */
export interface EngineContext {
  paths: LibraryPaths;
  cdb: CatalogDb;
  catalog: LibraryCatalog;
  activity: ActivityLog;
  pool: IngestPool;
  /** This process's temp folder inside the library. */
  tmpDir: string;
  /** This process's registration in `procs/` (its lock says it is alive). */
  registration: ProcessRegistration;
  /** The library folder as opened: says when it was moved away ([Note: A library moved while open]). */
  home: LibraryHome;
  log: Logger;
  now: () => number;
  /** Base pause before re-reading a file that changed while read (tests shorten it). */
  retryDelayMs: number;
  /** Where the shell keeps remotes' access keys (the desktop app's keychain); absent: the AWS chain. */
  credentials?: CredentialStore;
  /** Set when bytes may have been placed without their row (a write failed halfway, or a file was dropped after its bytes were placed): stray blobs may exist; they are collected at close. */
  dirty: boolean;
}
