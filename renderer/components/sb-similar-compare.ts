import { LitElement, css, html } from 'lit';
import type { SimilarGroup } from '../../main/core/api/contract.js';
import { formatBytes, printable } from '../../main/core/format.js';
import { sharedStyles } from './shared-styles.js';

type Image = SimilarGroup['images'][number];

/**
 * Side-by-side compare of two images of a similar group (issue #17): each at full size (1:1
 * pixels of its preview, or fitted), both panes scrolling together so the same spot is seen in
 * both. Presentational: its container loads the previews and passes their URLs (`urls`, by file
 * id) or the reason they could not be loaded (`error`).
 * @fires close - the user closed the compare view
 */
export class SbSimilarCompare extends LitElement {
  static override properties = { left: { attribute: false }, right: { attribute: false }, urls: { attribute: false }, error: { attribute: false }, fit: { state: true } };
  declare left: Image | null;
  declare right: Image | null;
  declare urls: ReadonlyMap<number, string>;
  declare error: string | null;
  declare fit: boolean;
  private syncing = false;

  constructor() {
    super();
    this.left = null;
    this.right = null;
    this.urls = new Map();
    this.error = null;
    this.fit = false;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .panes { display: grid; grid-template-columns: 1fr 1fr; gap: 0.5rem; }
      .pane { min-width: 0; }
      .view { height: 70vh; overflow: auto; background: var(--tile); border-radius: 8px; }
      .view img { display: block; }
      .view.fit img { width: 100%; height: 100%; object-fit: contain; }
      .name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-weight: 600; }
      .small { font-size: 0.85em; }
    `,
  ];

  private scrolled(e: Event): void {
    if (this.syncing) return;
    const from = e.target as HTMLElement;
    this.syncing = true;
    for (const v of this.renderRoot.querySelectorAll<HTMLElement>('.view')) {
      if (v === from) continue;
      v.scrollLeft = (from.scrollLeft / Math.max(1, from.scrollWidth - from.clientWidth)) * (v.scrollWidth - v.clientWidth);
      v.scrollTop = (from.scrollTop / Math.max(1, from.scrollHeight - from.clientHeight)) * (v.scrollHeight - v.clientHeight);
    }
    requestAnimationFrame(() => (this.syncing = false));
  }

  private pane(img: Image, role: string) {
    const url = this.urls.get(img.fileId);
    return html`<figure class="pane" aria-label="${role}: ${printable(img.name)}">
      <div class="name" title=${printable(img.name)}>${role}: ${printable(img.name)}</div>
      <div class="small muted">${img.width && img.height ? `${img.width}×${img.height} · ` : ''}${formatBytes(img.size)}</div>
      <div class="view ${this.fit ? 'fit' : ''}" @scroll=${(e: Event) => this.scrolled(e)}>
        ${url ? html`<img src=${url} alt=${printable(img.name)} />` : this.error ? '' : html`<p class="muted" role="status">Loading…</p>`}
      </div>
    </figure>`;
  }

  override render() {
    if (!this.left || !this.right) return html``;
    return html`<section class="card" aria-label="Compare images">
      <div class="row spread gap-below">
        <strong>Compare</strong>
        <div class="row">
          <label><input type="checkbox" .checked=${this.fit} @change=${(e: Event) => (this.fit = (e.target as HTMLInputElement).checked)} /> Fit to window</label>
          <button @click=${() => this.dispatchEvent(new CustomEvent('close'))}>Close compare</button>
        </div>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <div class="panes">${this.pane(this.left, 'Reference')}${this.pane(this.right, 'Compared')}</div>
    </section>`;
  }
}

customElements.define('sb-similar-compare', SbSimilarCompare);

declare global {
  interface HTMLElementTagNameMap {
    'sb-similar-compare': SbSimilarCompare;
  }
}
