import { LitElement, css, html } from 'lit';
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';
import { grid } from '@lit-labs/virtualizer/layouts/grid.js';
import type { Album, FileItem } from '../../main/core/api/contract.js';
import { formatBytes } from '../../main/core/format.js';
import { messageOf, type ShoeboxApi } from '../api/api-client.js';
import { sharedStyles } from './shared-styles.js';
import './sb-thumb.js';

const PAGE = 200;

/**
 * Albums (Uncategorized included) and the selected album's files as a virtualized grid of
 * lazy thumbnails: only the visible tiles exist, pages of 200 files are fetched as they come
 * into view, so 50k files scroll smoothly.
 */
export class SbAlbumView extends LitElement {
  static override properties = { api: { attribute: false }, revision: { type: String }, albums: { state: true }, selected: { state: true }, total: { state: true }, error: { state: true }, tick: { state: true } };
  declare api: ShoeboxApi;
  declare revision: string;
  declare albums: Album[];
  declare selected: number | null;
  declare total: number;
  declare error: string | null;
  declare tick: number;
  private pages = new Map<number, FileItem[] | 'loading'>();
  /** Until the person picks an album, the first one with files is shown. */
  private chosenByUser = false;
  private indices: number[] = [];

  constructor() {
    super();
    this.revision = '';
    this.albums = [];
    this.selected = null;
    this.total = 0;
    this.error = null;
    this.tick = 0;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; height: calc(100vh - 6.5rem); }
      .albums { display: flex; flex-wrap: wrap; gap: 0.4rem; margin-bottom: 0.75rem; }
      .albums button[aria-pressed='true'] { background: var(--accent); color: var(--accent-text); border-color: var(--accent); }
      .albums button[aria-pressed='true'] .muted { color: inherit; opacity: 0.8; }
      .grid { flex: 1; min-height: 0; overflow: auto; }
      .tile { width: 150px; height: 150px; }
    `,
  ];

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('revision')) void this.loadAlbums();
  }

  private async loadAlbums(): Promise<void> {
    try {
      this.albums = await this.api.call('albums.list', {});
      const still = this.albums.find((a) => a.id === this.selected);
      const firstWithFiles = this.albums.find((a) => a.fileCount > 0)?.id ?? this.albums[0]?.id ?? null;
      if (!still || (!this.chosenByUser && still.fileCount === 0 && firstWithFiles !== still.id)) this.select(firstWithFiles);
      else if (still.fileCount !== this.total) this.select(still.id); // the album changed: reload its pages
      this.error = null;
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  private select(id: number | null): void {
    this.selected = id;
    this.pages = new Map();
    const album = this.albums.find((a) => a.id === id);
    this.total = album?.fileCount ?? 0;
    this.indices = Array.from({ length: this.total }, (_, i) => i);
  }

  private fileAt(i: number): FileItem | null {
    const p = Math.floor(i / PAGE);
    const page = this.pages.get(p);
    if (page === undefined) void this.loadPage(p);
    return page && page !== 'loading' ? (page[i % PAGE] ?? null) : null;
  }

  private async loadPage(p: number): Promise<void> {
    const albumId = this.selected;
    if (albumId === null) return;
    this.pages.set(p, 'loading');
    try {
      const r = await this.api.call('files.list', { albumId, offset: p * PAGE, limit: PAGE });
      if (albumId !== this.selected) return;
      this.pages.set(p, r.items);
      this.tick++;
    } catch (e) {
      this.pages.delete(p);
      this.error = messageOf(e);
    }
  }

  override render() {
    const album = this.albums.find((a) => a.id === this.selected);
    return html`
      <h2>Albums</h2>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <div class="albums" role="group" aria-label="Albums">
        ${this.albums.map((a) => html`<button aria-pressed=${a.id === this.selected ? 'true' : 'false'} @click=${() => { this.chosenByUser = true; this.select(a.id); }}>${a.name} <span class="muted">${a.fileCount}</span></button>`)}
      </div>
      ${album ? html`<p class="muted" aria-live="polite">${album.name}: ${album.fileCount} files, ${formatBytes(album.bytes)}</p>` : html`<p class="muted">No albums yet: add a watch folder or upload some photos.</p>`}
      <div class="grid" role="list" aria-label=${album ? `Files in ${album.name}` : 'Files'}>
        ${virtualize({
          items: this.indices,
          layout: grid({ itemSize: { width: '150px', height: '150px' }, gap: '8px' }),
          renderItem: (i: number) => html`<div class="tile" role="listitem" data-tick=${this.tick}><sb-thumb .api=${this.api} .file=${this.fileAt(i)}></sb-thumb></div>`,
          scroller: true,
        })}
      </div>
    `;
  }
}

customElements.define('sb-album-view', SbAlbumView);

declare global {
  interface HTMLElementTagNameMap {
    'sb-album-view': SbAlbumView;
  }
}
