import fs from 'node:fs';
import path from 'node:path';
import type { CatalogDb } from '../catalog/catalog.js';
import { makeDirBelow } from '../library/library-home.js';
import { isRegistrationLive, type ProcessRegistration } from '../library/process-registry.js';
import { listDir } from '../list-dir.js';

/**
 * Why watch processing is paused, if it is: the user paused syncing (stored in the catalog so
 * `shoebox pause` in one process pauses `run` in another), or a manual upload is running in
 * this process or another (DESIGN §2: watch events are queued meanwhile, never dropped).
 * An upload marks itself as `uploads/<registration token>`; the marker counts while that
 * process's registration lock is held ([Note: Processes sharing a library]), so a killed
 * upload's marker stops pausing others at once, whatever pid the next process gets.
 */
export class SyncGate {
  private localUploads = 0;

  constructor(private readonly cdb: CatalogDb, private readonly uploadsDir: string, private readonly procsDir: string, private readonly registration: ProcessRegistration) {}

  /** True if the user paused syncing. */
  get userPaused(): boolean {
    return this.cdb.meta('sync_paused') === '1';
  }

  /** Pauses or resumes syncing for every process on this library. */
  setUserPaused(paused: boolean): void {
    this.cdb.write(() => this.cdb.db.prepare(`INSERT INTO meta (key, value) VALUES ('sync_paused', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(paused ? '1' : '0'));
  }

  /** Marks a manual upload as running until the returned function is called. */
  beginUpload(): () => void {
    this.localUploads++;
    makeDirBelow(this.uploadsDir, 1);
    const marker = path.join(this.uploadsDir, this.registration.token);
    fs.writeFileSync(marker, '');
    return () => {
      if (--this.localUploads === 0) fs.rmSync(marker, { force: true });
    };
  }

  /** True if a manual upload is running here or in another live process. */
  get uploading(): boolean {
    if (this.localUploads > 0) return true;
    return listDir(this.uploadsDir).some((n) => {
      if (isRegistrationLive(this.procsDir, n)) return true;
      fs.rmSync(path.join(this.uploadsDir, n), { force: true }); // left by a killed upload
      return false;
    });
  }

  /** The reason processing is paused, or null. */
  pausedReason(): 'user' | 'upload' | null {
    if (this.userPaused) return 'user';
    return this.uploading ? 'upload' : null;
  }
}
