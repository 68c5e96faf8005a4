import { LitElement, html } from 'lit';
import type { Result } from '../../main/core/api/contract.js';
import { formatBytes, printable } from '../../main/core/format.js';
import { messageOf, type ShoeboxApi } from '../api/api-client.js';
import { sharedStyles } from './shared-styles.js';

type TrashItem = Result<'trash.list'>[number];

/**
 * Trash: removed files, kept 30 days; restore puts them back into the albums they were in.
 * @fires changed - files were restored or Trash was emptied
 */
export class SbTrashView extends LitElement {
  static override properties = { api: { attribute: false }, items: { state: true }, chosen: { state: true }, error: { state: true }, note: { state: true }, confirming: { state: true } };
  declare api: ShoeboxApi;
  declare items: TrashItem[] | null;
  declare chosen: Set<number>;
  declare error: string | null;
  declare note: string | null;
  declare confirming: boolean;

  constructor() {
    super();
    this.items = null;
    this.chosen = new Set();
    this.error = null;
    this.note = null;
    this.confirming = false;
  }

  static override styles = [sharedStyles];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.items = await this.api.call('trash.list', {});
      this.error = null;
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  override render() {
    const items = this.items ?? [];
    return html`
      <h2>Trash</h2>
      <p class="muted">Files here are deleted for good 30 days after they were removed. Until then they count in storage and can be restored.</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.note ? html`<p role="status">${this.note}</p>` : ''}
      ${this.items === null ? html`<p class="muted">Loading…</p>` : items.length === 0 ? html`<p class="card">Trash is empty.</p>` : html`
        <div class="row gap-below">
          <button class="primary" ?disabled=${this.chosen.size === 0} @click=${() => void this.restore()}>Restore ${this.chosen.size || ''}</button>
          ${this.confirming
            ? html`<span>Delete ${items.length} files for good?</span><button @click=${() => void this.empty()}>Yes, empty Trash</button><button @click=${() => (this.confirming = false)}>Cancel</button>`
            : html`<button @click=${() => (this.confirming = true)}>Empty Trash…</button>`}
        </div>
        <table>
          <thead><tr><th scope="col"><span class="sr-only">Select</span></th><th scope="col">Name</th><th scope="col">Size</th><th scope="col">Removed</th><th scope="col">Was in</th></tr></thead>
          <tbody>
            ${items.map((t) => html`<tr>
              <td><input type="checkbox" aria-label="Select ${printable(t.name)}" .checked=${this.chosen.has(t.fileId)} @change=${(e: Event) => this.toggle(t.fileId, (e.target as HTMLInputElement).checked)} /></td>
              <td>${printable(t.name)}</td><td>${formatBytes(t.size)}</td><td>${new Date(t.trashedAt).toLocaleString()}</td><td>${t.albums.join(', ') || 'Uncategorized'}</td>
            </tr>`)}
          </tbody>
        </table>`}
    `;
  }

  private toggle(id: number, on: boolean): void {
    const next = new Set(this.chosen);
    if (on) next.add(id);
    else next.delete(id);
    this.chosen = next;
  }

  private async restore(): Promise<void> {
    try {
      const r = await this.api.call('trash.restore', { fileIds: [...this.chosen] });
      this.note = `${r.restored} file${r.restored === 1 ? '' : 's'} restored.`;
      this.chosen = new Set();
      this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
      await this.load();
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  private async empty(): Promise<void> {
    this.confirming = false;
    try {
      const r = await this.api.call('trash.empty', {});
      this.note = `Deleted ${r.files} files for good; freed ${formatBytes(r.bytesFreed)}.${r.missingBlobs.length ? ` ${r.missingBlobs.length} had already lost their stored bytes.` : ''}`;
      this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
      await this.load();
    } catch (e) {
      this.error = messageOf(e);
    }
  }
}

customElements.define('sb-trash-view', SbTrashView);

declare global {
  interface HTMLElementTagNameMap {
    'sb-trash-view': SbTrashView;
  }
}
