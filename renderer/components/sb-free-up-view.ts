import { TaskStatus } from '@lit/task';
import { LitElement, css, html } from 'lit';
import type { CameraCard, FreeUpResult, FreeUpReview, Params, UploadSummary } from '../../main/core/api/contract.js';
import { formatBytes, printable } from '../../main/core/format.js';
import { whereLooked } from '../../main/core/free-up/free-up-words.js';
import { parseOlderThan } from '../../main/core/free-up/older-than.js';
import { ActionController } from '../data/action-controller.js';
import { loadTask, renderLoad } from '../data/load-task.js';
import { plural } from '../data/plural.js';
import { consumeSession, sessionOf } from '../data/session-consumer.js';
import { sharedStyles } from './shared-styles.js';
import { uploadSummaryText } from './sb-upload-panel.js';
import './sb-state.js';

/** Where a free-up looks: every watched folder, a folder typed, or a camera card (backed up first). */
type Scope = 'watched' | 'folder' | 'card';

/**
 * Settings → Free up space (DESIGN §11, issue #20): choose where (every watched folder, or a
 * folder or camera card), a date and whether the offsite copy must be verified too; Review
 * verifies every file now and shows what can be freed (files, bytes, by folder) and what is kept
 * with the reason; confirm moves them to the system Trash (or deletes them, only when chosen).
 * The engine keeps the reviewed list: the apply sends only the review's id.
 * A camera card mounted now (or the one the window was opened for, `card`) can be chosen: it is
 * backed up first into an album named after it (and pushed offsite when that is required), then
 * reviewed — `shoebox import CARD --free-up` in the window ([Note: Camera cards]).
 * @fires changed - sources were freed (or a card backed up)
 */
export class SbFreeUpView extends LitElement {
  static override properties = {
    scope: { state: true }, folder: { state: true }, olderThan: { state: true }, album: { state: true }, offsite: { state: true }, deleting: { state: true },
    review: { state: true }, result: { state: true }, progress: { state: true }, card: { attribute: false }, chosenCard: { state: true }, backup: { state: true },
  };
  declare scope: Scope;
  declare folder: string;
  declare olderThan: string;
  /** Only files in this album (empty: any). */
  declare album: string;
  /** Null until the person chooses: then the default (on where a remote exists) applies. */
  declare offsite: boolean | null;
  declare deleting: boolean;
  declare review: FreeUpReview | null;
  declare result: FreeUpResult | null;
  declare progress: string | null;
  /** A card the window was opened for (plugged in just now); chosen until the person picks otherwise. */
  declare card: CameraCard | null;
  declare chosenCard: CameraCard | null;
  /** What backing up the chosen card did, shown with its review. */
  declare backup: { card: CameraCard; summary: UploadSummary } | null;
  private off?: () => void;
  private readonly session = consumeSession(this);
  private readonly options = loadTask(this, () => this.session.value, () => [] as const, (api) => api.call('freeUp.options', {}));
  private readonly albums = loadTask(this, () => this.session.value, () => [] as const, (api) => api.call('albums.list', {}));
  private readonly cards = loadTask(this, () => this.session.value, () => [] as const, (api) => api.call('freeUp.cards', {}));
  private readonly action = new ActionController(this);

  constructor() {
    super();
    this.scope = 'watched';
    this.folder = '';
    this.olderThan = '';
    this.album = '';
    this.offsite = null;
    this.deleting = false;
    this.review = null;
    this.result = null;
    this.progress = null;
    this.card = null;
    this.chosenCard = null;
    this.backup = null;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('card') && this.card) {
      this.scope = 'card';
      this.chosenCard = this.card;
      this.review = null;
      this.result = null;
    }
  }

  static override styles = [
    sharedStyles,
    css`
      fieldset { border: none; padding: 0; margin: 0 0 0.6rem; }
      legend { font-weight: 600; margin-bottom: 0.3rem; }
      .option { display: flex; gap: 0.5rem; align-items: center; margin: 0.25rem 0; }
      .path { font-family: ui-monospace, monospace; font-size: 0.85rem; word-break: break-all; }
      .big { font-size: 1.15rem; }
      .danger { background: var(--bad); border-color: var(--bad); color: white; }
      .reason { margin-top: 0.75rem; }
      .reason ul { margin: 0.25rem 0 0; padding-left: 1.2rem; }
      .reason li { margin: 0.15rem 0; }
      input[type='text'] { min-width: 22rem; }
      .intro { margin: 0 0 1rem; max-width: 60rem; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.updateComplete.then(() => {
      if (!this.session.value) return;
      this.off = this.session.value.api.on('freeUpProgress', (p) => {
        this.progress = p.phase === 'scanning' ? `Looking at files: ${plural(p.done, 'file')} so far…` : `${p.phase === 'verifying' ? 'Verifying' : 'Freeing'} ${p.done.toLocaleString('en')} of ${plural(p.total, 'file')} (${formatBytes(p.bytes)} read)…`;
      });
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.off?.();
  }

  override render() {
    return html`
      <h2>Free up space</h2>
      <p class="muted intro">Delete the originals on this computer (or on a camera card) that are safely in the library. Each one is checked now: its library copy is read back and compared with it byte for byte, and it must be unchanged since it was backed up. The library keeps every photo in every album.</p>
      ${renderLoad(this.options, this.session.value, { what: 'options', complete: (o) => this.renderForm(o) })}
      ${this.action.error ? html`<sb-state kind="error" .message=${this.action.error} @retry=${() => void (this.review ? this.apply() : this.runReview())}></sb-state>` : ''}
      ${this.action.busy ? html`<sb-state kind="pending" .message=${this.progress ?? this.action.busy}></sb-state>` : ''}
      ${this.result ? this.renderResult(this.result) : ''}
      ${this.review && !this.action.busy ? this.renderReview(this.review) : ''}
    `;
  }

  private renderForm(o: { trashLabel: string | null; remotes: number; freed: { files: number; bytes: number } }) {
    const watches = this.session.value?.status?.sync?.watches ?? [];
    const offsite = this.offsite ?? o.remotes > 0;
    const busy = this.action.busy !== null;
    return html`<form class="card" @submit=${(e: Event) => { e.preventDefault(); void this.runReview(); }}>
      <fieldset>
        <legend>Where</legend>
        <label class="option"><input type="radio" name="scope" .checked=${this.scope === 'watched'} @change=${() => (this.scope = 'watched')} /> Every watched folder${watches.length ? html` <span class="muted">(${watches.map((w) => w.path).join(', ')})</span>` : ''}</label>
        ${this.renderCards()}
        <label class="option"><input type="radio" name="scope" .checked=${this.scope === 'folder'} @change=${() => (this.scope = 'folder')} /> This folder or camera card:
          <input type="text" aria-label="Folder or card to free up" placeholder="/media/you/EOS_DIGITAL" .value=${this.folder} @input=${(e: Event) => { this.folder = (e.target as HTMLInputElement).value; this.scope = 'folder'; }} /></label>
      </fieldset>
      <label class="option">Only files dated before <input type="date" aria-label="Only files dated before" .value=${this.olderThan} @change=${(e: Event) => (this.olderThan = (e.target as HTMLInputElement).value)} /> <span class="muted">(optional)</span></label>
      <label class="option">Only files in the album <input type="text" list="free-up-albums" aria-label="Only files in the album" placeholder="any album" .value=${this.album} @input=${(e: Event) => (this.album = (e.target as HTMLInputElement).value)} /> <span class="muted">(optional)</span></label>
      <datalist id="free-up-albums">${(this.albums.value ?? []).map((a) => html`<option value=${a.name}></option>`)}</datalist>
      <label class="option"><input type="checkbox" .checked=${offsite} ?disabled=${o.remotes === 0} @change=${(e: Event) => (this.offsite = (e.target as HTMLInputElement).checked)} /> Only files whose offsite copy is verified too
        <span class="muted">${o.remotes === 0 ? '(no offsite copy is set up)' : '(each is downloaded, decrypted and compared)'}</span></label>
      <label class="option"><input type="checkbox" .checked=${this.deleting} @change=${(e: Event) => (this.deleting = (e.target as HTMLInputElement).checked)} /> Delete them instead of moving them to ${o.trashLabel ?? 'the Trash'}</label>
      ${this.deleting ? html`<p class="warn">Deleted files cannot be restored from a Trash: only the library will have them.</p>` : ''}
      ${o.trashLabel === null && !this.deleting ? html`<p class="warn">Shoebox cannot reach the system Trash here; only deleting is possible.</p>` : ''}
      <div class="row gap-above"><button type="submit" class="primary" ?disabled=${busy}>${this.scope === 'card' && this.chosenCard ? `Back up ${this.chosenCard.name} and review` : 'Review'}</button>
        ${o.freed.files > 0 ? html`<span class="muted">Freed so far: ${plural(o.freed.files, 'file')}, ${formatBytes(o.freed.bytes)}.</span>` : ''}</div>
    </form>`;
  }

  /** The camera cards mounted now, and the one the window was opened for: each a choice. */
  private renderCards() {
    const cards = [...(this.cards.value ?? [])];
    if (this.card && !cards.some((c) => c.path === this.card!.path)) cards.unshift(this.card);
    const chosen = (c: CameraCard) => this.scope === 'card' && this.chosenCard?.path === c.path;
    return html`${cards.map(
      (c) => html`<label class="option"><input type="radio" name="scope" .checked=${chosen(c)} @change=${() => { this.scope = 'card'; this.chosenCard = c; }} />
        Camera card <strong>${printable(c.name)}</strong> <span class="muted path">${printable(c.path)}</span>
        <span class="muted">— backed up first into the album “${printable(c.name)}”</span></label>`,
    )}${this.cards.status === TaskStatus.ERROR ? html`<p class="warn">Camera cards could not be looked for: ${(this.cards.error as Error).message}</p>` : ''}`;
  }

  /** The review asked for, or what is wrong with the form (said before anything is sent). */
  private request(): Params<'freeUp.review'> | { problem: string } {
    const offsite = this.offsite;
    if (this.scope === 'folder' && this.folder.trim() === '') return { problem: 'Type the folder or camera card to free up, as its full path (like /media/you/EOS_DIGITAL), or choose every watched folder.' };
    // The date field gives YYYY-MM-DD; read with the command line's rules (a real calendar day, never rolled over).
    const date = this.olderThan ? parseOlderThan(this.olderThan) : null;
    if (date && 'error' in date) return { problem: `The date ${date.error}` };
    return {
      ...(this.scope === 'folder' ? { paths: [this.folder.trim()] } : {}),
      ...(this.scope === 'card' && this.chosenCard ? { paths: [this.chosenCard.path] } : {}),
      ...(date ? { olderThan: date.ms } : {}),
      ...(this.album.trim() ? { albums: [this.album.trim()] } : {}),
      ...(offsite !== null ? { requireOffsite: offsite } : {}),
      ...(this.deleting ? { delete: true } : {}),
    };
  }

  private async runReview(): Promise<void> {
    this.review = null;
    this.result = null;
    this.progress = null;
    this.backup = null;
    const request = this.request();
    if ('problem' in request) {
      this.action.fail(request.problem);
      return;
    }
    const card = this.scope === 'card' ? this.chosenCard : null;
    const r = await this.action.run(card ? `Backing up ${card.name}…` : 'Verifying…', async () => {
      const { api } = sessionOf(this.session);
      if (card) await this.backUpCard(card);
      this.progress = null;
      return api.call('freeUp.review', request);
    });
    this.progress = null;
    if (r) this.review = r;
  }

  /**
   * The card goes into the library first, into an album named after it; when offsite copies are
   * required, they are pushed too (a new photo is not offsite yet, and would only be kept).
   */
  private async backUpCard(card: CameraCard): Promise<void> {
    const { api } = sessionOf(this.session);
    const summary = await api.call('upload.paths', { paths: [card.path], mode: 'single', album: card.name });
    this.backup = { card, summary };
    this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
    if (!(this.offsite ?? (this.options.value?.remotes ?? 0) > 0)) return;
    for (const remote of await api.call('remotes.list', {})) {
      this.progress = `Pushing the new photos to ${remote.url} (offsite copies are verified before anything is freed)…`;
      await api.call('remotes.push', { url: remote.url });
    }
  }

  private async apply(): Promise<void> {
    const review = this.review;
    if (!review) return;
    this.progress = null;
    const r = await this.action.run('Freeing…', () => sessionOf(this.session).api.call('freeUp.apply', { reviewId: review.id }));
    this.progress = null;
    if (!r) return;
    this.result = r;
    this.review = null;
    void this.options.run();
    this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
  }

  private renderReview(r: FreeUpReview) {
    const kept = r.kept.reduce((n, k) => n + k.files, 0);
    const where = r.method === 'trash' ? `moved to ${this.options.value?.trashLabel ?? 'the Trash'}` : 'deleted';
    const n = r.qualifying.files;
    return html`<section class="card" aria-label="Review">
        ${this.backup ? html`<p>Backed up ${printable(this.backup.card.name)} into the album “${printable(this.backup.card.name)}”: ${uploadSummaryText(this.backup.summary)}</p>` : ''}
        <p class="big" role="status"><strong>${plural(n, 'file')} can be freed: ${formatBytes(r.qualifying.bytes)}.</strong></p>
        <p class="muted">${plural(n + kept, 'file')} checked ${whereLooked(r)}; ${formatBytes(r.bytesRead)} read to verify them${r.requireOffsite ? ', and their offsite copies' : ''}. They will be ${where}; the library keeps each one in every album.${r.method === 'trash' ? ' The space comes back when the Trash is emptied.' : ''}</p>
        ${r.excluded > 0 ? html`<p class="muted">${plural(r.excluded, 'more file')} ${r.excluded === 1 ? 'is' : 'are'} outside the date or album filter.</p>` : ''}
        ${n > 0
          ? html`<div class="row gap-above"><button class=${r.method === 'trash' ? 'primary' : 'danger'} @click=${() => void this.apply()}>${r.method === 'trash' ? `Move ${plural(n, 'file')} to ${this.options.value?.trashLabel ?? 'the Trash'}` : `Delete ${plural(n, 'file')}`}</button>
              <button @click=${() => (this.review = null)}>Cancel</button></div>`
          : ''}
      </section>
      ${r.folders.length > 0
        ? html`<h3>What would be freed</h3>
            <table><thead><tr><th scope="col">Folder</th><th scope="col">Files</th><th scope="col">Size</th></tr></thead>
              <tbody>${r.folders.map((f) => html`<tr><td class="path">${printable(f.path)}</td><td>${f.files.toLocaleString('en')}</td><td>${formatBytes(f.bytes)}</td></tr>`)}</tbody></table>`
        : ''}
      ${kept > 0 ? html`<h3>Kept: ${plural(kept, 'file')} ${kept === 1 ? 'stays' : 'stay'} where ${kept === 1 ? 'it is' : 'they are'}</h3>` : ''}
      ${this.renderKept(r.kept, 'Kept')}
      ${r.unreadable.map((u) => html`<p class="warn">${printable(u.path)} could not be read (${u.reason}); nothing there is freed.</p>`)}`;
  }

  private renderResult(r: FreeUpResult) {
    const skipped = r.skipped.reduce((n, s) => n + s.files, 0);
    return html`<div class="card" role="status">
      ${r.freed === 0
        ? html`<p><strong>Freed nothing</strong>: every file is where it was.</p>`
        : html`<p><strong>Freed ${plural(r.freed, 'file')}, ${formatBytes(r.bytesFreed)}</strong>: ${r.method === 'trash' ? `moved to ${this.options.value?.trashLabel ?? 'the Trash'}` : 'deleted'}. The library keeps each one in every album.</p>`}
      ${r.method === 'trash' && r.freed > 0 ? html`<p class="muted">Empty the Trash to get the space back. A file restored from the Trash is not backed up again: the library already has it.</p>` : ''}
      ${skipped > 0 ? html`<p class="warn">${plural(skipped, 'file')} ${skipped === 1 ? 'was' : 'were'} not freed after all: each was looked at once more right before its move, and this is what was found.</p>` : ''}
    </div>
    ${this.renderKept(r.skipped, 'Not freed')}`;
  }

  /** Files not freed, by reason, each named (the first 50 of each reason). */
  private renderKept(groups: FreeUpReview['kept'], label: string) {
    return groups.map(
      (k) => html`<section class="reason card" aria-label=${`${label}: ${k.text}`}>
        <strong>${k.text[0]!.toUpperCase()}${k.text.slice(1)}</strong> <span class="muted">${plural(k.files, 'file')}, ${formatBytes(k.bytes)}</span>
        <ul>${k.examples.map((e) => html`<li><span class="path">${printable(e.path)}</span>${e.detail ? html` <span class="muted">— ${e.detail}</span>` : ''}</li>`)}</ul>
        ${k.files > k.examples.length ? html`<p class="muted">… and ${plural(k.files - k.examples.length, 'more file')}.</p>` : ''}
      </section>`,
    );
  }
}

customElements.define('sb-free-up-view', SbFreeUpView);

declare global {
  interface HTMLElementTagNameMap {
    'sb-free-up-view': SbFreeUpView;
  }
}
