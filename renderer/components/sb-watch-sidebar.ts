import { LitElement, css, html } from 'lit';
import type { Watch } from '../../main/core/api/contract.js';
import { formatBytes } from '../../main/core/format.js';
import { ActionController } from '../data/action-controller.js';
import { ApiEventController } from '../data/api-events.js';
import { baseName } from '../data/paths.js';
import { plural } from '../data/plural.js';
import { consumeSession, sessionOf } from '../data/session-consumer.js';
import { sharedStyles } from './shared-styles.js';
import './sb-menu.js';
import { withCode } from '../data/code-spans.js';

type Adding =
  | { step: 'path'; path: string }
  | { step: 'confirm'; path: string; hasSubfolders: boolean; network: boolean; mode: 'single' | 'separate' | null; poll: boolean };

const STATE_LABEL: Record<Watch['state'], string> = { stopped: 'not running', scanning: 'scanning…', watching: 'watching', unavailable: 'unavailable', failed: 'failed' };
const PAUSED_ALL: Record<'user' | 'upload' | 'fault', string> = { user: 'paused (all syncing)', upload: 'waiting for an upload', fault: 'held: the library cannot be written' };

/**
 * The Watch folders sidebar (DESIGN §2): watched folders with state and counts; add a folder
 * (a path field with validation; dropping a folder where the platform gives its path), with the
 * Single/Separate albums choice for folders with subfolders and a warning plus a polling
 * option for network drives; a ⋯ menu per folder with Pause/Resume and Stop watching.
 * @fires changed - a watch was added, removed, paused or resumed
 */
export class SbWatchSidebar extends LitElement {
  static override properties = { watches: { attribute: false }, connected: { attribute: false }, pausedAll: { attribute: false }, adding: { state: true }, menuFor: { state: true }, dropActive: { state: true } };
  /** The watched folders; null until the first status arrives. */
  declare watches: Watch[] | null;
  /** False while the engine cannot be reached: the states shown are the last known, and said to be. */
  declare connected: boolean;
  /** Why all syncing is paused (the status pill, or an upload), if it is. */
  declare pausedAll: 'user' | 'upload' | 'fault' | null;
  declare adding: Adding | null;
  declare menuFor: number | null;
  declare dropActive: boolean;
  private readonly session = consumeSession(this);
  private readonly action = new ActionController(this);
  /** A second launch of the app with a folder argument asks to watch it. */
  private readonly addRequests = new ApiEventController(this, () => this.session.value, 'addWatchRequest', ({ path }) => this.startAdd(path));

  constructor() {
    super();
    this.watches = null;
    this.connected = true;
    this.pausedAll = null;
    this.adding = null;
    this.menuFor = null;
    this.dropActive = false;
  }

  private get api() {
    return sessionOf(this.session).api;
  }

  private get caps() {
    return this.session.value?.caps ?? null;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; padding: 0.75rem; flex: 1; }
      .drop { border: 2px dashed transparent; border-radius: 10px; padding: 0.25rem; }
      .drop.active { border-color: var(--accent); background: var(--tile); }
      ul { list-style: none; margin: 0; padding: 0; }
      li { padding: 0.5rem; border-radius: 8px; border: 1px solid var(--line); margin-bottom: 0.5rem; position: relative; background: var(--bg); }
      .path { font-weight: 600; word-break: break-all; }
      .meta { font-size: 0.85em; color: var(--muted); }
      .state-watching { color: var(--ok); }
      .state-unavailable, .state-failed { color: var(--bad); }
      .menu { position: absolute; right: 0.4rem; top: 0.4rem; }
      .menu-items { position: absolute; right: 0; top: 2rem; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; z-index: 2; display: flex; flex-direction: column; min-width: 10rem; }
      .menu-items button { border: none; text-align: left; border-radius: 0; }
      input[type='text'] { width: 100%; box-sizing: border-box; }
      fieldset { border: 1px solid var(--line); border-radius: 8px; margin: 0.5rem 0; }
    `,
  ];

  override render() {
    return html`
      <div class="drop ${this.dropActive ? 'active' : ''}" @dragover=${this.onDragOver} @dragleave=${() => (this.dropActive = false)} @drop=${this.onDrop}>
        <div class="row spread">
          <h2 id="watch-heading">Watch folders</h2>
          <button class="primary" @click=${() => this.startAdd()} ?disabled=${this.adding !== null}>Add folder</button>
        </div>
        ${this.adding ? this.renderAdd(this.adding) : ''}
        ${this.action.error ? html`<p class="error" role="alert">${withCode(this.action.error)}</p>` : ''}
        ${this.watches === null ? html`<p class="muted">${this.connected ? 'Loading folders…' : 'Not connected to Shoebox.'}</p>` : ''}
        ${this.watches?.length === 0 && !this.adding ? html`<p class="muted">No folders yet. Add one (or drop a folder here) and Shoebox keeps it backed up.</p>` : ''}
        <ul aria-labelledby="watch-heading">
          ${(this.watches ?? []).map((w) => this.renderWatch(w))}
        </ul>
      </div>
    `;
  }

  private renderWatch(w: Watch) {
    // What the folder is doing now: its own state, unless all syncing is held, or the engine cannot be reached (then nothing is known).
    const held = w.state === 'watching' || w.state === 'scanning';
    const state = !this.connected ? 'not connected' : w.paused ? 'paused' : held && this.pausedAll ? PAUSED_ALL[this.pausedAll] : STATE_LABEL[w.state];
    const cls = !this.connected || w.paused || (held && this.pausedAll) ? 'held' : w.state;
    return html`<li data-id=${w.id}>
      <div class="path" title=${w.path}>${baseName(w.path)}</div>
      <div class="meta">${w.path}</div>
      <div class="meta"><span class="state-${cls}">${state}</span> · ${plural(w.files, 'file')} · ${formatBytes(w.bytes)}${w.pending ? html` · ${w.pending} waiting` : ''}${w.cutOff ? html` (${w.cutOff} ${w.cutOff === 1 ? 'looks' : 'look'} cut off: waiting up to a minute for the rest, then backed up as ${w.cutOff === 1 ? 'it is' : 'they are'})` : ''} · ${w.mode === 'single' ? 'one album' : 'album per folder'}${w.poll ? ' · polling' : ''}</div>
      ${w.message ? html`<div class="meta error">${w.message}</div>` : ''}
      <div class="menu">
        <button class="menu-button" aria-haspopup="menu" aria-expanded=${this.menuFor === w.id ? 'true' : 'false'} aria-label="More actions for ${w.path}" @click=${() => this.toggleMenu(w.id)}>⋯</button>
        ${this.menuFor === w.id
          ? html`<sb-menu @close=${(e: CustomEvent<{ refocus: boolean }>) => this.closeMenu(e.detail.refocus)}>
              <button role="menuitem" @click=${() => void this.act(w.paused ? 'Resuming…' : 'Pausing…', () => this.api.call('watches.setPaused', { path: w.path, paused: !w.paused }))}>${w.paused ? 'Resume' : 'Pause'}</button>
              <button role="menuitem" @click=${() => void this.act('Stopping…', () => this.api.call('watches.remove', { path: w.path }))}>Stop watching</button>
            </sb-menu>`
          : ''}
      </div>
    </li>`;
  }

  private renderAdd(a: Adding) {
    if (a.step === 'path') {
      return html`<form class="card" @submit=${(e: Event) => { e.preventDefault(); void this.inspect(a.path); }}>
        <label for="folder">Folder to watch (its full path on ${this.caps?.shell === 'browser' ? 'the machine running Shoebox' : 'this computer'})</label>
        <input id="folder" type="text" placeholder="/home/you/Pictures" autocomplete="off" required .value=${a.path} @input=${(e: Event) => (this.adding = { step: 'path', path: (e.target as HTMLInputElement).value })} />
        <div class="row gap-above">
          <button class="primary" type="submit" ?disabled=${this.action.busy !== null}>Next</button>
          ${this.caps?.nativeDialogs ? html`<button type="button" @click=${() => void this.browse()}>Browse…</button>` : ''}
          <button type="button" @click=${() => this.cancel()}>Cancel</button>
        </div>
      </form>`;
    }
    const name = baseName(a.path);
    return html`<div class="card" role="group" aria-label="Add ${a.path}">
      <p><strong>${a.path}</strong></p>
      ${a.hasSubfolders
        ? html`<fieldset>
            <legend>This folder has subfolders. Back it up as…</legend>
            <label><input type="radio" name="mode" value="single" @change=${() => this.setConfirm({ mode: 'single' })} ?checked=${a.mode === 'single'} /> a single album "${name}"</label><br />
            <label><input type="radio" name="mode" value="separate" @change=${() => this.setConfirm({ mode: 'separate' })} ?checked=${a.mode === 'separate'} /> separate albums, one per folder</label>
          </fieldset>`
        : html`<p class="muted">Everything goes into the album "${name}".</p>`}
      ${a.network
        ? html`<p class="warn" role="note">This looks like a network drive: change notifications there are unreliable.</p>
            <label><input type="checkbox" ?checked=${a.poll} @change=${(e: Event) => this.setConfirm({ poll: (e.target as HTMLInputElement).checked })} /> Check for changes by polling</label>`
        : ''}
      <div class="row gap-above">
        <button class="primary" ?disabled=${this.action.busy !== null || (a.hasSubfolders && !a.mode)} @click=${() => void this.add()}>Watch this folder</button>
        <button @click=${() => this.cancel()}>Cancel</button>
      </div>
    </div>`;
  }

  private startAdd(path = ''): void {
    this.action.clear();
    this.adding = { step: 'path', path };
    void this.updateComplete.then(() => {
      this.renderRoot.querySelector<HTMLInputElement>('#folder')?.focus();
      if (path) void this.inspect(path);
    });
  }

  /** Electron: the native folder dialog fills the path. */
  private async browse(): Promise<void> {
    const r = await this.action.run('Choosing…', () => this.api.call('shell.chooseFolder', { purpose: 'watch' }));
    if (r?.paths[0]) {
      this.adding = { step: 'path', path: r.paths[0] };
      await this.inspect(r.paths[0]);
    }
  }

  private cancel(): void {
    this.adding = null;
    this.action.clear();
  }

  private toggleMenu(id: number): void {
    this.menuFor = this.menuFor === id ? null : id;
  }

  /** Closes the open ⋯ menu; `refocus` returns focus to its button (Esc), as menus do. */
  private closeMenu(refocus: boolean): void {
    const id = this.menuFor;
    this.menuFor = null;
    if (refocus && id !== null) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`li[data-id="${id}"] .menu-button`)?.focus());
  }

  private setConfirm(change: Partial<Extract<Adding, { step: 'confirm' }>>): void {
    if (this.adding?.step === 'confirm') this.adding = { ...this.adding, ...change };
  }

  private async inspect(raw: string): Promise<void> {
    const path = raw.trim();
    if (!path) return;
    const r = await this.action.run('Checking the folder…', () => this.api.call('watches.inspect', { path }));
    if (r) this.adding = { step: 'confirm', path: r.path, hasSubfolders: r.hasSubfolders, network: r.looksLikeNetworkDrive, mode: null, poll: r.looksLikeNetworkDrive };
  }

  private async add(): Promise<void> {
    const a = this.adding;
    if (a?.step !== 'confirm') return;
    const r = await this.action.run('Adding…', () => this.api.call('watches.add', { path: a.path, ...(a.mode ? { mode: a.mode } : {}), poll: a.poll }));
    if (r) {
      this.adding = null;
      this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
    }
  }

  private async act(label: string, fn: () => Promise<unknown>): Promise<void> {
    this.menuFor = null;
    if ((await this.action.run(label, fn)) !== undefined) this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
  }

  private onDragOver = (e: DragEvent) => {
    e.preventDefault();
    this.dropActive = true;
  };

  private onDrop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    this.dropActive = false;
    const file = e.dataTransfer?.files[0];
    const path = file ? this.api.pathForFile(file) : null;
    if (path) this.startAdd(path);
    else this.action.fail('This browser does not tell Shoebox where a dropped folder is. Type its path instead (Add folder).');
  };
}

customElements.define('sb-watch-sidebar', SbWatchSidebar);

declare global {
  interface HTMLElementTagNameMap {
    'sb-watch-sidebar': SbWatchSidebar;
  }
}
