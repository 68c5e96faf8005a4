import { LitElement, css, html } from 'lit';
import type { Album, FileItem } from '../../main/core/api/contract.js';
import { formatBytes } from '../../main/core/format.js';
import { loadTask, renderLoad } from '../data/load-task.js';
import { LibraryActions } from '../data/library-actions.js';
import { PagedList } from '../data/paged-list.js';
import { plural } from '../data/plural.js';
import { SelectionModel } from '../data/selection-model.js';
import { consumeSession, sessionOf } from '../data/session-consumer.js';
import { ViewerController } from '../data/viewer-controller.js';
import type { OpenDetail, SbPhotoGrid } from './sb-photo-grid.js';
import type { SelectionAction } from './sb-selection-bar.js';
import { sharedStyles } from './shared-styles.js';
import './sb-album-list.js';
import './sb-photo-grid.js';
import './sb-selection-bar.js';
import './sb-snackbar.js';
import './sb-state.js';

/**
 * Albums: the album list (covers, counts, search, sort; scales to thousands) beside the chosen
 * album's files as a virtualized grid. New album, Rename; selection with its bar (Trash with
 * undo, Add to / Remove from album, Export). A tile opens in the viewer.
 * @fires changed - the library changed
 */
export class SbAlbumView extends LitElement {
  static override properties = { selectedId: { state: true }, naming: { state: true }, nameDraft: { state: true } };
  declare selectedId: number | null;
  declare naming: 'new' | 'rename' | null;
  declare nameDraft: string;
  private readonly session = consumeSession(this);
  private readonly albums = loadTask(this, () => this.session.value, () => [] as const, (api) => api.call('albums.list', {}));
  private readonly files = new PagedList<FileItem>(this, (offset, limit) => sessionOf(this.session).api.call('files.list', { albumId: this.selectedId ?? 0, offset, limit }));
  private readonly selection = new SelectionModel();
  private readonly actions = new LibraryActions(this, () => sessionOf(this.session).api);
  private readonly viewer = new ViewerController(this, this.files, this.actions, () => this.changed(), (i) => void this.renderRoot.querySelector<SbPhotoGrid>('sb-photo-grid')?.focusTile(i));
  /** Until the person picks an album, the first one with files is shown. */
  private chosenByUser = false;
  private listedFor: string | null = null;

  constructor() {
    super();
    this.selectedId = null;
    this.naming = null;
    this.nameDraft = '';
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: grid; grid-template-columns: minmax(12rem, 18rem) 1fr; gap: 1rem; height: calc(100vh - 6.5rem); min-height: 0; }
      .side { display: flex; flex-direction: column; min-height: 0; }
      .content { display: flex; flex-direction: column; min-height: 0; min-width: 0; }
      sb-album-list { flex: 1; }
      sb-photo-grid { flex: 1; }
      h2 { margin-bottom: 0.4rem; }
      @media (max-width: 900px) { :host { grid-template-columns: 1fr; grid-template-rows: 14rem 1fr; } }
    `,
  ];

  override willUpdate(): void {
    const albums = this.albums.value;
    if (!albums) return;
    const still = albums.find((a) => a.id === this.selectedId);
    const firstWithFiles = albums.find((a) => a.fileCount > 0)?.id ?? albums[0]?.id ?? null;
    if (!still || (!this.chosenByUser && still.fileCount === 0 && firstWithFiles !== still.id)) this.select(firstWithFiles);
    const album = albums.find((a) => a.id === this.selectedId);
    // The library changed (or another album was picked): re-read its pages, keeping tiles on screen.
    const key = `${this.selectedId}|${this.session.value?.revision}|${album?.fileCount}`;
    if (key !== this.listedFor) {
      this.files.reset(album?.fileCount ?? 0, this.listedFor?.split('|')[0] === String(this.selectedId));
      this.listedFor = key;
    }
  }

  private select(id: number | null): void {
    if (id !== this.selectedId) this.selection.clear();
    this.selectedId = id;
  }

  override render() {
    return html`
      <div class="side">
        <div class="row spread"><h2>Albums</h2><button ?disabled=${this.actions.state.busy !== null} @click=${() => this.startNaming('new')}>New album</button></div>
        ${this.naming === 'new' ? this.renderNameForm('Name of the new album', 'Create') : ''}
        ${renderLoad(this.albums, this.session.value, {
          what: 'albums',
          complete: (albums) => html`<sb-album-list .albums=${albums} .selectedId=${this.selectedId} @select-album=${(e: CustomEvent<number>) => { this.chosenByUser = true; this.select(e.detail); }}></sb-album-list>`,
        })}
      </div>
      <div class="content">${this.renderAlbum(this.albums.value?.find((a) => a.id === this.selectedId))}</div>
      ${this.viewer.render()}
      ${this.actions.undo ? html`<sb-snackbar .message=${this.actions.undo.message} @action=${() => void this.actions.undoTrash().then(() => { this.changed(); void this.viewer.focusViewer(); })} @dismiss=${() => this.actions.dismissUndo()}></sb-snackbar>` : ''}
    `;
  }

  private renderAlbum(album: Album | undefined) {
    if (!this.albums.value) return '';
    if (!album) return html`<sb-state kind="empty" .message=${'No albums yet: add a watch folder or upload some photos.'}></sb-state>`;
    const a = this.actions.state;
    return html`
      <div class="row spread">
        <p class="muted" aria-live="polite">${album.name}: ${plural(album.fileCount, 'file')}, ${formatBytes(album.bytes)}</p>
        ${album.kind === 'user' ? html`<button ?disabled=${a.busy !== null} @click=${() => this.startNaming('rename', album.name)}>Rename</button>` : ''}
      </div>
      ${this.naming === 'rename' ? this.renderNameForm(`New name for ${album.name}`, 'Rename') : ''}
      ${a.error ? html`<p class="error" role="alert">${a.error}</p>` : ''}
      ${a.note ? html`<p role="status">${a.note}</p>` : ''}
      ${this.files.error ? html`<sb-state kind="error" .message=${this.files.error} @retry=${() => this.files.reset(album.fileCount)}></sb-state>` : ''}
      ${this.selection.size > 0
        ? html`<sb-selection-bar .count=${this.selection.size} .albums=${this.albums.value ?? []} ?canRemove=${album.kind === 'user'} .albumName=${album.name} ?busy=${a.busy !== null} @selection-action=${(e: CustomEvent<SelectionAction>) => void this.onAction(e.detail, album)}></sb-selection-bar>`
        : ''}
      ${album.fileCount === 0
        ? html`<sb-state kind="empty" .message=${'This album is empty.'}></sb-state>`
        : html`<sb-photo-grid label="Files in ${album.name}" .total=${this.files.total} .version=${this.files.version} .itemAt=${(i: number) => this.files.at(i)} .selection=${this.selection}
            @selection-change=${() => this.requestUpdate()} @open=${(e: CustomEvent<OpenDetail>) => this.open(e.detail)}></sb-photo-grid>`}
    `;
  }

  private renderNameForm(label: string, verb: string) {
    return html`<form class="row gap-below" @submit=${(e: Event) => { e.preventDefault(); void this.saveName(); }} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.naming = null)}>
      <input type="text" aria-label=${label} placeholder=${label} required maxlength="255" .value=${this.nameDraft} @input=${(e: Event) => (this.nameDraft = (e.target as HTMLInputElement).value)} />
      <button class="primary" type="submit" ?disabled=${this.actions.state.busy !== null}>${verb}</button>
      <button type="button" @click=${() => (this.naming = null)}>Cancel</button>
    </form>`;
  }

  private startNaming(kind: 'new' | 'rename', current = ''): void {
    this.naming = kind;
    this.nameDraft = current;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('form input')?.focus());
  }

  private async saveName(): Promise<void> {
    const name = this.nameDraft.trim();
    if (this.naming === 'new') {
      const id = await this.actions.createAlbum(name, async (created) => {
        // List it before choosing it. A reload the library's new revision starts meanwhile
        // supersedes this run (which then ends without a value): wait for the newest one.
        await this.albums.run();
        await this.albums.taskComplete;
        this.chosenByUser = true;
        this.select(created);
      });
      if (id === undefined) return;
    } else if (this.naming === 'rename' && this.selectedId !== null) {
      if (!(await this.actions.renameAlbum(this.selectedId, name))) return;
    }
    this.naming = null;
    this.changed();
  }

  private open(d: OpenDetail): void {
    this.viewer.open(d.index);
  }

  private async onAction(a: SelectionAction, album: Album): Promise<void> {
    if (await this.actions.applyToSelection(a, this.selection, this.albums.value ?? [], album)) this.changed();
  }

  private changed(): void {
    void this.albums.run();
    this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
  }
}

customElements.define('sb-album-view', SbAlbumView);

declare global {
  interface HTMLElementTagNameMap {
    'sb-album-view': SbAlbumView;
  }
}
