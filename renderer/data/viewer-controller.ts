import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { FileItem } from '../../main/core/api/contract.js';
import { printable } from '../../main/core/format.js';
import type { LibraryActions } from './library-actions.js';
import '../components/sb-viewer.js';

/** A list the viewer pages through (a PagedList). */
export interface ViewerList {
  total: number;
  at(i: number): FileItem | undefined;
  findLoaded(match: (item: FileItem) => boolean): number;
  isFresh(i: number): boolean;
}

/**
 * The viewer over one of a view's lists: which position is open, previous/next, Delete → Trash
 * (with the view's undo) staying at the same position so the next file slides in.
 * [Note: The open photo changed elsewhere] The list can change under the viewer (a photo backed
 * up, or moved to Trash from the command line or another window): the open photo is followed to
 * its new position; if it is gone from the list, the viewer says so above the one now shown,
 * instead of silently showing another photo.
 */
export class ViewerController implements ReactiveController {
  /** The open position, or null when the viewer is closed. */
  index: number | null = null;
  /** The file shown at `index` (null until its page is loaded). */
  private openFile: FileItem | null = null;
  /** This viewer moved the open file to Trash: the next file taking its place is expected. */
  private expectNext = false;
  private notice: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly list: ViewerList,
    private readonly actions: LibraryActions,
    private readonly changed: () => void,
    /** Puts keyboard focus back on the grid at a position when the viewer closes. */
    private readonly refocus: (index: number) => void = () => undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Opens the viewer at a position. */
  open(index: number): void {
    this.index = index;
    this.openFile = this.list.at(index) ?? null;
    this.notice = null;
    this.host.requestUpdate();
  }

  /**
   * After an action outside the viewer while it is open (the Undo of the toast below it): the
   * keys go to the viewer again, not to the page (the toast's button is gone).
   */
  async focusViewer(): Promise<void> {
    if (this.index === null) return;
    await (this.host as ReactiveControllerHost & { updateComplete: Promise<unknown> }).updateComplete;
    (this.host as unknown as HTMLElement).shadowRoot?.querySelector<HTMLElement>('sb-viewer')?.focus();
  }

  /** Closes it; focus goes back to the tile of the file last shown. */
  close(): void {
    const at = this.index;
    this.index = null;
    this.openFile = null;
    this.notice = null;
    this.host.requestUpdate();
    if (at !== null) this.refocus(Math.max(0, Math.min(at, this.list.total - 1)));
  }

  private async trash(fileId: number): Promise<void> {
    if (!(await this.actions.trash([fileId]))) return;
    this.expectNext = true;
    this.notice = null;
    this.changed();
    if (this.index !== null && this.index >= this.list.total - 1) this.index = this.list.total - 2;
    if (this.index !== null && this.index < 0) this.index = null;
    this.host.requestUpdate();
  }

  /** Where the open file is now ([Note: The open photo changed elsewhere]). */
  private follow(at: number): number {
    const file = this.list.at(at);
    if (!file || !this.list.isFresh(at)) return at; // not read since the list changed: nothing to compare yet
    const was = this.openFile;
    this.openFile = file;
    if (!was || was.fileId === file.fileId) return at;
    if (this.expectNext) {
      this.expectNext = false;
      return at;
    }
    const moved = this.list.findLoaded((f) => f.fileId === was.fileId);
    if (moved >= 0) {
      this.index = moved;
      this.openFile = was;
      return moved;
    }
    this.notice = `${printable(was.name)} is no longer here: it was moved to Trash, or out of this view, elsewhere.`;
    return at;
  }

  /** The viewer, when open. */
  render() {
    const i = this.index;
    if (i === null) return nothing;
    const total = this.list.total;
    if (total === 0) return nothing;
    const at = this.follow(Math.min(i, total - 1));
    return html`<sb-viewer .file=${this.list.at(at)} .notice=${this.notice} .neighbours=${[at > 0 ? this.list.at(at - 1) : undefined, at < total - 1 ? this.list.at(at + 1) : undefined]} .index=${at} .total=${total}
      @navigate=${(e: CustomEvent<number>) => this.open(Math.max(0, Math.min(total - 1, at + e.detail)))}
      @close=${() => this.close()} @trash=${(e: CustomEvent<number>) => void this.trash(e.detail)}></sb-viewer>`;
  }
}
