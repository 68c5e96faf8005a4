import { LitElement, html } from 'lit';
import type { Storage } from '../../main/core/api/contract.js';
import { formatBytes } from '../../main/core/format.js';
import { messageOf, type ShoeboxApi } from '../api/api-client.js';
import { sharedStyles } from './shared-styles.js';

/** Storage: what the library uses on disk, per album, in Trash, and duplicates. */
export class SbStorageView extends LitElement {
  static override properties = { api: { attribute: false }, revision: { type: String }, storage: { state: true }, error: { state: true } };
  declare api: ShoeboxApi;
  declare revision: string;
  declare storage: Storage | null;
  declare error: string | null;

  constructor() {
    super();
    this.revision = '';
    this.storage = null;
    this.error = null;
  }

  static override styles = [sharedStyles];

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('revision')) {
      this.api.call('storage.get', {}).then((s) => ((this.storage = s), (this.error = null)), (e: unknown) => (this.error = messageOf(e)));
    }
  }

  override render() {
    const s = this.storage;
    return html`
      <h2>Storage</h2>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${s
        ? html`<div class="card">
              <table>
                <tr><th scope="row">Stored on disk</th><td>${formatBytes(s.storedBytes)}</td><td class="muted">${s.storedBlobs} distinct contents, Trash included; each is stored once</td></tr>
                <tr><th scope="row">Files</th><td>${formatBytes(s.filesBytes)}</td><td class="muted">${s.files} files, counted as if each were its own copy</td></tr>
                <tr><th scope="row">Trash</th><td>${formatBytes(s.trash.bytes)}</td><td class="muted">${s.trash.files} files; emptying Trash frees ${formatBytes(s.trash.freedByPurge)}</td></tr>
                <tr><th scope="row">Duplicates</th><td>${formatBytes(s.duplicates.extraBytes)}</td><td class="muted">${s.duplicates.extraCopies} extra copies in ${s.duplicates.groups} groups (Deduplicate files tidies them)</td></tr>
                <tr><th scope="row">Previews</th><td>${formatBytes(s.thumbnailsBytes)}</td><td></td></tr>
              </table>
            </div>
            <h3>Albums</h3>
            <table>
              <thead><tr><th scope="col">Album</th><th scope="col">Files</th><th scope="col">Size</th></tr></thead>
              <tbody>${s.albums.map((a) => html`<tr><td>${a.name}</td><td>${a.files}</td><td>${formatBytes(a.bytes)}</td></tr>`)}</tbody>
            </table>`
        : html`<p class="muted">Loading…</p>`}
    `;
  }
}

customElements.define('sb-storage-view', SbStorageView);

declare global {
  interface HTMLElementTagNameMap {
    'sb-storage-view': SbStorageView;
  }
}
