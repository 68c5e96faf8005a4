import { LitElement, css, html } from 'lit';
import type { CameraCard } from '../../main/core/api/contract.js';
import { printable } from '../../main/core/format.js';
import { connectApi, messageOf, type ShoeboxApi } from '../api/api-client.js';
import { SessionController } from '../data/session-controller.js';
import { sharedStyles } from './shared-styles.js';
import './sb-album-view.js';
import './sb-timeline-view.js';
import './sb-dedup-review.js';
import './sb-similar-review.js';
import './sb-free-up-view.js';
import './sb-preferences.js';
import './sb-remotes-view.js';
import './sb-status-indicator.js';
import './sb-storage-view.js';
import './sb-trash-view.js';
import './sb-upload-panel.js';
import './sb-watch-sidebar.js';

type View = 'photos' | 'albums' | 'upload' | 'dedup' | 'similar' | 'freeup' | 'trash' | 'storage' | 'remotes' | 'prefs';

const VIEWS: Array<[View, string]> = [
  ['photos', 'All photos'],
  ['albums', 'Albums'],
  ['upload', 'Upload'],
  ['dedup', 'Deduplicate files'],
  ['similar', 'Similar images'],
  ['freeup', 'Free up space'],
  ['trash', 'Trash'],
  ['storage', 'Storage'],
  ['remotes', 'Offsite copy'],
  ['prefs', 'Preferences'],
];

/**
 * The window: the views (at the top of the sidebar, so they are reachable at any window size),
 * the Watch folders, the current view, and the sync status indicator.
 * Owns the connection (SessionController provides it to every view as a context); views
 * report changes by a `changed` event, which re-reads the status. A camera card plugged in is
 * offered for backing up and freeing ([Note: Camera cards]).
 */
export class SbApp extends LitElement {
  static override properties = { view: { state: true }, pauseError: { state: true }, cardOffer: { state: true }, openedCard: { state: true } };
  declare view: View;
  declare pauseError: string | null;
  /** A camera card just plugged in, offered until taken or dismissed. */
  declare cardOffer: CameraCard | null;
  /** The card Free up space was opened for. */
  declare openedCard: CameraCard | null;
  private readonly session: SessionController;
  private offCards?: () => void;

  constructor(api: ShoeboxApi = connectApi()) {
    super();
    this.view = 'photos';
    this.pauseError = null;
    this.cardOffer = null;
    this.openedCard = null;
    this.session = new SessionController(this, api);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.offCards = this.session.value.api.on('cameraCard', (card) => (this.cardOffer = card));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offCards?.();
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; height: 100vh; }
      .layout { display: grid; grid-template-columns: 300px 1fr; flex: 1; min-height: 0; }
      aside { border-right: 1px solid var(--line); background: var(--panel); overflow: auto; display: flex; flex-direction: column; }
      nav { padding: 0.5rem; border-bottom: 1px solid var(--line); }
      nav button { display: block; width: 100%; text-align: left; border: none; background: none; padding: 0.45rem 0.6rem; border-radius: 6px; }
      nav button[aria-current='page'] { background: var(--tile); font-weight: 600; }
      main { overflow: auto; padding: 1.25rem 1.5rem 5rem; }
      .banner { background: var(--bad); color: white; padding: 0.5rem 1rem; }
      .offer { display: flex; gap: 0.75rem; align-items: center; background: var(--panel); border-bottom: 1px solid var(--line); padding: 0.5rem 1rem; }
      /* A narrow window (a phone, a window snapped to a third of the screen): the views in rows
         above the content, which gets the whole width; the watch folders scroll under them. */
      @media (max-width: 720px) {
        .layout { grid-template-columns: 1fr; grid-template-rows: auto 1fr; }
        aside { border-right: none; border-bottom: 1px solid var(--line); max-height: 35vh; }
        nav { display: flex; flex-wrap: wrap; gap: 0.1rem; }
        nav button { display: inline-block; width: auto; padding: 0.35rem 0.55rem; }
        main { padding: 0.75rem 0.75rem 5rem; }
      }
    `,
  ];

  override render() {
    const s = this.session.value;
    return html`
      ${s.connected ? '' : s.newRun
        ? html`<div class="banner" role="alert">Shoebox was started again, and this page belongs to its previous run. Open the new link that <code>shoebox serve</code> printed in its terminal.</div>`
        : html`<div class="banner" role="alert">Lost the connection to Shoebox; reconnecting…</div>`}
      ${this.cardOffer ? this.renderOffer(this.cardOffer) : ''}
      <div class="layout" @changed=${() => void this.session.refresh()}>
        <aside aria-label="Views and watch folders">
          <nav aria-label="Views">
            ${VIEWS.map(([v, label]) => html`<button aria-current=${this.view === v ? 'page' : 'false'} @click=${() => this.showView(v)}>${label}</button>`)}
          </nav>
          <sb-watch-sidebar .watches=${s.status ? (s.status.sync?.watches ?? []) : null} .connected=${s.connected} .pausedAll=${s.status?.sync?.pausedReason ?? null}></sb-watch-sidebar>
        </aside>
        <main id="main">
          ${this.session.error ? html`<p class="error" role="alert">${this.session.error}</p>` : ''}
          ${this.renderView()}
        </main>
      </div>
      <sb-status-indicator .status=${s.status} .connected=${s.connected} .error=${this.pauseError} @set-paused=${(e: CustomEvent<boolean>) => void this.setPaused(e.detail)} @dismiss-errors=${() => void this.dismissErrors()}></sb-status-indicator>
    `;
  }

  private renderOffer(card: CameraCard) {
    const take = () => {
      this.openedCard = card;
      this.cardOffer = null;
      this.showView('freeup');
    };
    return html`<div class="offer" role="status" aria-label="Camera card">
      <span>The camera card <strong>${printable(card.name)}</strong> was plugged in. Back it up into the library and free its space?</span>
      <button class="primary" @click=${take}>Back up and free…</button>
      <button @click=${() => (this.cardOffer = null)}>Not now</button>
    </div>`;
  }

  /** Switches view; the sync details panel, drawn over the content, closes. */
  private showView(view: View): void {
    this.view = view;
    this.renderRoot.querySelector('sb-status-indicator')?.close();
  }

  private async dismissErrors(): Promise<void> {
    try {
      await this.session.value.api.call('status.dismissErrors', {});
      this.pauseError = null;
      await this.session.refresh();
    } catch (e) {
      this.pauseError = messageOf(e);
    }
  }

  private async setPaused(paused: boolean): Promise<void> {
    try {
      await this.session.value.api.call('sync.setPaused', { paused });
      this.pauseError = null;
      await this.session.refresh();
    } catch (e) {
      this.pauseError = messageOf(e);
    }
  }

  private renderView() {
    switch (this.view) {
      case 'photos':
        return html`<sb-timeline-view></sb-timeline-view>`;
      case 'albums':
        return html`<sb-album-view></sb-album-view>`;
      case 'upload':
        return html`<sb-upload-panel></sb-upload-panel>`;
      case 'dedup':
        return html`<sb-dedup-review></sb-dedup-review>`;
      case 'similar':
        return html`<sb-similar-review></sb-similar-review>`;
      case 'freeup':
        return html`<sb-free-up-view .card=${this.openedCard}></sb-free-up-view>`;
      case 'trash':
        return html`<sb-trash-view></sb-trash-view>`;
      case 'storage':
        return html`<sb-storage-view></sb-storage-view>`;
      case 'remotes':
        return html`<sb-remotes-view></sb-remotes-view>`;
      case 'prefs':
        return html`<sb-preferences></sb-preferences>`;
    }
  }
}

customElements.define('sb-app', SbApp);

declare global {
  interface HTMLElementTagNameMap {
    'sb-app': SbApp;
  }
}
