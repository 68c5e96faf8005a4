import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { FileItem } from '../../main/core/api/contract.js';
import type { LibraryActions } from './library-actions.js';
import '../components/sb-viewer.js';

/** A list the viewer pages through (a PagedList). */
export interface ViewerList {
  total: number;
  at(i: number): FileItem | undefined;
}

/**
 * The viewer over one of a view's lists: which position is open, previous/next, Delete → Trash
 * (with the view's undo) staying at the same position so the next file slides in.
 */
export class ViewerController implements ReactiveController {
  /** The open position, or null when the viewer is closed. */
  index: number | null = null;

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
    this.host.requestUpdate();
  }

  /** Closes it; focus goes back to the tile of the file last shown. */
  close(): void {
    const at = this.index;
    this.index = null;
    this.host.requestUpdate();
    if (at !== null) this.refocus(Math.max(0, Math.min(at, this.list.total - 1)));
  }

  private async trash(fileId: number): Promise<void> {
    if (!(await this.actions.trash([fileId]))) return;
    this.changed();
    if (this.index !== null && this.index >= this.list.total - 1) this.index = this.list.total - 2;
    if (this.index !== null && this.index < 0) this.index = null;
    this.host.requestUpdate();
  }

  /** The viewer, when open. */
  render() {
    const i = this.index;
    if (i === null) return nothing;
    const total = this.list.total;
    if (total === 0) return nothing;
    const at = Math.min(i, total - 1);
    return html`<sb-viewer .file=${this.list.at(at)} .neighbours=${[at > 0 ? this.list.at(at - 1) : undefined, at < total - 1 ? this.list.at(at + 1) : undefined]} .index=${at} .total=${total}
      @navigate=${(e: CustomEvent<number>) => this.open(Math.max(0, Math.min(total - 1, at + e.detail)))}
      @close=${() => this.close()} @trash=${(e: CustomEvent<number>) => void this.trash(e.detail)}></sb-viewer>`;
  }
}
