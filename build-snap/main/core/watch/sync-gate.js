import fs from 'node:fs';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { makeDirBelow } from '../library/library-home.js';
import { isRegistrationLive } from '../library/process-registry.js';
/**
 * Why watch processing is paused, if it is: the user paused syncing (stored in the catalog so
 * `shoebox pause` in one process pauses `run` in another), or a manual upload is running in
 * this process or another (DESIGN §2: watch events are queued meanwhile, never dropped).
 * An upload marks itself as `uploads/<registration token>`; the marker counts while that
 * process's registration lock is held ([Note: Processes sharing a library]), so a killed
 * upload's marker stops pausing others at once, whatever pid the next process gets.
 */
export class SyncGate {
    cdb;
    uploadsDir;
    procsDir;
    registration;
    localUploads = 0;
    constructor(cdb, uploadsDir, procsDir, registration) {
        this.cdb = cdb;
        this.uploadsDir = uploadsDir;
        this.procsDir = procsDir;
        this.registration = registration;
    }
    /** True if the user paused syncing. */
    get userPaused() {
        return this.cdb.meta('sync_paused') === '1';
    }
    /** Pauses or resumes syncing for every process on this library. */
    setUserPaused(paused) {
        this.cdb.write(() => this.cdb.db.prepare(`INSERT INTO meta (key, value) VALUES ('sync_paused', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(paused ? '1' : '0'));
    }
    /** Marks a manual upload as running until the returned function is called. */
    beginUpload() {
        this.localUploads++;
        makeDirBelow(this.uploadsDir, 1);
        const marker = path.join(this.uploadsDir, this.registration.token);
        fs.writeFileSync(marker, '');
        return () => {
            if (--this.localUploads === 0)
                fs.rmSync(marker, { force: true });
        };
    }
    /** True if a manual upload is running here or in another live process. */
    get uploading() {
        if (this.localUploads > 0)
            return true;
        let names;
        try {
            names = fs.readdirSync(this.uploadsDir);
        }
        catch (err) {
            if (isErrno(err, 'ENOENT'))
                return false;
            throw err;
        }
        return names.some((n) => {
            if (isRegistrationLive(this.procsDir, n))
                return true;
            fs.rmSync(path.join(this.uploadsDir, n), { force: true }); // left by a killed upload
            return false;
        });
    }
    /** The reason processing is paused, or null. */
    pausedReason() {
        if (this.userPaused)
            return 'user';
        return this.uploading ? 'upload' : null;
    }
}
//# sourceMappingURL=sync-gate.js.map