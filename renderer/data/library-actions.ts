import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Album } from '../../main/core/api/contract.js';
import type { ShoeboxApi } from '../api/api-client.js';
import type { SelectionAction } from '../components/sb-selection-bar.js';
import { ActionController } from './action-controller.js';
import { plural } from './plural.js';
import type { SelectionModel } from './selection-model.js';

/** The undo offer after files went to Trash. */
export interface Undo {
  message: string;
  fileIds: number[];
  /** How many files went to Trash (some ids may have been there already). */
  trashed: number;
}

/**
 * The changes a photo view makes to the library — Trash with undo, add to / remove from an
 * album, export, new and renamed albums — run one at a time with explicit busy/error/note
 * states (ActionController). Each reports success so the view can refresh and clear its selection.
 */
export class LibraryActions implements ReactiveController {
  readonly state: ActionController;
  /** Shown after a move to Trash until undone or dismissed. */
  undo: Undo | null = null;

  constructor(private readonly host: ReactiveControllerHost, private readonly api: () => ShoeboxApi) {
    this.state = new ActionController(host);
    host.addController(this);
  }

  hostConnected(): void {}

  /**
   * Moves files to Trash and offers Undo. A deletion while the offer of an earlier one is still
   * shown joins it: Undo puts both back (two quick Deletes in the viewer are not one lost to undo).
   */
  async trash(fileIds: number[]): Promise<boolean> {
    const r = await this.state.run('Moving to Trash…', () => this.api().call('files.trash', { fileIds }));
    if (!r) return false;
    const trashed = (this.undo?.trashed ?? 0) + r.trashed;
    this.undo = { message: `${plural(trashed, 'file')} moved to Trash`, fileIds: [...new Set([...(this.undo?.fileIds ?? []), ...fileIds])], trashed };
    this.host.requestUpdate();
    return true;
  }

  /**
   * Runs what the selection bar asked on the selected files (`from`: the album shown, for Remove
   * from album). True when the library changed: the selection is cleared then, and the view
   * refreshes. An export changes nothing and keeps the selection.
   */
  async applyToSelection(a: SelectionAction, selection: SelectionModel, albums: readonly Album[], from?: Album): Promise<boolean> {
    const ids = [...selection.selected];
    let changed = false;
    if (a.kind === 'trash') changed = await this.trash(ids);
    if (a.kind === 'add') changed = await this.addToAlbum(a.albumId, albums.find((x) => x.id === a.albumId)?.name ?? 'the album', ids);
    if (a.kind === 'remove' && from) changed = await this.removeFromAlbum(from.id, from.name, ids);
    if (a.kind === 'export') await this.export(ids, a.dest);
    if (changed || a.kind === 'clear') {
      selection.clear();
      this.host.requestUpdate();
    }
    return changed;
  }

  /** Puts the last trashed files back where they were. */
  async undoTrash(): Promise<boolean> {
    const u = this.undo;
    this.undo = null;
    if (!u) return false;
    return (await this.state.run('Restoring…', () => this.api().call('trash.restore', { fileIds: u.fileIds }), (r) => `${plural(r.restored, 'file')} restored.`)) !== undefined;
  }

  /** Hides the undo offer. */
  dismissUndo(): void {
    this.undo = null;
    this.host.requestUpdate();
  }

  /** Adds files to an album. */
  async addToAlbum(albumId: number, albumName: string, fileIds: number[]): Promise<boolean> {
    return (await this.state.run('Adding…', () => this.api().call('albums.addFiles', { albumId, fileIds }), (r) => `${plural(r.added, 'file')} added to ${albumName}.`)) !== undefined;
  }

  /** Removes files from an album (a file left in no album goes to Uncategorized). */
  async removeFromAlbum(albumId: number, albumName: string, fileIds: number[]): Promise<boolean> {
    return (await this.state.run('Removing…', () => this.api().call('albums.removeFiles', { albumId, fileIds }), (r) => `${plural(r.removed, 'file')} removed from ${albumName}.`)) !== undefined;
  }

  /** Exports the originals of files to a folder. */
  async export(fileIds: number[], dest: string): Promise<boolean> {
    return (await this.state.run('Exporting…', () => this.api().call('files.export', { fileIds, dest }), (r) =>
      `Exported ${plural(r.written, 'file')} to ${r.dest}${r.skipped ? ` (${r.skipped} already there)` : ''}${r.failed.length ? `; ${r.failed.length} failed: ${r.failed[0]!.name} ${r.failed[0]!.message}` : ''}.`)) !== undefined;
  }

  /**
   * Creates an album; returns its id. `shown` (the view listing and choosing it) runs as part of
   * the action: "created" is said, and the view's buttons come back, once the album is shown.
   */
  async createAlbum(name: string, shown?: (albumId: number) => Promise<void>): Promise<number | undefined> {
    const create = async () => {
      const a = await this.api().call('albums.create', { name });
      await shown?.(a.id);
      return a;
    };
    return (await this.state.run('Creating…', create, (a) => `Album ${a.name} created.`))?.id;
  }

  /** Renames an album. */
  async renameAlbum(albumId: number, name: string): Promise<boolean> {
    return (await this.state.run('Renaming…', () => this.api().call('albums.rename', { albumId, name }), (a) => `Renamed to ${a.name}.`)) !== undefined;
  }
}
