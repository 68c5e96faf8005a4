import { LitElement, css, html } from 'lit';
import type { SimilarGroup, SimilarStatus } from '../../main/core/api/contract.js';
import { formatBytes, printable } from '../../main/core/format.js';
import { messageOf, type ShoeboxApi } from '../api/api-client.js';
import { sharedStyles } from './shared-styles.js';
import './sb-similar-compare.js';
import './sb-thumb.js';

/**
 * Settings → Similar images (DESIGN §5, issue #17): on-device indexing with progress (can be
 * turned off), groups at an adjustable threshold with thumbnails. Each group shows its
 * reference — the best shot, kept by default, with the reason — and how alike the others are
 * to it; only near-identical groups are selected by default, looser ones are offered for
 * review. Any image can be compared with the reference side by side at full size. After
 * confirming, Undo brings the images back from Trash and takes back the album memberships.
 * @fires changed - images were moved to Trash or brought back
 */
export class SbSimilarReview extends LitElement {
  static override properties = { api: { attribute: false }, status: { state: true }, groups: { state: true }, threshold: { state: true }, busy: { state: true }, error: { state: true }, note: { state: true }, undoId: { state: true }, compare: { state: true } };
  declare api: ShoeboxApi;
  declare status: SimilarStatus | null;
  declare groups: Array<SimilarGroup & { selected: boolean; kept: Set<number> }> | null;
  declare threshold: number;
  declare busy: string | null;
  declare error: string | null;
  declare note: string | null;
  /** The last confirm, while it can be undone. */
  declare undoId: string | null;
  /** The two images being compared. */
  declare compare: { left: SimilarGroup['images'][number]; right: SimilarGroup['images'][number] } | null;
  private off?: () => void;
  private thresholdSet = false;

  constructor() {
    super();
    this.status = null;
    this.groups = null;
    this.threshold = 0.88;
    this.busy = null;
    this.error = null;
    this.note = null;
    this.undoId = null;
    this.compare = null;
  }

  static override styles = [
    sharedStyles,
    css`
      .images { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: 0.6rem; }
      .image { border: 2px solid var(--line); border-radius: 10px; padding: 0.4rem; min-width: 0; }
      .image.keep { border-color: var(--ok); }
      .name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      .badge { display: inline-block; font-size: 0.8em; padding: 0.05rem 0.4rem; border-radius: 999px; background: var(--ok); color: var(--accent-text); }
      .badge.review { background: var(--warn); }
      .thumb { width: 100%; aspect-ratio: 1; }
      .small { font-size: 0.85em; }
      input[type='range'] { width: 14rem; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.off = this.api.on('similarProgress', (p) => (this.busy = `Indexing… ${p.indexed} done, ${p.pending} to go`));
    void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.off?.();
  }

  private async refresh(): Promise<void> {
    try {
      this.status = await this.api.call('similar.status', {});
      if (!this.thresholdSet) this.threshold = this.status.defaultThreshold;
      this.error = null;
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  override render() {
    const s = this.status;
    return html`
      <h2>Similar images</h2>
      <p class="muted">Edited, resized, recompressed or re-encoded copies and shots of the same moment, found on this computer by a small image model. Exact copies are handled by Deduplicate files.</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.note ? html`<p role="status">${this.note} ${this.undoId ? html`<button @click=${() => void this.undo()}>Undo</button>` : ''}</p>` : ''}
      ${s
        ? html`<div class="card">
            ${s.modelMessage ? html`<p class="error">${s.modelMessage}</p>` : html`<p>${s.indexed} images indexed${s.pending ? html`, <strong>${s.pending} to go</strong>` : ''}${s.failed ? `, ${s.failed} could not be read` : ''}.</p>`}
            <div class="row">
              <label><input type="checkbox" .checked=${s.enabled} @change=${(e: Event) => void this.setIndexing((e.target as HTMLInputElement).checked)} /> Index new photos in the background</label>
              ${s.pending > 0 ? html`<button ?disabled=${!!this.busy} @click=${() => void this.index()}>Index now</button>` : ''}
            </div>
            <div class="row gap-above">
              <label for="threshold">Similarity ${this.threshold.toFixed(2)}</label>
              <input id="threshold" type="range" min="0.6" max="0.99" step="0.01" .value=${String(this.threshold)} @input=${(e: Event) => ((this.thresholdSet = true), (this.threshold = Number((e.target as HTMLInputElement).value)))} />
              <span class="muted small">higher: only near-identical</span>
              <button class="primary" ?disabled=${!!this.busy || !!s.modelMessage} @click=${() => void this.find()}>Find similar images</button>
            </div>
          </div>`
        : html`<p class="muted">Loading…</p>`}
      ${this.busy ? html`<p role="status">${this.busy}</p>` : ''}
      ${this.compare ? html`<sb-similar-compare .api=${this.api} .left=${this.compare.left} .right=${this.compare.right} @close=${() => (this.compare = null)}></sb-similar-compare>` : ''}
      ${this.groups ? this.renderGroups(this.groups) : ''}
    `;
  }

  private renderGroups(groups: Array<SimilarGroup & { selected: boolean; kept: Set<number> }>) {
    if (groups.length === 0) return html`<p class="card">No similar images at this similarity.</p>`;
    const chosen = groups.filter((g) => g.selected);
    const removing = chosen.reduce((n, g) => n + g.images.length - g.kept.size, 0);
    return html`
      <div class="card row spread">
        <span aria-live="polite">${chosen.length} of ${groups.length} groups selected: ${removing} images to Trash.</span>
        <button class="primary" ?disabled=${!!this.busy || removing === 0} @click=${() => void this.apply()}>Move ${removing} images to Trash</button>
      </div>
      ${groups.map((g, gi) => {
        const ref = g.images.find((i) => i.fileId === g.reference);
        return html`<section class="card" aria-label="Similar group ${g.id}">
        <label class="row"><input type="checkbox" .checked=${g.selected} @change=${(e: Event) => this.patch(gi, { selected: (e.target as HTMLInputElement).checked })} /><strong>${g.images.length} similar images</strong>
          ${g.preselected ? html`<span class="badge">Near-identical</span>` : html`<span class="badge review">Review: alike, not near-identical</span>`}</label>
        <div class="images">
          ${g.images.map((i) => html`<div class="image ${g.kept.has(i.fileId) ? 'keep' : ''}">
            <div class="thumb"><sb-thumb .api=${this.api} .file=${{ fileId: i.fileId, name: i.name, size: i.size, mediaType: i.mediaType, width: i.width, height: i.height, takenAt: null }}></sb-thumb></div>
            <label class="row small"><input type="checkbox" .checked=${g.kept.has(i.fileId)} @change=${(e: Event) => this.toggleKeep(gi, i.fileId, (e.target as HTMLInputElement).checked)} /> Keep</label>
            <div class="small name" title=${printable(i.name)}><strong>${printable(i.name)}</strong></div>
            <div class="small muted">${i.width && i.height ? `${i.width}×${i.height} · ` : ''}${formatBytes(i.size)}</div>
            ${i.fileId === g.reference
              ? html`<div class="small"><strong>Reference</strong> · best shot: ${g.keepReason}</div>`
              : html`<div class="small muted">${(i.similarity * 100).toFixed(0)}% alike to the reference</div>
                  ${ref ? html`<button class="small" @click=${() => (this.compare = { left: ref, right: i })}>Compare with reference</button>` : ''}`}
            <div class="small name" title=${i.albums.join(', ') || 'Uncategorized'}>In ${i.albums.map(printable).join(', ') || 'Uncategorized'}</div>
          </div>`)}
        </div>
      </section>`;
      })}
    `;
  }

  private patch(gi: number, change: Partial<{ selected: boolean }>): void {
    this.groups = this.groups!.map((g, i) => (i === gi ? { ...g, ...change } : g));
  }

  private toggleKeep(gi: number, fileId: number, on: boolean): void {
    this.groups = this.groups!.map((g, i) => {
      if (i !== gi) return g;
      const kept = new Set(g.kept);
      if (on) kept.add(fileId);
      else if (kept.size > 1) kept.delete(fileId); // at least one stays
      return { ...g, kept };
    });
  }

  private async setIndexing(enabled: boolean): Promise<void> {
    try {
      this.status = await this.api.call('similar.setIndexing', { enabled });
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  private async index(): Promise<void> {
    this.busy = 'Indexing…';
    try {
      this.status = await this.api.call('similar.index', {});
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = null;
    }
  }

  private async find(): Promise<void> {
    this.busy = 'Looking for similar images…';
    this.note = null;
    try {
      if ((this.status?.pending ?? 0) > 0) this.status = await this.api.call('similar.index', {});
      const r = await this.api.call('similar.groups', { threshold: this.threshold });
      // only near-identical groups are selected; the others are for review (issue #17)
      this.groups = r.groups.map((g) => ({ ...g, selected: g.preselected, kept: new Set(g.keep) }));
      this.compare = null;
      this.error = null;
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = null;
    }
  }

  private async apply(): Promise<void> {
    const selections = this.groups!.filter((g) => g.selected && g.kept.size < g.images.length).map((g) => ({ keep: [...g.kept], remove: g.images.map((i) => i.fileId).filter((id) => !g.kept.has(id)) }));
    this.busy = 'Moving to Trash…';
    try {
      const r = await this.api.call('similar.apply', { selections });
      const applied = r.results.filter((x) => x.status === 'applied');
      const given = [...new Set(applied.flatMap((x) => (x.status === 'applied' ? x.albumsGiven : [])))];
      this.note = `Done: ${applied.reduce((n, x) => n + (x.status === 'applied' ? x.trashed : 0), 0)} images moved to Trash (restorable for 30 days).${given.length ? ` Albums that kept their scene through a kept image: ${given.join(', ')}.` : ''}`;
      this.undoId = r.undoId;
      this.groups = null;
      this.compare = null;
      this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = null;
    }
  }

  private async undo(): Promise<void> {
    const undoId = this.undoId;
    if (!undoId) return;
    this.busy = 'Undoing…';
    try {
      const r = await this.api.call('similar.undo', { undoId });
      this.undoId = null;
      this.note = `Undone: ${r.restored} images are back in their albums${r.gone ? `; ${r.gone} had left Trash meanwhile` : ''}.`;
      this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = null;
    }
  }
}

customElements.define('sb-similar-review', SbSimilarReview);

declare global {
  interface HTMLElementTagNameMap {
    'sb-similar-review': SbSimilarReview;
  }
}
