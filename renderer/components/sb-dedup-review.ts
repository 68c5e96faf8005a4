import { LitElement, css, html } from 'lit';
import type { DuplicateGroup, Result } from '../../main/core/api/contract.js';
import { formatBytes, printable } from '../../main/core/format.js';
import { ActionController } from '../data/action-controller.js';
import { ApiEventController } from '../data/api-events.js';
import { plural } from '../data/plural.js';
import { consumeSession, sessionOf } from '../data/session-consumer.js';
import { sharedStyles } from './shared-styles.js';
import './sb-state.js';
import './sb-thumb.js';

const PAGE = 50;

/**
 * Settings → Deduplicate files (DESIGN §4): groups of exact copies with thumbnails, names,
 * sizes and albums; the kept copy is marked and can be changed; groups can be deselected; the
 * space the copies take; confirm; the result.
 * @fires changed - duplicates were moved to Trash
 */
export class SbDedupReview extends LitElement {
  static override properties = { groups: { state: true }, total: { state: true }, result: { state: true }, progress: { state: true } };
  declare groups: Array<DuplicateGroup & { selected: boolean }> | null;
  declare total: number;
  declare result: Result<'dedup.apply'> | null;
  declare progress: string | null;
  private readonly session = consumeSession(this);
  private readonly action = new ActionController(this);
  private readonly progressEvents = new ApiEventController(this, () => this.session.value, 'dedupProgress', (p) => (this.progress = `Applying ${p.done} of ${p.total}…`));
  /** The person's choices by content hash: kept across reloads and applies (a group left unticked stays unticked). */
  private readonly choices = new Map<string, { selected: boolean; keep: number }>();

  constructor() {
    super();
    this.groups = null;
    this.total = 0;
    this.result = null;
    this.progress = null;
  }

  private get api() {
    return sessionOf(this.session).api;
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
    void this.updateComplete.then(() => {
      if (this.session.value) void this.load(0);
    });
  }

  private async load(offset: number): Promise<void> {
    const r = await this.action.run('Looking for duplicates…', () => this.api.call('dedup.groups', { offset, limit: PAGE }));
    if (!r) return;
    const more = r.groups.map((g) => {
      const c = this.choices.get(g.hash);
      const keep = c && g.copies.some((x) => x.fileId === c.keep) ? c.keep : g.keep;
      return { ...g, keep, selected: g.leftAlone === null && (c?.selected ?? true) };
    });
    this.groups = offset === 0 ? more : [...(this.groups ?? []), ...more];
    this.total = r.total;
  }

  override render() {
    const groups = this.groups ?? [];
    const chosen = groups.filter((g) => g.selected);
    const copies = chosen.reduce((n, g) => n + g.copies.length - 1, 0);
    const bytes = chosen.reduce((n, g) => n + (g.copies.length - 1) * g.size, 0);
    return html`
      <h2>Deduplicate files</h2>
      <p class="muted">Exact copies of the same photo in different albums or under different names. The kept copy joins every album any copy was in; the others go to Trash (kept 30 days). No album loses a photo.</p>
      ${this.action.error ? html`<sb-state kind="error" .message=${this.action.error} @retry=${() => void this.load(0)}></sb-state>` : ''}
      ${this.result ? this.renderResult(this.result) : ''}
      ${this.groups === null && !this.action.error ? html`<sb-state kind="pending" .message=${'Looking for duplicates…'}></sb-state>` : ''}
      ${this.groups !== null && this.total === 0 && !this.result ? html`<p class="card">No duplicates: every file in the library has different content.</p>` : ''}
      ${groups.length > 0
        ? html`<div class="card row spread">
            <span aria-live="polite">${chosen.length} of ${plural(this.total, 'group')} selected: ${plural(copies, 'extra copy', 'extra copies')}, ${formatBytes(bytes)} of files.</span>
            <button class="primary" ?disabled=${this.action.busy !== null || chosen.length === 0} @click=${() => void this.apply()}>Move ${plural(copies, 'copy', 'copies')} to Trash</button>
          </div>`
        : ''}
      ${this.progress && this.action.busy ? html`<p role="status">${this.progress}</p>` : ''}
      ${groups.map((g, gi) => this.renderGroup(g, gi))}
      ${groups.length < this.total ? html`<button ?disabled=${this.action.busy !== null} @click=${() => void this.load(groups.length)}>Show more groups</button>` : ''}
    `;
  }

  private renderGroup(g: DuplicateGroup & { selected: boolean }, gi: number) {
    const first = printable(g.copies[0]?.name ?? '');
    // Copies that are different items (their RAWs or live videos differ): shown, never applied.
    const apart = g.leftAlone !== null;
    return html`<section class="card group" aria-label="Duplicate group: ${first}">
      <label class="row"><input type="checkbox" .checked=${g.selected} ?disabled=${apart} @change=${(e: Event) => this.update_(gi, { selected: (e.target as HTMLInputElement).checked })} />
        <strong>${plural(g.copies.length, 'copy', 'copies')} of ${first}</strong> <span class="muted">${formatBytes(g.size)} each</span></label>
      ${apart ? html`<p class="small" role="note">Left alone: ${printable(g.leftAlone ?? '')}</p>` : ''}
      <div class="copies" role="radiogroup" aria-label="Copy to keep">
        ${g.copies.map((c) => html`<label class="copy ${c.fileId === g.keep || apart ? 'keep' : ''}">
          <div class="thumb"><sb-thumb .file=${{ fileId: c.fileId, name: c.name, size: c.size, mediaType: c.mediaType, width: c.width, height: c.height, takenAt: c.takenAt }}></sb-thumb></div>
          <div class="row small"><input type="radio" name="keep-${g.id}" .checked=${c.fileId === g.keep} ?disabled=${apart} @change=${() => this.update_(gi, { keep: c.fileId })} />${c.fileId === g.keep || apart ? 'Keep' : 'To Trash'}</div>
          <div class="name">${printable(c.name)}</div>
          <div class="small muted">${formatBytes(c.size)}${c.width && c.height ? ` · ${c.width}×${c.height}` : ''}${c.takenAt ? ` · ${new Date(c.takenAt).toLocaleDateString()}` : ''}</div>
          <div class="small">In ${c.albums.length ? c.albums.join(', ') : 'Uncategorized'}</div>
        </label>`)}
      </div>
    </section>`;
  }

  private update_(gi: number, change: Partial<{ selected: boolean; keep: number }>): void {
    this.groups = (this.groups ?? []).map((g, i) => (i === gi ? { ...g, ...change } : g));
    const g = this.groups[gi];
    if (g) this.choices.set(g.hash, { selected: g.selected, keep: g.keep });
  }

  private async apply(): Promise<void> {
    const selections = (this.groups ?? []).filter((g) => g.selected).map((g) => ({ hash: g.hash, keep: g.keep, fileIds: g.copies.map((c) => c.fileId) }));
    const r = await this.action.run('Applying…', () => this.api.call('dedup.apply', { selections }));
    this.progress = null;
    if (!r) return;
    this.result = r;
    for (const s of selections) this.choices.delete(s.hash);
    this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
    await this.load(0);
  }

  private renderResult(r: Result<'dedup.apply'>) {
    const applied = r.results.filter((x) => x.status === 'applied');
    const skipped = r.results.filter((x) => x.status === 'skipped');
    const trashed = applied.reduce((n, x) => n + (x.status === 'applied' ? x.trashed : 0), 0);
    return html`<div class="card" role="status">
      <p><strong>Done:</strong> ${plural(applied.length, 'group')}, ${plural(trashed, 'copy', 'copies')} moved to Trash (restorable for 30 days).</p>
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
