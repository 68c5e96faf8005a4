import { LitElement, css, html } from 'lit';
import type { Status } from '../../main/core/api/contract.js';
import { printable } from '../../main/core/format.js';
import { lostBytesLine, statusLine, statusTone } from '../../main/core/api/status-line.js';
import { sharedStyles } from './shared-styles.js';

/** A per-file error the details panel lists (the engine sends each file's latest, [Note: Current errors]). */
type BackupProblem = Status['recentErrors'][number];

/**
 * The sync status indicator, bottom-right (DESIGN §6): the state in one line; click to expand
 * progress, per-file errors with their reasons, and recent activity; Pause/Resume. The panel is
 * a disclosure over the content: Esc (focus back on the pill), a click outside, focus moving
 * elsewhere, or close() (sb-app, on switching view) closes it.
 * Presentational: the status comes from sb-app.
 * @fires set-paused - detail: true to pause syncing, false to resume
 * @fires dismiss-errors - the person dismissed the listed problems
 */
export class SbStatusIndicator extends LitElement {
  static override properties = { status: { attribute: false }, connected: { type: Boolean }, error: { attribute: false }, open: { state: true } };
  declare status: Status | null;
  declare connected: boolean;
  declare error: string | null;
  declare open: boolean;

  constructor() {
    super();
    this.status = null;
    this.connected = true;
    this.open = false;
    this.error = null;
  }

  static override styles = [
    sharedStyles,
    css`
      /* the panel follows the pill in the DOM (Tab goes from the pill into it) and shows above it */
      :host { position: fixed; right: 1rem; bottom: 1rem; z-index: 10; max-width: min(34rem, calc(100vw - 2rem)); display: flex; flex-direction: column-reverse; align-items: flex-end; }
      .pill { display: flex; gap: 0.5rem; align-items: center; background: var(--panel); border: 1px solid var(--line); border-radius: 999px; padding: 0.45rem 0.9rem; box-shadow: 0 2px 10px rgb(0 0 0 / 0.15); margin-left: auto; }
      .dot { width: 0.7rem; height: 0.7rem; border-radius: 50%; background: var(--ok); }
      .dot.syncing { background: var(--accent); }
      .dot.paused, .dot.unknown { background: var(--muted); }
      .dot.error { background: var(--bad); }
      .panel { align-self: stretch; background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 1rem; margin-bottom: 0.5rem; max-height: 60vh; overflow: auto; box-shadow: 0 4px 20px rgb(0 0 0 / 0.2); }
      ul { padding-left: 1.1rem; margin: 0.3rem 0; }
      .where { overflow-wrap: anywhere; }
      li { margin: 0.2rem 0; font-size: 0.9em; }
      progress { width: 100%; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKey);
    this.addEventListener('focusout', this.onFocusOut);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKey);
    this.removeEventListener('focusout', this.onFocusOut);
    document.removeEventListener('pointerdown', this.onOutside, true);
  }

  override updated(changed: Map<string, unknown>): void {
    if (!changed.has('open')) return;
    // listening only while open; at once, as sb-menu does: the opening click is already past
    if (this.open) document.addEventListener('pointerdown', this.onOutside, true);
    else document.removeEventListener('pointerdown', this.onOutside, true);
  }

  /** Closes the details panel (sb-app calls it when the view changes). */
  close(): void {
    this.open = false;
  }

  private readonly onOutside = (e: Event): void => {
    if (!e.composedPath().includes(this)) this.close();
  };

  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || !this.open) return;
    e.preventDefault();
    e.stopPropagation();
    this.close();
    this.renderRoot.querySelector<HTMLElement>('.pill')?.focus();
  };

  /** Focus moving to something else in the window (Tab, or a view's own focus) closes the panel; focus leaving the window does not. */
  private readonly onFocusOut = (e: FocusEvent): void => {
    const to = e.relatedTarget as Node | null;
    if (this.open && to && to !== this && !this.contains(to) && !this.renderRoot.contains(to)) this.close();
  };

  /** A problem: the reason, then where (unless the reason names the path already) and when. */
  private renderProblem(p: BackupProblem) {
    const where = p.path && !p.message.includes(p.path) ? `${printable(p.path)} · ` : '';
    return html`<li><span class="error">${printable(p.message)}</span><br /><span class="muted where">${where}${timeLabel(p.at)}</span></li>`;
  }

  override render() {
    const s = this.connected ? this.status : null;
    const sync = s?.sync ?? null;
    const state = sync?.state ?? 'idle';
    const lost = lostBytesLine(s);
    const problems = s?.recentErrors ?? [];
    const dotClass = statusTone(this.status, this.connected);
    const line = statusLine(this.status, this.connected);
    return html`
      <button class="pill" aria-expanded=${this.open ? 'true' : 'false'} aria-controls="status-panel" @click=${() => (this.open = !this.open)}>
        <span class="dot ${dotClass}" aria-hidden="true"></span>${line}
      </button>
      ${this.open
        ? html`<section class="panel" id="status-panel" aria-label="Sync details" tabindex="-1">
            ${!this.connected ? html`<p class="error">Shoebox cannot be reached; what was shown before may be out of date.</p>` : ''}
            ${sync && sync.total > 0 ? html`<p>${sync.done} done, ${sync.queued} waiting${sync.current ? html` — <span class="muted">${sync.current}</span>` : ''}</p><progress max=${sync.total} value=${sync.done}></progress>` : ''}
            <div class="row">
              ${sync
                ? html`<button @click=${() => this.dispatchEvent(new CustomEvent('set-paused', { detail: !(state === 'paused' && sync.pausedReason === 'user'), bubbles: true, composed: true }))}>${state === 'paused' && sync.pausedReason === 'user' ? 'Resume syncing' : 'Pause syncing'}</button>`
                : this.connected && s ? html`<span class="muted">Watched folders are not being synced right now: start the Shoebox app to keep them backed up.</span>` : ''}
            </div>
            ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
            ${sync?.fault ? html`<p class="error" role="alert">${sync.fault}</p>` : ''}
            ${lost
              ? html`<p class="error" role="alert" id="lost-bytes">${lost}. Back up the originals again (drop them here or let the watched folder sync) to store the bytes again.</p>`
              : ''}
            <h3>Could not be backed up</h3>
            ${problems.length === 0 ? html`<p class="muted">Nothing.</p>` : html`<ul aria-label="Could not be backed up">${problems.map((p) => this.renderProblem(p))}</ul>`}
            ${s && s.errors > s.recentErrors.length ? html`<p class="muted">Only the newest problems are listed.</p>` : ''}
            ${problems.length > 0
              ? html`<div class="row">
                  <button @click=${() => this.dispatchEvent(new CustomEvent('dismiss-errors', { bubbles: true, composed: true }))}>Dismiss these</button>
                  <span class="muted">A file still in trouble is listed again at its next try.</span>
                </div>`
              : ''}
            <h3>Recent activity</h3>
            ${(s?.recentActivity.length ?? 0) === 0 ? html`<p class="muted">Nothing yet.</p>` : html`<ul>${s!.recentActivity.map((e) => html`<li>${e.message} <span class="muted">${new Date(e.at).toLocaleTimeString()}</span></li>`)}</ul>`}
          </section>`
        : ''}
      <span class="sr-only" role="status" aria-live="polite">${line}</span>
    `;
  }
}

/** A recent moment in local time: the time today, the date and time before. */
function timeLabel(at: number): string {
  const d = new Date(at);
  return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString() : d.toLocaleString();
}

customElements.define('sb-status-indicator', SbStatusIndicator);

declare global {
  interface HTMLElementTagNameMap {
    'sb-status-indicator': SbStatusIndicator;
  }
}
