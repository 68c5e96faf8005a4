import { LitElement, css, html } from 'lit';
import type { Result, Status } from '../../main/core/api/contract.js';
import { connectApi, messageOf, type ShoeboxApi } from '../api/api-client.js';
import { sharedStyles } from './shared-styles.js';
import './sb-album-view.js';
import './sb-dedup-review.js';
import './sb-similar-review.js';
import './sb-preferences.js';
import './sb-remotes-view.js';
import './sb-status-indicator.js';
import './sb-storage-view.js';
import './sb-trash-view.js';
import './sb-upload-panel.js';
import './sb-watch-sidebar.js';

type View = 'albums' | 'upload' | 'dedup' | 'similar' | 'trash' | 'storage' | 'remotes' | 'prefs';

const VIEWS: Array<[View, string]> = [
  ['albums', 'Albums'],
  ['upload', 'Upload'],
  ['dedup', 'Deduplicate files'],
  ['similar', 'Similar images'],
  ['trash', 'Trash'],
  ['storage', 'Storage'],
  ['remotes', 'Offsite copy'],
  ['prefs', 'Preferences'],
];

/**
 * The window: the Watch folders sidebar, the current view, and the sync status indicator.
 * Owns the API connection and the live status; views get the API and report back by events.
 */
export class SbApp extends LitElement {
  static override properties = { view: { state: true }, status: { state: true }, caps: { state: true }, error: { state: true }, connected: { state: true } };
  declare view: View;
  declare status: Status | null;
  declare caps: Result<'shell.capabilities'> | null;
  declare error: string | null;
  declare connected: boolean;
  readonly api: ShoeboxApi = connectApi();
  private offs: Array<() => void> = [];

  constructor() {
    super();
    this.view = 'albums';
    this.status = null;
    this.caps = null;
    this.error = null;
    this.connected = true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.offs.push(this.api.on('status', (s) => (this.status = s)));
    this.offs.push(this.api.onConnection((connected) => {
      this.connected = connected;
      if (connected) void this.refresh();
    }));
    void this.refresh();
    this.api.call('shell.capabilities', {}).then((c) => (this.caps = c), (e: unknown) => (this.error = messageOf(e)));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.offs) off();
  }

  /** Re-reads the status (after an action, or on reconnect). */
  async refresh(): Promise<void> {
    try {
      this.status = await this.api.call('status.get', {});
      this.error = null;
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; height: 100vh; }
      .layout { display: grid; grid-template-columns: 300px 1fr; height: 100%; }
      aside { border-right: 1px solid var(--line); background: var(--panel); overflow: auto; display: flex; flex-direction: column; }
      nav { padding: 0.5rem; border-top: 1px solid var(--line); }
      nav button { display: block; width: 100%; text-align: left; border: none; background: none; padding: 0.45rem 0.6rem; border-radius: 6px; }
      nav button[aria-current='page'] { background: var(--tile); font-weight: 600; }
      main { overflow: auto; padding: 1.25rem 1.5rem 5rem; }
      .banner { background: var(--bad); color: white; padding: 0.5rem 1rem; }
    `,
  ];

  override render() {
    return html`
      ${this.connected ? '' : html`<div class="banner" role="alert">Lost the connection to Shoebox; reconnecting…</div>`}
      <div class="layout">
        <aside aria-label="Watch folders and settings">
          <sb-watch-sidebar .api=${this.api} .watches=${this.status?.sync?.watches ?? []} .caps=${this.caps} @changed=${() => void this.refresh()}></sb-watch-sidebar>
          <nav aria-label="Views">
            ${VIEWS.map(([v, label]) => html`<button aria-current=${this.view === v ? 'page' : 'false'} @click=${() => (this.view = v)}>${label}</button>`)}
          </nav>
        </aside>
        <main id="main">
          ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
          ${this.renderView()}
        </main>
      </div>
      <sb-status-indicator .api=${this.api} .status=${this.status} @changed=${() => void this.refresh()}></sb-status-indicator>
    `;
  }

  /** Changes whenever the library does (a file added, moved, removed, trashed…): views reload then. */
  private revision(): string {
    const s = this.status;
    return s ? `${s.files}|${s.trashed}|${s.albums}|${s.recentActivity[0]?.at ?? 0}|${s.recentActivity.length}` : '';
  }

  private renderView() {
    switch (this.view) {
      case 'albums':
        return html`<sb-album-view .api=${this.api} .revision=${this.revision()}></sb-album-view>`;
      case 'upload':
        return html`<sb-upload-panel .api=${this.api} .caps=${this.caps} @changed=${() => void this.refresh()}></sb-upload-panel>`;
      case 'dedup':
        return html`<sb-dedup-review .api=${this.api} @changed=${() => void this.refresh()}></sb-dedup-review>`;
      case 'similar':
        return html`<sb-similar-review .api=${this.api} @changed=${() => void this.refresh()}></sb-similar-review>`;
      case 'trash':
        return html`<sb-trash-view .api=${this.api} @changed=${() => void this.refresh()}></sb-trash-view>`;
      case 'storage':
        return html`<sb-storage-view .api=${this.api} .revision=${this.revision()}></sb-storage-view>`;
      case 'remotes':
        return html`<sb-remotes-view .api=${this.api} .caps=${this.caps} .revision=${this.revision()}></sb-remotes-view>`;
      case 'prefs':
        return html`<sb-preferences .api=${this.api} .caps=${this.caps}></sb-preferences>`;
    }
  }
}

customElements.define('sb-app', SbApp);

declare global {
  interface HTMLElementTagNameMap {
    'sb-app': SbApp;
  }
}
