import { setTimeout as sleep } from 'node:timers/promises';
import { blobExists } from '../blobs/blob-store.js';
import { ShoeboxError, libraryWriteError } from '../errors.js';
import { decideUpload } from './decide-upload.js';
import { injectFault } from '../faults.js';
const SOURCE_CHANGE_RETRIES = 3;
/**
 * Backs up one source file: hash (unless its stat says it is known), apply DESIGN §3 in one
 * catalog transaction, store bytes only when a new file needs them. Per-file problems come
 * back as `failed` outcomes; only library-wide faults (disk full) throw.
 */
export class UploadPipeline {
    ctx;
    albumIds = new Map();
    constructor(ctx) {
        this.ctx = ctx;
    }
    /** Album id for a name, created on first use. */
    albumId(name) {
        if (name === null)
            return this.ctx.catalog.uncategorizedId;
        let id = this.albumIds.get(name);
        if (id === undefined) {
            try {
                id = this.ctx.cdb.write(() => this.ctx.catalog.ensureAlbum(name));
            }
            catch (err) {
                throw libraryWriteError(err, this.ctx.paths.root);
            }
            this.albumIds.set(name, id);
        }
        return id;
    }
    /** Processes one item end to end. */
    async process(item, signal) {
        const albumId = this.albumId(item.albumName);
        // Each round reads the file afresh; a new round starts only if the source changed between
        // the hash pass and the copy pass.
        for (let round = 0; round < SOURCE_CHANGE_RETRIES; round++) {
            const id = await this.identify(item, signal, round === 0);
            if ('status' in id)
                return id;
            const outcome = await this.commitIdentified(item, albumId, id, signal);
            if (outcome !== 'changed')
                return outcome;
        }
        return this.fail(item, 'SOURCE_CHANGED', 'kept changing while it was being read; it will be backed up once it stops changing');
    }
    /**
     * Learns a source file's hash: from its source record when size, mtime and inode are
     * unchanged (no read), else by hashing it in a worker (copying it too when no stored blob
     * has its size, so a new file is read only once).
     */
    async identify(item, signal, trustRecord = true) {
        const { catalog } = this.ctx;
        const known = trustRecord && item.trustStat ? catalog.knownHash(item.sourcePath, item.size, item.mtimeMs, item.ino) : undefined;
        if (known !== undefined) {
            return { hash: known, size: item.size, mtimeMs: item.mtimeMs, ino: item.ino, mediaType: catalog.mediaTypeOfBlob(known) ?? 'application/octet-stream' };
        }
        const res = await this.ingest({ path: item.readPath, mode: catalog.hasBlobOfSize(item.size) ? 'hash' : 'copy' }, signal);
        if (res.kind !== 'hashed')
            return this.settleUnhashed(item, res);
        if (res.mediaBy === 'extension') {
            this.ctx.cdb.write(() => this.ctx.activity.record('info', 'UNRECOGNISED_CONTENT', `${item.name}: content not recognised as a photo or video; backed up by its extension`, item.sourcePath));
        }
        return { hash: res.hash, size: res.size, mtimeMs: res.mtimeMs, ino: res.ino, mediaType: res.mediaType };
    }
    /**
     * Commits an identified item, copying its bytes into the store first if the decision needs
     * them and they are not there. 'changed' means the source changed before its bytes could
     * be copied: identify it again.
     */
    async commitIdentified(item, albumId, id, signal) {
        const outcome = this.commit(item, albumId, id);
        if (outcome !== 'needBytes')
            return outcome;
        const res = await this.ingest({ path: item.readPath, mode: 'copy', expectedHash: id.hash, mediaType: id.mediaType }, signal);
        if (res.kind === 'failed' && res.code === 'SOURCE_CHANGED')
            return 'changed';
        if (res.kind !== 'hashed')
            return this.settleUnhashed(item, res);
        const again = this.commit(item, albumId, id);
        return again === 'needBytes' ? 'changed' : again;
    }
    /**
     * Runs a worker task. Without an expected hash a changing source is simply re-read (a few
     * times, with a pause); with one, the caller starts the item over. Disk-full stops everything.
     */
    async ingest(partial, signal) {
        const task = { ...partial, tmpDir: this.ctx.tmpDir, objectsDir: this.ctx.paths.objects };
        for (let attempt = 1;; attempt++) {
            const res = await this.ctx.pool.run(task, signal);
            if (res.kind === 'failed' && res.code === 'DISK_FULL') {
                this.ctx.dirty = true;
                throw libraryWriteError(Object.assign(new Error(res.message), { code: 'ENOSPC' }), this.ctx.paths.root);
            }
            const changed = res.kind === 'failed' && res.code === 'SOURCE_CHANGED';
            if (!changed || task.expectedHash !== undefined || attempt >= SOURCE_CHANGE_RETRIES)
                return res;
            this.ctx.log.debug('source changed while read; retrying', { attempt });
            await sleep(this.ctx.retryDelayMs * attempt);
        }
    }
    settleUnhashed(item, res) {
        switch (res.kind) {
            case 'ignored':
                return { status: 'ignored', reason: res.reason };
            case 'vanished':
                return { status: 'vanished' };
            case 'failed':
                return this.fail(item, res.code, res.message);
        }
    }
    fail(item, code, message) {
        this.ctx.home.assertInPlace(); // a library moved away is not this file's failure ([Note: A library moved while open])
        const text = `${item.name} ${message}`;
        this.ctx.cdb.write(() => this.ctx.activity.record('error', code, text, item.sourcePath));
        return { status: 'failed', code, message: text };
    }
    /**
     * Applies DESIGN §3 in one transaction. [Note: Blob present at commit]
     * The blob file's existence is checked *inside* the write transaction: stray-blob collection
     * (blob-gc.ts) deletes only under the same lock, so a blob seen here cannot vanish before
     * its row commits. That check is a synchronous stat because better-sqlite3 transactions
     * are synchronous; it costs microseconds.
     */
    commit(item, albumId, facts) {
        const { catalog, cdb, paths } = this.ctx;
        const hash = facts.hash;
        try {
            return cdb.write(() => {
                const refusal = item.refuse?.(hash);
                if (refusal !== undefined)
                    return { status: 'ignored', reason: refusal };
                const live = item.livePartOf !== undefined ? this.commitLivePart(item, albumId, facts) : undefined;
                if (live === 'needBytes')
                    return live;
                let outcome;
                if (live !== undefined) {
                    outcome = live;
                }
                else {
                    const decision = decideUpload({
                        inTargetAlbum: catalog.fileInAlbum(albumId, item.name, hash),
                        elsewhere: catalog.liveFileByNameHash(item.name, hash),
                        targetIsUncategorized: albumId === catalog.uncategorizedId,
                    });
                    if (decision.action === 'create') {
                        if (!blobExists(paths.objects, hash))
                            return 'needBytes';
                        const newBlob = !catalog.hasBlob(hash);
                        catalog.insertBlob(hash, facts.size);
                        const fileId = catalog.insertFile({ name: item.name, hash, size: facts.size, mediaType: facts.mediaType, modifiedAt: facts.mtimeMs });
                        catalog.addMembership(albumId, fileId);
                        outcome = newBlob ? { status: 'stored', fileId, bytesAdded: facts.size } : { status: 'created', fileId };
                    }
                    else if (decision.action === 'addMembership') {
                        catalog.addMembership(albumId, decision.fileId);
                        outcome = { status: 'linked', fileId: decision.fileId };
                    }
                    else {
                        outcome = { status: 'skipped', fileId: decision.fileId };
                    }
                }
                catalog.upsertSourceRecord({ path: item.sourcePath, albumId, fileId: outcome.fileId, size: facts.size, mtimeMs: facts.mtimeMs, ino: facts.ino, hash, watchId: item.watchId ?? null });
                item.afterCommit?.(outcome, albumId, hash);
                if (outcome.status !== 'skipped') {
                    const album = item.albumName ?? 'Uncategorized';
                    this.ctx.activity.record('info', outcome.status.toUpperCase(), `${item.name} → ${album}${live ? ' (live photo video)' : ''}`, item.sourcePath, outcome.fileId);
                }
                injectFault('file-commit');
                return outcome;
            });
        }
        catch (err) {
            this.ctx.dirty = true;
            if (err instanceof ShoeboxError)
                throw err;
            throw libraryWriteError(err, paths.root);
        }
    }
    /**
     * The video half of a live photo joins its image's library file (inside the commit
     * transaction). Undefined when it can't (image not backed up into this album, or it already
     * has a different video): then the video is backed up as a file of its own.
     */
    commitLivePart(item, albumId, facts) {
        const { catalog, paths } = this.ctx;
        const image = catalog.sourceRecord(item.livePartOf, albumId);
        if (!image || !catalog.isLive(image.fileId))
            return undefined;
        const existing = catalog.livePart(image.fileId);
        if (existing)
            return existing.hash === facts.hash ? { status: 'skipped', fileId: image.fileId } : undefined;
        if (!blobExists(paths.objects, facts.hash))
            return 'needBytes';
        const newBlob = !catalog.hasBlob(facts.hash);
        catalog.insertBlob(facts.hash, facts.size);
        catalog.setLivePart(image.fileId, { hash: facts.hash, name: item.name, size: facts.size, mediaType: facts.mediaType });
        return newBlob ? { status: 'stored', fileId: image.fileId, bytesAdded: facts.size } : { status: 'created', fileId: image.fileId };
    }
}
//# sourceMappingURL=upload-pipeline.js.map