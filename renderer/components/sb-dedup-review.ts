import { LitElement, css, html } from 'lit';
import type { DuplicateGroup, Result } from '../../main/core/api/contract.js';
import { formatBytes, printable } from '../../main/core/format.js';
import { messageOf, type ShoeboxApi } from '../api/api-client.js';
import { sharedStyles } from './shared-styles.js';
import './sb-thumb.js';

const PAGE = 50;

/**
 * Settings → Deduplicate files (DESIGN §4): groups of exact copies with thumbnails, names,
 * sizes and albums; the kept copy is marked and can be changed; groups can be deselected; the
 * space the copies take; confirm; the result.
 * @fires changed - duplicates were moved to Trash
 */
export class SbDedupReview extends LitElement {
  static override properties = { api: { attribute: false }, groups: { state: true }, total: { state: true }, error: { state: true }, busy: { state: true }, result: { state: true }, progress: { state: true } };
  declare api: ShoeboxApi;
  declare groups: Array<DuplicateGroup & { selected: boolean }>;
  declare total: number;
  declare error: string | null;
  declare busy: boolean;
  declare result: Result<'dedup.apply'> | null;
  declare progress: string | null;
  private off?: () => void;

  constructor() {
    super();
    this.groups = [];
    this.total = 0;
    this.error = null;
    this.busy = false;
    this.result = null;
    this.progress = null;
  }

  static override styles = [
    sharedStyles,
    css`
      .group { display: grid; gap: 0.5rem; }
      .copies { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0.6rem; }
      .copy { border: 2px solid var(--line); border-radius: 10px; padding: 0.4rem; }
      .copy.keep { border-color: var(--ok); }
      .thumb { width: 100%; aspect-ratio: 1; }
      .name { font-weight: 600; word-break: break-all; }
      .small { font-size: 0.85em; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.off = this.api.on('dedupProgress', (p) => (this.progress = `Applying ${p.done} of ${p.total}…`));
    void this.load(0);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.off?.();
  }

  private async load(offset: number): Promise<void> {
    try {
      const r = await this.api.call('dedup.groups', { offset, limit: PAGE });
      const more = r.groups.map((g) => ({ ...g, selected: true }));
      this.groups = offset === 0 ? more : [...this.groups, ...more];
      this.total = r.total;
      this.error = null;
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  override render() {
    const chosen = this.groups.filter((g) => g.selected);
    const copies = chosen.reduce((n, g) => n + g.copies.length - 1, 0);
    const bytes = chosen.reduce((n, g) => n + (g.copies.length - 1) * g.size, 0);
    return html`
      <h2>Deduplicate files</h2>
      <p class="muted">Exact copies of the same photo in different albums or under different names. The kept copy joins every album any copy was in; the others go to Trash (kept 30 days). No album loses a photo.</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.result ? this.renderResult(this.result) : ''}
      ${this.total === 0 && !this.result ? html`<p class="card">No duplicates: every file in the library has different content.</p>` : ''}
      ${this.groups.length > 0
        ? html`<div class="card row spread">
            <span aria-live="polite">${chosen.length} of ${this.total} groups selected: ${copies} extra copies, ${formatBytes(bytes)} of files.</span>
            <button class="primary" ?disabled=${this.busy || chosen.length === 0} @click=${() => void this.apply()}>Move ${copies} copies to Trash</button>
          </div>`
        : ''}
      ${this.progress && this.busy ? html`<p role="status">${this.progress}</p>` : ''}
      ${this.groups.map((g, gi) => this.renderGroup(g, gi))}
      ${this.groups.length < this.total ? html`<button @click=${() => void this.load(this.groups.length)}>Show more groups</button>` : ''}
    `;
  }

  private renderGroup(g: DuplicateGroup & { selected: boolean }, gi: number) {
    return html`<section class="card group" aria-label="Duplicate group ${g.id}">
      <label class="row"><input type="checkbox" .checked=${g.selected} @change=${(e: Event) => this.update_(gi, { selected: (e.target as HTMLInputElement).checked })} />
        <strong>${g.copies.length} copies</strong> <span class="muted">${formatBytes(g.size)} each · group ${g.id}</span></label>
      <div class="copies" role="radiogroup" aria-label="Copy to keep">
        ${g.copies.map((c) => html`<label class="copy ${c.fileId === g.keep ? 'keep' : ''}">
          <div class="thumb"><sb-thumb .api=${this.api} .file=${{ fileId: c.fileId, name: c.name, size: c.size, mediaType: c.mediaType, width: c.width, height: c.height, takenAt: c.takenAt }}></sb-thumb></div>
          <div class="row small"><input type="radio" name="keep-${g.id}" .checked=${c.fileId === g.keep} @change=${() => this.update_(gi, { keep: c.fileId })} />${c.fileId === g.keep ? 'Keep' : 'To Trash'}</div>
          <div class="name">${printable(c.name)}</div>
          <div class="small muted">${formatBytes(c.size)}${c.width && c.height ? ` · ${c.width}×${c.height}` : ''}${c.takenAt ? ` · ${new Date(c.takenAt).toLocaleDateString()}` : ''}</div>
          <div class="small">In ${c.albums.length ? c.albums.join(', ') : 'Uncategorized'}</div>
        </label>`)}
      </div>
    </section>`;
  }

  private update_(gi: number, change: Partial<{ selected: boolean; keep: number }>): void {
    this.groups = this.groups.map((g, i) => (i === gi ? { ...g, ...change } : g));
  }

  private async apply(): Promise<void> {
    const selections = this.groups.filter((g) => g.selected).map((g) => ({ hash: g.hash, keep: g.keep, fileIds: g.copies.map((c) => c.fileId) }));
    this.busy = true;
    try {
      this.result = await this.api.call('dedup.apply', { selections });
      this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
      await this.load(0);
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = false;
      this.progress = null;
    }
  }

  private renderResult(r: Result<'dedup.apply'>) {
    const applied = r.results.filter((x) => x.status === 'applied');
    const skipped = r.results.filter((x) => x.status === 'skipped');
    const trashed = applied.reduce((n, x) => n + (x.status === 'applied' ? x.trashed : 0), 0);
    return html`<div class="card" role="status">
      <p><strong>Done:</strong> ${applied.length} groups, ${trashed} copies moved to Trash (restorable for 30 days).</p>
      <p class="muted">Files now take ${formatBytes(r.storage.filesBytes)}; stored on disk ${formatBytes(r.storage.storedBytes)}. Emptying Trash would free ${formatBytes(r.storage.trash.freedByPurge)} (exact copies share their stored bytes).</p>
      ${skipped.map((s) => html`<p class="warn">${s.status === 'skipped' ? s.reason : ''}</p>`)}
    </div>`;
  }
}

customElements.define('sb-dedup-review', SbDedupReview);

declare global {
  interface HTMLElementTagNameMap {
    'sb-dedup-review': SbDedupReview;
  }
}
