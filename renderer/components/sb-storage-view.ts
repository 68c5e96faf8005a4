import { LitElement, html } from 'lit';
import type { Storage } from '../../main/core/api/contract.js';
import { formatBytes } from '../../main/core/format.js';
import { loadTask, renderLoad } from '../data/load-task.js';
import { plural } from '../data/plural.js';
import { consumeSession } from '../data/session-consumer.js';
import { sharedStyles } from './shared-styles.js';

/** Storage: what the library uses on disk, per album, in Trash, and duplicates. */
export class SbStorageView extends LitElement {
  private readonly session = consumeSession(this);
  private readonly storage = loadTask(this, () => this.session.value, () => [] as const, (api) => api.call('storage.get', {}));

  static override styles = [sharedStyles];

  override render() {
    return html`
      <h2>Storage</h2>
      ${renderLoad(this.storage, this.session.value, { what: 'storage', complete: (s) => this.renderStorage(s) })}
    `;
  }

  private renderStorage(s: Storage) {
    return html`<div class="card">
        <table>
          <tr><th scope="row">Stored on disk</th><td>${formatBytes(s.storedBytes)}</td><td class="muted">${plural(s.storedBlobs, 'distinct content')}, Trash included; each is stored once</td></tr>
          <tr><th scope="row">Files</th><td>${formatBytes(s.filesBytes)}</td><td class="muted">${plural(s.files, 'file')}, counted as if each were its own copy</td></tr>
          <tr><th scope="row">Trash</th><td>${formatBytes(s.trash.bytes)}</td><td class="muted">${plural(s.trash.files, 'file')}; emptying Trash frees ${formatBytes(s.trash.freedByPurge)}</td></tr>
          <tr><th scope="row">Duplicates</th><td>${formatBytes(s.duplicates.extraBytes)}</td><td class="muted">${plural(s.duplicates.extraCopies, 'extra copy', 'extra copies')} in ${plural(s.duplicates.groups, 'group')} (Deduplicate files tidies them)</td></tr>
          <tr><th scope="row">Previews</th><td>${formatBytes(s.thumbnailsBytes)}</td><td></td></tr>
        </table>
      </div>
      <h3>Albums</h3>
      <table>
        <thead><tr><th scope="col">Album</th><th scope="col">Files</th><th scope="col">Size</th></tr></thead>
        <tbody>${s.albums.map((a) => html`<tr><td>${a.name}</td><td>${a.files}</td><td>${formatBytes(a.bytes)}</td></tr>`)}</tbody>
      </table>`;
  }
}

customElements.define('sb-storage-view', SbStorageView);

declare global {
  interface HTMLElementTagNameMap {
    'sb-storage-view': SbStorageView;
  }
}
