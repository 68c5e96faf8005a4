import { LitElement, html } from 'lit';
import type { Prefs, Result } from '../../main/core/api/contract.js';
import { messageOf, type ShoeboxApi } from '../api/api-client.js';
import { sharedStyles } from './shared-styles.js';

/** Preferences (DESIGN §6): launch at startup, start hidden, notifications, the library location, the log file, Reset ignored files. */
export class SbPreferences extends LitElement {
  static override properties = { api: { attribute: false }, caps: { attribute: false }, prefs: { state: true }, error: { state: true }, note: { state: true } };
  declare api: ShoeboxApi;
  declare caps: Result<'shell.capabilities'> | null;
  declare prefs: Prefs | null;
  declare error: string | null;
  declare note: string | null;

  constructor() {
    super();
    this.caps = null;
    this.prefs = null;
    this.error = null;
    this.note = null;
  }

  static override styles = [sharedStyles];

  override connectedCallback(): void {
    super.connectedCallback();
    this.api.call('prefs.get', {}).then((p) => (this.prefs = p), (e: unknown) => (this.error = messageOf(e)));
  }

  override render() {
    const p = this.prefs;
    const browser = this.caps?.shell === 'browser';
    return html`
      <h2>Preferences</h2>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.note ? html`<p role="status">${this.note}</p>` : ''}
      ${p
        ? html`<div class="card">
              <p><label><input id="launch" type="checkbox" .checked=${p.launchAtStartup} @change=${(e: Event) => void this.set({ launchAtStartup: (e.target as HTMLInputElement).checked })} /> Launch Shoebox at startup</label></p>
              <p class="muted">${browser ? 'Here, that starts `shoebox serve` when you log in.' : 'Shoebox starts when you log in and keeps your folders backed up.'}</p>
              <p><label><input id="hidden" type="checkbox" .checked=${p.startHidden} ?disabled=${!p.launchAtStartup} @change=${(e: Event) => void this.set({ startHidden: (e.target as HTMLInputElement).checked })} /> Start hidden in the tray when launched at login</label></p>
              ${browser
                ? ''
                : html`<p><label><input id="notifications" type="checkbox" .checked=${p.notifications} @change=${(e: Event) => void this.set({ notifications: (e.target as HTMLInputElement).checked })} /> Show notifications when something needs you</label></p>
                    <p class="muted">A folder that can't be reached, a full disk, an offsite copy that keeps failing, a large first backup finished. At most a few every ten minutes.</p>`}
            </div>
            <div class="card">
              <h3>Library location</h3>
              <p><code>${p.libraryDir}</code></p>
              <p class="muted">To use another location, quit Shoebox, move this whole folder (it holds the catalog and every backed-up file), and start Shoebox with <code>--library NEW_PATH</code> (or <code>SHOEBOX_LIBRARY</code>). Nothing inside it refers to its old place.</p>
            </div>
            ${p.logFile
              ? html`<div class="card">
                  <h3>Log</h3>
                  <p><code id="log-file">${p.logFile}</code></p>
                  <p class="muted">What Shoebox did and every problem it met, kept in a few files of 1 MiB. Attach it when you report a problem.</p>
                  <button id="open-log" @click=${() => void this.openLog()}>Open log file</button>
                </div>`
              : ''}
            <div class="card">
              <h3>Backup</h3>
              <p class="muted">Files you delete from the library are not backed up again from your folders. Resetting makes Shoebox back them up again on the next sync.</p>
              <button @click=${() => void this.resetIgnored()}>Reset ignored files</button>
            </div>`
        : html`<p class="muted">Loading…</p>`}
    `;
  }

  private async openLog(): Promise<void> {
    try {
      await this.api.call('shell.openLog', {});
      this.error = null;
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  private async set(changes: { launchAtStartup?: boolean; startHidden?: boolean; notifications?: boolean }): Promise<void> {
    try {
      this.prefs = await this.api.call('prefs.set', changes);
      this.error = null;
      this.note = 'Saved.';
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  private async resetIgnored(): Promise<void> {
    try {
      const r = await this.api.call('ignored.reset', {});
      this.note = `${r.reset} ignored file${r.reset === 1 ? '' : 's'} will be backed up again on the next sync.`;
      this.error = null;
    } catch (e) {
      this.error = messageOf(e);
    }
  }
}

customElements.define('sb-preferences', SbPreferences);

declare global {
  interface HTMLElementTagNameMap {
    'sb-preferences': SbPreferences;
  }
}
