import { LitElement, css, html } from 'lit';
import '@lit-labs/virtualizer';
import type { Album } from '../../main/core/api/contract.js';
import { albumSubtitle, orderAlbums, type AlbumSort } from '../data/album-order.js';
import { plural } from '../data/plural.js';
import { sharedStyles } from './shared-styles.js';
import './sb-thumb.js';

/**
 * The album list: cover, name, count and where its files came from; search and sort; virtualized,
 * so thousands of albums stay quick. ↑/↓ move through it. Presentational.
 * @fires select-album - detail: the album id
 */
export class SbAlbumList extends LitElement {
  static override properties = { albums: { attribute: false }, selectedId: { type: Number }, query: { state: true }, sort: { state: true } };
  declare albums: Album[];
  declare selectedId: number | null;
  declare query: string;
  declare sort: AlbumSort;

  constructor() {
    super();
    this.albums = [];
    this.selectedId = null;
    this.query = '';
    this.sort = 'name';
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; gap: 0.4rem; }
      .tools { display: flex; gap: 0.4rem; }
      .tools input { flex: 1; min-width: 0; }
      lit-virtualizer { flex: 1; min-height: 0; }
      .item { width: 100%; }
      .album { display: grid; grid-template-columns: 44px 1fr; gap: 0.5rem; align-items: center; width: 100%; text-align: left; border: none; background: none; padding: 0.3rem; border-radius: 8px; }
      .album[aria-current='true'] { background: var(--tile); }
      .cover { width: 44px; height: 44px; }
      .name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .sub { font-size: 0.8em; color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    `,
  ];

  override render() {
    const shown = orderAlbums(this.albums, this.query, this.sort);
    return html`
      <div class="tools">
        <input type="search" aria-label="Search albums" placeholder="Search ${plural(this.albums.length, 'album')}" .value=${this.query} @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)} />
        <select aria-label="Sort albums" .value=${this.sort} @change=${(e: Event) => (this.sort = (e.target as HTMLSelectElement).value as AlbumSort)}>
          <option value="name">A–Z</option><option value="newest">Newest</option><option value="largest">Most files</option>
        </select>
      </div>
      ${shown.length === 0 ? html`<p class="muted">No album matches “${this.query}”.</p>` : ''}
      <lit-virtualizer scroller role="list" aria-label="Albums" .items=${shown} .keyFunction=${(a: Album) => a.id} @keydown=${this.onKey}
        .renderItem=${(a: Album) => html`<div role="listitem" class="item"><button class="album" data-id=${a.id} aria-current=${a.id === this.selectedId ? 'true' : 'false'}
            @click=${() => this.dispatchEvent(new CustomEvent<number>('select-album', { detail: a.id, bubbles: true, composed: true }))}>
            <span class="cover">${a.coverId !== null ? html`<sb-thumb decorative .file=${{ fileId: a.coverId, name: a.name, size: 0, mediaType: 'image/jpeg', width: null, height: null, takenAt: null }}></sb-thumb>` : ''}</span>
            <span><div class="name">${a.name} <span class="muted">${a.fileCount}</span></div><div class="sub">${albumSubtitle(a)}</div></span>
          </button></div>`}></lit-virtualizer>
    `;
  }

  private readonly onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button.album')];
    const at = buttons.indexOf((this.renderRoot as ShadowRoot).activeElement as HTMLButtonElement);
    const next = buttons[at + (e.key === 'ArrowDown' ? 1 : -1)];
    if (next) {
      e.preventDefault();
      next.focus();
      next.scrollIntoView({ block: 'nearest' });
    }
  };
}

customElements.define('sb-album-list', SbAlbumList);

declare global {
  interface HTMLElementTagNameMap {
    'sb-album-list': SbAlbumList;
  }
}
