import { LitElement, html } from 'lit';
import type { Prefs } from '../../main/core/api/contract.js';
import { ActionController } from '../data/action-controller.js';
import { loadTask, renderLoad } from '../data/load-task.js';
import { resetIgnoredSummary } from '../../main/core/format.js';
import { consumeSession, sessionOf } from '../data/session-consumer.js';
import { sharedStyles } from './shared-styles.js';
import { withCode } from '../data/code-spans.js';

/** Preferences (DESIGN §6): launch at startup, start hidden, notifications, the library location, the log file, Reset ignored files. */
export class SbPreferences extends LitElement {
  static override properties = { saved: { state: true } };
  /** The preferences as the last change saved them (shown in place of those loaded). */
  declare saved: Prefs | null;
  private readonly session = consumeSession(this);
  private readonly prefs = loadTask(this, () => this.session.value, () => [] as const, (api) => api.call('prefs.get', {}));
  private readonly action = new ActionController(this);

  constructor() {
    super();
    this.saved = null;
  }

  static override styles = [sharedStyles];

  override render() {
    return html`
      <h2>Preferences</h2>
      ${this.action.error ? html`<p class="error" role="alert">${withCode(this.action.error)}</p>` : ''}
      ${this.action.note ? html`<p role="status">${this.action.note}</p>` : ''}
      ${renderLoad(this.prefs, this.session.value, { what: 'preferences', complete: (p) => this.renderPrefs(this.saved ?? p) })}
    `;
  }

  private renderPrefs(p: Prefs) {
    const browser = this.session.value?.caps?.shell === 'browser';
    return html`<div class="card">
        <p><label><input id="launch" type="checkbox" .checked=${p.launchAtStartup} @change=${(e: Event) => void this.set({ launchAtStartup: (e.target as HTMLInputElement).checked })} /> Launch Shoebox at startup</label></p>
        <p class="muted">${browser ? 'Here, that starts the Shoebox server for this library when you log in, and opens this window in your browser.' : 'Shoebox starts when you log in and keeps your folders backed up.'}</p>
        ${browser
          ? '' // no tray here: the server has no window to hide
          : html`<p><label><input id="hidden" type="checkbox" .checked=${p.startHidden} ?disabled=${!p.launchAtStartup} @change=${(e: Event) => void this.set({ startHidden: (e.target as HTMLInputElement).checked })} /> Start hidden in the tray when launched at login</label></p>
              <p><label><input id="notifications" type="checkbox" .checked=${p.notifications} @change=${(e: Event) => void this.set({ notifications: (e.target as HTMLInputElement).checked })} /> Show notifications when something needs you</label></p>
              <p class="muted">A folder that can't be reached, a full disk, an offsite copy that keeps failing, a large first backup finished. At most a few every ten minutes.</p>`}
      </div>
      <div class="card">
        <h3>Library location</h3>
        <p><code>${p.libraryDir}</code></p>
        <p class="muted">To use another location, quit Shoebox, move this whole folder (it holds the catalog and every backed-up file) and start Shoebox with the new location. Nothing inside it refers to its old place.</p>
      </div>
      ${p.logFile
        ? html`<div class="card">
            <h3>Log</h3>
            <p><code id="log-file">${p.logFile}</code></p>
            <p class="muted">What Shoebox did and every problem it met, kept in a few files of 1 MiB. Attach it when you report a problem.</p>
            <button id="open-log" @click=${() => void this.openLog()} ?disabled=${this.action.busy !== null}>Open log file</button>
          </div>`
        : ''}
      <div class="card">
        <h3>Backup</h3>
        <p class="muted">Files you delete from the library are not backed up again from your folders. Resetting makes Shoebox back them up again on the next sync.</p>
        <button @click=${() => void this.resetIgnored()} ?disabled=${this.action.busy !== null}>Reset ignored files</button>
      </div>`;
  }

  private async openLog(): Promise<void> {
    await this.action.run('Opening…', () => sessionOf(this.session).api.call('shell.openLog', {}), () => null);
  }

  private async set(changes: { launchAtStartup?: boolean; startHidden?: boolean; notifications?: boolean }): Promise<void> {
    const p = await this.action.run('Saving…', () => sessionOf(this.session).api.call('prefs.set', changes), () => 'Saved.');
    if (p) this.saved = p;
  }

  private async resetIgnored(): Promise<void> {
    await this.action.run('Resetting…', () => sessionOf(this.session).api.call('ignored.reset', {}), (r) => resetIgnoredSummary(r));
  }
}

customElements.define('sb-preferences', SbPreferences);

declare global {
  interface HTMLElementTagNameMap {
    'sb-preferences': SbPreferences;
  }
}
