import { LitElement, css, html } from 'lit';
import type { Album } from '../../main/core/api/contract.js';
import { plural } from '../data/plural.js';
import { sharedStyles } from './shared-styles.js';

/** What the selection bar asks its container to do. */
export type SelectionAction =
  | { kind: 'trash' }
  | { kind: 'add'; albumId: number }
  | { kind: 'remove' }
  | { kind: 'export'; dest: string }
  | { kind: 'clear' };

/**
 * The bar shown while files are selected: how many, and Move to Trash, Add to album, Remove from
 * this album (in an album), Export…, Clear. Presentational.
 * @fires selection-action - detail: SelectionAction
 */
export class SbSelectionBar extends LitElement {
  static override properties = { count: { type: Number }, albums: { attribute: false }, canRemove: { type: Boolean }, albumName: { type: String }, busy: { type: Boolean }, asking: { state: true }, dest: { state: true }, destError: { state: true }, target: { state: true } };
  declare count: number;
  declare albums: Album[];
  declare canRemove: boolean;
  declare albumName: string;
  declare busy: boolean;
  declare asking: 'add' | 'export' | null;
  declare dest: string;
  /** What is wrong with the folder typed, said beside the field (which stays open to fix it). */
  declare destError: string | null;
  declare target: number | null;

  constructor() {
    super();
    this.count = 0;
    this.albums = [];
    this.canRemove = false;
    this.albumName = '';
    this.busy = false;
    this.asking = null;
    this.dest = '';
    this.destError = null;
    this.target = null;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .bar { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; background: var(--panel); border: 2px solid var(--accent); border-radius: 10px; padding: 0.5rem 0.75rem; margin-bottom: 0.5rem; }
      .count { font-weight: 600; margin-right: 0.5rem; }
      select, input { max-width: 18rem; }
    `,
  ];

  /** A folder typed from the top is exported to; anything else is said here, the field kept open to fix it (a relative path closed it). */
  private submitExport(): void {
    const dest = this.dest.trim();
    if (!dest) return;
    if (!/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(dest)) {
      this.destError = dest.startsWith('~') ? 'Type the full path: ~ is not expanded here (like /home/you/Exported).' : 'Type the folder\'s full path, from the top (like /home/you/Exported).';
      return;
    }
    this.act({ kind: 'export', dest });
  }

  private act(a: SelectionAction): void {
    this.asking = null;
    this.dispatchEvent(new CustomEvent<SelectionAction>('selection-action', { detail: a, bubbles: true, composed: true }));
  }

  override render() {
    const users = this.albums.filter((a) => a.kind === 'user');
    return html`<div class="bar" role="toolbar" aria-label="Selected files" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.asking ? (this.asking = null) : this.act({ kind: 'clear' }))}>
      <span class="count" aria-live="polite">${plural(this.count, 'file')} selected</span>
      <button ?disabled=${this.busy} @click=${() => this.act({ kind: 'trash' })}>Move to Trash</button>
      ${this.asking === 'add'
        ? html`<label>Album <select @change=${(e: Event) => (this.target = Number((e.target as HTMLSelectElement).value))}>
              <option value="">Choose…</option>${users.map((a) => html`<option value=${a.id}>${a.name}</option>`)}
            </select></label>
            <button class="primary" ?disabled=${this.busy || !this.target} @click=${() => this.target && this.act({ kind: 'add', albumId: this.target })}>Add</button>`
        : html`<button ?disabled=${this.busy || users.length === 0} @click=${() => (this.asking = 'add')}>Add to album…</button>`}
      ${this.canRemove ? html`<button ?disabled=${this.busy} @click=${() => this.act({ kind: 'remove' })}>Remove from ${this.albumName}</button>` : ''}
      ${this.asking === 'export'
        ? html`<form class="row" @submit=${(e: Event) => { e.preventDefault(); this.submitExport(); }}>
              <label>Export to folder <input type="text" required placeholder="/home/you/Exported" aria-invalid=${this.destError ? 'true' : 'false'} .value=${this.dest} @input=${(e: Event) => { this.dest = (e.target as HTMLInputElement).value; this.destError = null; }} /></label>
              <button class="primary" type="submit" ?disabled=${this.busy}>Export</button>
              ${this.destError ? html`<span class="error" role="alert">${this.destError}</span>` : ''}
            </form>`
        : html`<button ?disabled=${this.busy} @click=${() => (this.asking = 'export')}>Export…</button>`}
      <button ?disabled=${this.busy} @click=${() => this.act({ kind: 'clear' })}>Clear selection</button>
    </div>`;
  }
}

customElements.define('sb-selection-bar', SbSelectionBar);

declare global {
  interface HTMLElementTagNameMap {
    'sb-selection-bar': SbSelectionBar;
  }
}
