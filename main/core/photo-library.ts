import { isMarkedDamaged, statBlob } from './blobs/blob-health.js';
import { AlbumEditor, listAlbumsWithCovers, type AlbumListRow } from './catalog/album-catalog.js';
import { UNCATEGORIZED } from './catalog/catalog.js';
import { TimelineCatalog, fileInfoRow, type FileInfoRow, type TimelineRow } from './catalog/timeline-catalog.js';
import { fileHistory } from './catalog/versions.js';
import type { EngineContext } from './engine-context.js';
import { ShoeboxError } from './errors.js';
import type { TrashService } from './trash/trash-service.js';
import { plural } from './format.js';

/** The viewer's info panel: the file's facts and its versions. */
export interface FileInfo extends FileInfoRow {
  versions: Array<{ fileId: number; name: string; size: number; addedAt: number; trashed: boolean; current: boolean }>;
  /** Its stored bytes as found now (one stat) and as marked by the last check: what the viewer says when it cannot show the file. */
  storedBytes: 'ok' | 'missing' | 'damaged';
}

/**
 * The library as the window browses and edits it (DESIGN §10): the timeline, a file's info,
 * albums with covers, and the changes a person makes from the window — new and renamed albums,
 * files added to or removed from albums, files moved to Trash. Each change is one transaction.
 */
export class PhotoLibrary {
  private readonly timeline: TimelineCatalog;
  private readonly editor: AlbumEditor;

  constructor(private readonly ctx: EngineContext, private readonly trashService: TrashService) {
    this.timeline = new TimelineCatalog(ctx.cdb);
    this.editor = new AlbumEditor(ctx.cdb, ctx.catalog, ctx.now);
  }

  /** Live files per day, newest first, and the total. */
  days(): { total: number; days: Array<{ day: string; count: number }> } {
    const days = this.timeline.days();
    return { total: days.reduce((n, d) => n + d.count, 0), days };
  }

  /** One page of the timeline. */
  page(offset: number, limit: number): { total: number; items: TimelineRow[] } {
    return this.timeline.page(offset, limit);
  }

  /** Everything the info panel shows about a file. */
  info(fileId: number): FileInfo {
    const row = fileInfoRow(this.ctx.cdb, fileId);
    if (!row) throw new ShoeboxError('NOT_FOUND', `There is no file ${fileId} in the library (it may have been deleted from Trash).`);
    const history = fileHistory(this.ctx, fileId);
    const versions = history.map((v) => ({ fileId: v.fileId, name: v.name, size: v.size, addedAt: v.createdAt, trashed: v.trashed, current: v.fileId === fileId }));
    const hash = history.find((v) => v.fileId === fileId)!.hash;
    const state = statBlob(this.ctx.paths.objects, hash, row.size);
    return { ...row, versions, storedBytes: state === 'ok' && isMarkedDamaged(this.ctx.cdb.db, hash) ? 'damaged' : state };
  }

  /** Albums with counts, covers and source folders. */
  albums(): AlbumListRow[] {
    return listAlbumsWithCovers(this.ctx.cdb);
  }

  private albumRow(id: number): AlbumListRow {
    const a = this.albums().find((x) => x.id === id);
    if (!a) throw new ShoeboxError('NOT_FOUND', `Album ${id} no longer exists.`);
    return a;
  }

  private userAlbum(id: number): { id: number; name: string } {
    const a = this.editor.album(id);
    if (!a) throw new ShoeboxError('NOT_FOUND', `Album ${id} no longer exists.`);
    if (a.kind !== 'user') throw new ShoeboxError('INVALID_ARGUMENT', `${UNCATEGORIZED} holds the files that are in no other album; it can't be renamed or filled by hand.`);
    return a;
  }

  private checkName(name: string, except?: number): string {
    const n = name.trim();
    if (n === UNCATEGORIZED) throw new ShoeboxError('CONFLICT', `"${UNCATEGORIZED}" is the name of the album for files in no other album; choose another name.`);
    const other = this.ctx.catalog.albumIdByName(n);
    if (other !== undefined && other !== except) throw new ShoeboxError('CONFLICT', `There is already an album named "${n}".`);
    return n;
  }

  /** Creates an empty album. */
  createAlbum(name: string): AlbumListRow {
    const id = this.ctx.cdb.write(() => {
      const id = this.editor.create(this.checkName(name));
      this.ctx.activity.record('info', 'ALBUM_CREATED', `Album ${name.trim()} created`);
      return id;
    });
    return this.albumRow(id);
  }

  /** Renames an album (albums are found by name, DESIGN §2: new files a watch files under the old name make a new album). */
  renameAlbum(albumId: number, name: string): AlbumListRow {
    this.ctx.cdb.write(() => {
      const a = this.userAlbum(albumId);
      const n = this.checkName(name, albumId);
      this.editor.rename(albumId, n);
      this.ctx.activity.record('info', 'ALBUM_RENAMED', `Album ${a.name} renamed to ${n}`);
    });
    return this.albumRow(albumId);
  }

  /** Adds files to an album. */
  addFiles(albumId: number, fileIds: number[]): number {
    return this.ctx.cdb.write(() => {
      const a = this.userAlbum(albumId);
      const n = this.editor.addFiles(albumId, fileIds);
      if (n > 0) this.ctx.activity.record('info', 'ALBUM_FILES_ADDED', `${plural(n, 'file')} added to ${a.name}`);
      return n;
    });
  }

  /** Removes files from an album (those left in no album go to Uncategorized). */
  removeFiles(albumId: number, fileIds: number[]): number {
    return this.ctx.cdb.write(() => {
      const a = this.userAlbum(albumId);
      const n = this.editor.removeFiles(albumId, fileIds);
      if (n > 0) this.ctx.activity.record('info', 'ALBUM_FILES_REMOVED', `${plural(n, 'file')} removed from ${a.name}`);
      return n;
    });
  }

  /** Moves files to Trash from the window (their watched sources are not backed up again). */
  trash(fileIds: number[]): number {
    return this.trashService.trash(fileIds, { forgetSources: true, reason: 'removed in the window' });
  }
}
