import { LitElement, html } from 'lit';
import type { Result } from '../../main/core/api/contract.js';
import { formatBytes, printable } from '../../main/core/format.js';
import { ActionController } from '../data/action-controller.js';
import { loadTask, renderLoad } from '../data/load-task.js';
import { plural } from '../data/plural.js';
import { consumeSession, sessionOf } from '../data/session-consumer.js';
import { sharedStyles } from './shared-styles.js';
import { withCode } from '../data/code-spans.js';

type TrashItem = Result<'trash.list'>[number];

/**
 * Trash: removed files, kept 30 days; restore puts them back into the albums they were in.
 * @fires changed - files were restored or Trash was emptied
 */
export class SbTrashView extends LitElement {
  static override properties = { chosen: { state: true }, confirming: { state: true } };
  declare chosen: Set<number>;
  declare confirming: boolean;
  private readonly session = consumeSession(this);
  private readonly items = loadTask(this, () => this.session.value, () => [] as const, (api) => api.call('trash.list', {}));
  private readonly action = new ActionController(this);

  constructor() {
    super();
    this.chosen = new Set();
    this.confirming = false;
  }

  static override styles = [sharedStyles];

  override render() {
    return html`
      <h2>Trash</h2>
      <p class="muted">Files here are deleted for good 30 days after they were removed. Until then they count in storage and can be restored.</p>
      ${this.action.error ? html`<p class="error" role="alert">${withCode(this.action.error)}</p>` : ''}
      ${this.action.note ? html`<p role="status">${this.action.note}</p>` : ''}
      ${renderLoad(this.items, this.session.value, { what: 'Trash', isEmpty: (v) => v.length === 0, empty: 'Trash is empty.', complete: (items) => this.renderItems(items) })}
    `;
  }

  private renderItems(items: TrashItem[]) {
    return html`
      <div class="row gap-below">
        <button class="primary" ?disabled=${this.chosen.size === 0 || this.action.busy !== null} @click=${() => void this.restore()}>Restore ${this.chosen.size || ''}</button>
        ${this.confirming
          ? html`<span>Delete ${plural(items.length, 'file')} for good?</span><button @click=${() => void this.empty()}>Yes, empty Trash</button><button @click=${() => (this.confirming = false)}>Cancel</button>`
          : html`<button @click=${() => (this.confirming = true)} ?disabled=${this.action.busy !== null}>Empty Trash…</button>`}
      </div>
      <table>
        <thead><tr><th scope="col"><span class="sr-only">Select</span></th><th scope="col">Name</th><th scope="col">Size</th><th scope="col">Removed</th><th scope="col">Was in</th></tr></thead>
        <tbody>
          ${items.map((t) => html`<tr>
            <td><input type="checkbox" aria-label="Select ${printable(t.name)}" .checked=${this.chosen.has(t.fileId)} @change=${(e: Event) => this.toggle(t.fileId, (e.target as HTMLInputElement).checked)} /></td>
            <td>${printable(t.name)}</td><td>${formatBytes(t.size)}</td><td>${new Date(t.trashedAt).toLocaleString()}</td><td>${t.albums.join(', ') || 'Uncategorized'}</td>
          </tr>`)}
        </tbody>
      </table>`;
  }

  private toggle(id: number, on: boolean): void {
    const next = new Set(this.chosen);
    if (on) next.add(id);
    else next.delete(id);
    this.chosen = next;
  }

  private changed(): void {
    this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
    void this.items.run();
  }

  private async restore(): Promise<void> {
    const r = await this.action.run('Restoring…', () => sessionOf(this.session).api.call('trash.restore', { fileIds: [...this.chosen] }), (r) => `${plural(r.restored, 'file')} restored.`);
    if (r) {
      this.chosen = new Set();
      this.changed();
    }
  }

  private async empty(): Promise<void> {
    this.confirming = false;
    const r = await this.action.run('Emptying Trash…', () => sessionOf(this.session).api.call('trash.empty', {}), (r) =>
      `Deleted ${plural(r.files, 'file')} for good; freed ${formatBytes(r.bytesFreed)}.${r.missingBlobs.length ? ` ${r.missingBlobs.length} had already lost their stored bytes.` : ''}`);
    if (r) this.changed();
  }
}

customElements.define('sb-trash-view', SbTrashView);

declare global {
  interface HTMLElementTagNameMap {
    'sb-trash-view': SbTrashView;
  }
}
