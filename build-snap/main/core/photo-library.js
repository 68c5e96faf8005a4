import { AlbumEditor, listAlbumsWithCovers } from './catalog/album-catalog.js';
import { UNCATEGORIZED } from './catalog/catalog.js';
import { TimelineCatalog, fileInfoRow } from './catalog/timeline-catalog.js';
import { fileHistory } from './catalog/versions.js';
import { ShoeboxError } from './errors.js';
/**
 * The library as the window browses and edits it (DESIGN §10): the timeline, a file's info,
 * albums with covers, and the changes a person makes from the window — new and renamed albums,
 * files added to or removed from albums, files moved to Trash. Each change is one transaction.
 */
export class PhotoLibrary {
    ctx;
    trashService;
    timeline;
    editor;
    /** The per-day counts of the last read, while the catalog has not changed (a full scan on 100k files). */
    daysCache;
    constructor(ctx, trashService) {
        this.ctx = ctx;
        this.trashService = trashService;
        this.timeline = new TimelineCatalog(ctx.cdb);
        this.editor = new AlbumEditor(ctx.cdb, ctx.catalog, ctx.now);
    }
    /** Live files per day, newest first, and the total. */
    days() {
        const stamp = this.ctx.cdb.changeStamp();
        if (this.daysCache?.stamp === stamp)
            return this.daysCache.value;
        const days = this.timeline.days();
        const value = { total: days.reduce((n, d) => n + d.count, 0), days };
        this.daysCache = { stamp, value };
        return value;
    }
    /** One page of the timeline. */
    page(offset, limit) {
        const cached = this.daysCache?.stamp === this.ctx.cdb.changeStamp() ? this.daysCache.value.total : undefined;
        return { total: cached ?? this.timeline.liveCount(), items: this.timeline.page(offset, limit) };
    }
    /** Everything the info panel shows about a file. */
    info(fileId) {
        const row = fileInfoRow(this.ctx.cdb, fileId);
        if (!row)
            throw new ShoeboxError('NOT_FOUND', `There is no file ${fileId} in the library (it may have been deleted from Trash).`);
        const versions = fileHistory(this.ctx, fileId).map((v) => ({ fileId: v.fileId, name: v.name, size: v.size, addedAt: v.createdAt, trashed: v.trashed, current: v.fileId === fileId }));
        return { ...row, versions };
    }
    /** Albums with counts, covers and source folders. */
    albums() {
        return listAlbumsWithCovers(this.ctx.cdb);
    }
    albumRow(id) {
        const a = this.albums().find((x) => x.id === id);
        if (!a)
            throw new ShoeboxError('NOT_FOUND', `Album ${id} no longer exists.`);
        return a;
    }
    userAlbum(id) {
        const a = this.editor.album(id);
        if (!a)
            throw new ShoeboxError('NOT_FOUND', `Album ${id} no longer exists.`);
        if (a.kind !== 'user')
            throw new ShoeboxError('INVALID_ARGUMENT', `${UNCATEGORIZED} holds the files that are in no other album; it can't be renamed or filled by hand.`);
        return a;
    }
    checkName(name, except) {
        const n = name.trim();
        if (n === UNCATEGORIZED)
            throw new ShoeboxError('CONFLICT', `"${UNCATEGORIZED}" is the name of the album for files in no other album; choose another name.`);
        const other = this.ctx.catalog.albumIdByName(n);
        if (other !== undefined && other !== except)
            throw new ShoeboxError('CONFLICT', `There is already an album named "${n}".`);
        return n;
    }
    /** Creates an empty album. */
    createAlbum(name) {
        const id = this.ctx.cdb.write(() => {
            const id = this.editor.create(this.checkName(name));
            this.ctx.activity.record('info', 'ALBUM_CREATED', `Album ${name.trim()} created`);
            return id;
        });
        return this.albumRow(id);
    }
    /** Renames an album (albums are found by name, DESIGN §2: new files a watch files under the old name make a new album). */
    renameAlbum(albumId, name) {
        this.ctx.cdb.write(() => {
            const a = this.userAlbum(albumId);
            const n = this.checkName(name, albumId);
            this.editor.rename(albumId, n);
            this.ctx.activity.record('info', 'ALBUM_RENAMED', `Album ${a.name} renamed to ${n}`);
        });
        return this.albumRow(albumId);
    }
    /** Adds files to an album. */
    addFiles(albumId, fileIds) {
        return this.ctx.cdb.write(() => {
            const a = this.userAlbum(albumId);
            const n = this.editor.addFiles(albumId, fileIds);
            if (n > 0)
                this.ctx.activity.record('info', 'ALBUM_FILES_ADDED', `${n} file${n === 1 ? '' : 's'} added to ${a.name}`);
            return n;
        });
    }
    /** Removes files from an album (those left in no album go to Uncategorized). */
    removeFiles(albumId, fileIds) {
        return this.ctx.cdb.write(() => {
            const a = this.userAlbum(albumId);
            const n = this.editor.removeFiles(albumId, fileIds);
            if (n > 0)
                this.ctx.activity.record('info', 'ALBUM_FILES_REMOVED', `${n} file${n === 1 ? '' : 's'} removed from ${a.name}`);
            return n;
        });
    }
    /** Moves files to Trash from the window (their watched sources are not backed up again). */
    trash(fileIds) {
        return this.trashService.trash(fileIds, { forgetSources: true, reason: 'removed in the window' });
    }
}
//# sourceMappingURL=photo-library.js.map