import { LitElement, css, html } from 'lit';
import type { SimilarGroup, SimilarStatus } from '../../main/core/api/contract.js';
import { formatBytes, printable } from '../../main/core/format.js';
import type { ShoeboxApi } from '../api/api-client.js';
import { ActionController } from '../data/action-controller.js';
import { ApiEventController } from '../data/api-events.js';
import { dateTimeLabel } from '../data/dates.js';
import { loadTask, renderLoad } from '../data/load-task.js';
import { plural } from '../data/plural.js';
import { consumeSession, sessionOf } from '../data/session-consumer.js';
import { sharedStyles } from './shared-styles.js';
import './sb-similar-compare.js';
import './sb-state.js';
import './sb-thumb.js';
import { withCode } from '../data/code-spans.js';

type Image = SimilarGroup['images'][number];
type Group = SimilarGroup & { selected: boolean; kept: Set<number> };

/** Longest side of the previews compared (enough for 1:1 pixels on most screens). */
const PREVIEW_SIDE = 2048;

/**
 * Settings → Similar images (DESIGN §5, issue #17): on-device indexing with progress (can be
 * turned off), groups at an adjustable threshold with thumbnails. Each group shows its
 * reference — the best shot, kept by default, with the reason — and how alike the others are
 * to it; only near-identical groups are selected by default, looser ones are offered for
 * review. Any image can be compared with the reference side by side at full size. After
 * confirming, Undo brings the images back from Trash and takes back the album memberships.
 * The indexing status and the compared previews load through tasks, changes run through one
 * ActionController ([Note: Renderer data layer]); the compare pane and thumbnails only show.
 * @fires changed - images were moved to Trash or brought back
 */
export class SbSimilarReview extends LitElement {
  static override properties = { groups: { state: true }, threshold: { state: true }, progress: { state: true }, undoId: { state: true }, compare: { state: true } };
  declare groups: Group[] | null;
  /** The similarity the person chose; null: the engine's default. */
  declare threshold: number | null;
  /** Progress of the index this view started (shown in place of its busy label while it runs). */
  declare progress: string | null;
  /** The last confirm, while it can be undone. */
  declare undoId: string | null;
  /** The two images being compared. */
  declare compare: { left: Image; right: Image } | null;
  private readonly session = consumeSession(this);
  private readonly action = new ActionController(this);
  private readonly status = loadTask(this, () => this.session.value, () => [] as const, (api) => api.call('similar.status', {}));
  /** The latest confirm that can still be undone (this visit's, an earlier visit's, or the command line's `similar --undo` one). */
  private readonly latestUndo = loadTask(this, () => this.session.value, () => [this.undoId] as const, (api) => api.call('similar.latestUndo', {}));
  /** Previews already loaded, by file id (the reference is compared with each image in turn). */
  private readonly previewUrls = new Map<number, string>();
  private readonly previews = loadTask(this, () => this.session.value, () => [this.compare?.left.fileId, this.compare?.right.fileId] as const, (api, ids) => this.loadPreviews(api, ids));
  private readonly progressEvents = new ApiEventController(this, () => this.session.value, 'similarProgress', (p) => (this.progress = `Indexing… ${p.indexed} done, ${p.pending} to go`));

  constructor() {
    super();
    this.groups = null;
    this.threshold = null;
    this.progress = null;
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

  private async loadPreviews(api: ShoeboxApi, ids: readonly [number | undefined, number | undefined]): Promise<ReadonlyMap<number, string>> {
    const missing = ids.filter((id): id is number => id !== undefined && !this.previewUrls.has(id));
    const loaded = await Promise.all(missing.map((fileId) => api.call('files.preview', { fileId, maxSide: PREVIEW_SIDE })));
    missing.forEach((id, i) => this.previewUrls.set(id, loaded[i]!.dataUrl));
    return new Map(this.previewUrls);
  }

  override render() {
    const busy = this.action.busy;
    return html`
      <h2>Similar images</h2>
      <p class="muted">Edited, resized, recompressed or re-encoded copies and shots of the same moment, found on this computer by a small image model. Exact copies are handled by Deduplicate files.</p>
      ${this.action.error ? html`<p class="error" role="alert">${withCode(this.action.error)}</p>` : ''}
      ${this.action.note ? html`<p role="status">${this.action.note} ${this.undoId ? html`<button ?disabled=${busy !== null} @click=${() => void this.undo()}>Undo</button>` : ''}</p>` : ''}
      ${this.renderEarlierUndo()}
      ${renderLoad(this.status, this.session.value, { what: 'the similar-images index', complete: (s) => this.renderStatus(s) })}
      ${busy ? html`<p role="status">${this.progress ?? busy}</p>` : ''}
      ${this.compare
        ? html`<sb-similar-compare .left=${this.compare.left} .right=${this.compare.right} .urls=${this.previews.value ?? new Map()} .error=${this.previews.error ? (this.previews.error as Error).message : null} @close=${() => this.closeCompare()}></sb-similar-compare>`
        : ''}
      ${this.groups ? this.renderGroups(this.groups) : ''}
    `;
  }

  /** An earlier confirm (before this visit, or from the command line) can still be taken back here. */
  private renderEarlierUndo() {
    const u = this.latestUndo.value?.undo;
    if (!u || this.undoId !== null) return '';
    return html`<p class="card">A confirm of ${dateTimeLabel(u.appliedAt)} moved ${plural(u.trashed, 'image')} to Trash; it can still be undone.
      <button ?disabled=${this.action.busy !== null} @click=${() => void this.undo(u.id)}>Undo it</button></p>`;
  }

  private renderStatus(s: SimilarStatus) {
    const busy = this.action.busy !== null;
    const threshold = this.threshold ?? s.defaultThreshold;
    return html`<div class="card">
      ${s.modelMessage ? html`<p class="error">${s.modelMessage}</p>` : html`<p>${s.indexed} images indexed${s.pending ? html`, <strong>${s.pending} to go</strong>` : ''}${s.failed ? `, ${s.failed} could not be read` : ''}${s.missingBytes ? `, ${s.missingBytes} missing their stored copy (see Status)` : ''}.</p>
            ${s.failedNames.length ? html`<ul class="muted">${s.failedNames.map((f) => html`<li>${printable(f.name ?? 'a file')}: ${f.message}</li>`)}${s.failed > s.failedNames.length ? html`<li>… and ${s.failed - s.failedNames.length} more (<code>shoebox similar --json --index-only</code> lists them all)</li>` : ''}</ul>` : ''}`}
      <div class="row">
        <label><input type="checkbox" .checked=${s.enabled} ?disabled=${busy} @change=${(e: Event) => void this.setIndexing((e.target as HTMLInputElement).checked)} /> Index new photos in the background</label>
        ${s.pending > 0 ? html`<button ?disabled=${busy} @click=${() => void this.index()}>Index now</button>` : ''}
      </div>
      <div class="row gap-above">
        <label for="threshold">Similarity ${threshold.toFixed(2)}</label>
        <input id="threshold" type="range" min="0.6" max="0.99" step="0.01" .value=${String(threshold)} @input=${(e: Event) => (this.threshold = Number((e.target as HTMLInputElement).value))} />
        <span class="muted small">higher: only near-identical</span>
        <button class="primary" ?disabled=${busy || !!s.modelMessage} @click=${() => void this.find(s, threshold)}>Find similar images</button>
      </div>
    </div>`;
  }

  private renderGroups(groups: Group[]) {
    if (groups.length === 0) return html`<p class="card">No similar images at this similarity.</p>`;
    const chosen = groups.filter((g) => g.selected);
    const removing = chosen.reduce((n, g) => n + g.images.length - g.kept.size, 0);
    return html`
      <div class="card row spread">
        <span aria-live="polite">${chosen.length} of ${plural(groups.length, 'group')} selected: ${plural(removing, 'image')} to Trash.</span>
        <button class="primary" ?disabled=${this.action.busy !== null || removing === 0} @click=${() => void this.apply()}>Move ${plural(removing, 'image')} to Trash</button>
      </div>
      ${groups.map((g, gi) => this.renderGroup(g, gi))}
    `;
  }

  private renderGroup(g: Group, gi: number) {
    const ref = g.images.find((i) => i.fileId === g.reference);
    return html`<section class="card" aria-label="Similar group ${g.id}">
      <label class="row"><input type="checkbox" .checked=${g.selected} @change=${(e: Event) => this.patch(gi, (x) => ({ ...x, selected: (e.target as HTMLInputElement).checked }))} /><strong>${g.images.length} similar images</strong>
        ${g.preselected ? html`<span class="badge">Near-identical</span>` : html`<span class="badge review">Review: alike, not near-identical</span>`}</label>
      <div class="images">
        ${g.images.map((i) => html`<div class="image ${g.kept.has(i.fileId) ? 'keep' : ''}">
          <div class="thumb"><sb-thumb .file=${{ fileId: i.fileId, name: i.name, size: i.size, mediaType: i.mediaType, width: i.width, height: i.height, takenAt: null }}></sb-thumb></div>
          <label class="row small"><input type="checkbox" .checked=${g.kept.has(i.fileId)} @change=${(e: Event) => this.patch(gi, (x) => keepToggled(x, i.fileId, (e.target as HTMLInputElement).checked))} /> Keep</label>
          <div class="small name" title=${printable(i.name)}><strong>${printable(i.name)}</strong></div>
          <div class="small muted">${i.width && i.height ? `${i.width}×${i.height} · ` : ''}${formatBytes(i.size)}</div>
          ${i.fileId === g.reference
            ? html`<div class="small"><strong>Reference</strong> · best shot: ${g.keepReason}</div>`
            : html`<div class="small muted">${alikePercent(i.similarity)}% alike to the reference</div>
                ${ref ? html`<button class="small" @click=${() => void this.openCompare(ref, i)}>Compare with reference</button>` : ''}`}
          <div class="small name" title=${i.albums.join(', ') || 'Uncategorized'}>In ${i.albums.map(printable).join(', ') || 'Uncategorized'}</div>
        </div>`)}
      </div>
    </section>`;
  }

  private patch(gi: number, change: (g: Group) => Group): void {
    this.groups = (this.groups ?? []).map((g, i) => (i === gi ? change(g) : g));
  }

  /** Opens the side-by-side view, and brings it on screen (it sits above the groups: a card far down the list would open it out of sight). */
  private async openCompare(left: Image, right: Image): Promise<void> {
    this.compare = { left, right };
    await this.updateComplete;
    this.renderRoot.querySelector('sb-similar-compare')?.scrollIntoView({ block: 'start' });
  }

  private closeCompare(): void {
    this.compare = null;
    this.previewUrls.clear();
  }

  private get api() {
    return sessionOf(this.session).api;
  }

  private async setIndexing(enabled: boolean): Promise<void> {
    await this.action.run(enabled ? 'Turning indexing on…' : 'Turning indexing off…', () => this.api.call('similar.setIndexing', { enabled }));
    void this.status.run();
  }

  private async index(): Promise<void> {
    this.progress = null;
    await this.action.run('Indexing…', () => this.api.call('similar.index', {}));
    this.progress = null;
    void this.status.run();
  }

  private async find(s: SimilarStatus, threshold: number): Promise<void> {
    this.progress = null;
    const r = await this.action.run(s.pending > 0 ? 'Indexing…' : 'Looking for similar images…', async () => {
      if (s.pending > 0) {
        await this.api.call('similar.index', {});
        this.progress = null;
        void this.status.run();
      }
      return this.api.call('similar.groups', { threshold });
    });
    if (!r) return;
    // only near-identical groups are selected; the others are for review (issue #17)
    this.groups = r.groups.map((g) => ({ ...g, selected: g.preselected, kept: new Set(g.keep) }));
    this.undoId = null;
    this.closeCompare();
  }

  private async apply(): Promise<void> {
    const selections = (this.groups ?? []).filter((g) => g.selected && g.kept.size < g.images.length).map((g) => ({ keep: [...g.kept], remove: g.images.map((i) => i.fileId).filter((id) => !g.kept.has(id)) }));
    const r = await this.action.run('Moving to Trash…', () => this.api.call('similar.apply', { selections }), (r) => {
      const applied = r.results.flatMap((x) => (x.status === 'applied' ? [x] : []));
      const given = [...new Set(applied.flatMap((x) => x.albumsGiven))];
      return `Done: ${plural(applied.reduce((n, x) => n + x.trashed, 0), 'image')} moved to Trash (restorable for 30 days).${given.length ? ` Albums that kept their scene through a kept image: ${given.join(', ')}.` : ''}`;
    });
    if (!r) return;
    this.undoId = r.undoId;
    this.groups = null;
    this.closeCompare();
    this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
  }

  private async undo(id?: string): Promise<void> {
    const undoId = id ?? this.undoId;
    if (!undoId) return;
    const r = await this.action.run('Undoing…', () => this.api.call('similar.undo', { undoId }), (r) => `Undone: ${plural(r.restored, 'image')} ${r.restored === 1 ? 'is' : 'are'} back in ${r.restored === 1 ? 'its album' : 'their albums'}${r.gone ? `; ${r.gone} could not come back (purged from Trash, or restored or trashed again since)` : ''}${r.membershipsKept ? `; the kept images stay in ${plural(r.membershipsKept, 'album')} where the removed ones did not come back` : ''}.`);
    if (!r) return;
    this.undoId = null;
    void this.latestUndo.run();
    this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
  }
}

/** A group with one image kept or not; at least one image always stays kept. */
function keepToggled(g: Group, fileId: number, on: boolean): Group {
  const kept = new Set(g.kept);
  if (on) kept.add(fileId);
  else if (kept.size > 1) kept.delete(fileId);
  return { ...g, kept };
}

customElements.define('sb-similar-review', SbSimilarReview);

declare global {
  interface HTMLElementTagNameMap {
    'sb-similar-review': SbSimilarReview;
  }
}

/** How alike, in whole percent, rounded down: 0.995 is not "100%" — only the very same picture is. */
export function alikePercent(similarity: number): number {
  return similarity >= 1 ? 100 : Math.min(99, Math.floor(similarity * 100));
}
