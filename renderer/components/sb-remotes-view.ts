import { LitElement, css, html } from 'lit';
import type { Result } from '../../main/core/api/contract.js';
import { formatBytes } from '../../main/core/format.js';
import { messageOf, type ShoeboxApi } from '../api/api-client.js';
import { sharedStyles } from './shared-styles.js';

type Remote = Result<'remotes.list'>[number];

/**
 * Offsite copy: the encrypted S3 remotes of the library — what is pushed and pending, push now,
 * stop pushing, and adding one. Access keys can be typed here only in the desktop app, which
 * keeps them in the system keychain; elsewhere the form says how `serve` gets them (AWS chain).
 * A new remote's recovery key is shown once, right after it was made.
 */
export class SbRemotesView extends LitElement {
  static override properties = {
    api: { attribute: false }, caps: { attribute: false }, revision: { type: String },
    remotes: { state: true }, error: { state: true }, busy: { state: true }, recoveryKey: { state: true }, notice: { state: true },
  };
  declare api: ShoeboxApi;
  declare caps: Result<'shell.capabilities'> | null;
  declare revision: string;
  declare remotes: Remote[] | null;
  declare error: string | null;
  declare busy: string | null;
  declare recoveryKey: string | null;
  declare notice: string | null;

  constructor() {
    super();
    this.caps = null;
    this.revision = '';
    this.remotes = null;
    this.error = null;
    this.busy = null;
    this.recoveryKey = null;
    this.notice = null;
  }

  static override styles = [
    sharedStyles,
    css`
      form { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 0.8rem; align-items: center; max-width: 42rem; }
      form .wide { grid-column: 1 / -1; }
      .small { font-size: 0.85rem; }
      .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
      td button { margin-right: 0.3rem; }
      .key { font-family: ui-monospace, monospace; font-size: 1.05rem; padding: 0.6rem; border: 2px dashed var(--accent); border-radius: 6px; user-select: all; }
    `,
  ];

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('revision')) void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.remotes = await this.api.call('remotes.list', {});
      this.error = null;
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  private async act(label: string, fn: () => Promise<void>): Promise<void> {
    this.busy = label;
    this.error = null;
    this.notice = null;
    try {
      await fn();
      await this.load();
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = null;
    }
  }

  private async add(ev: SubmitEvent): Promise<void> {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const f = new FormData(form);
    const field = (k: string) => {
      const v = f.get(k);
      return typeof v === 'string' ? v : '';
    };
    const text = (k: string) => field(k).trim();
    const params = {
      url: text('url'), passphrase: field('passphrase'),
      ...(text('endpoint') ? { endpoint: text('endpoint') } : {}),
      ...(text('region') ? { region: text('region') } : {}),
      ...(text('accessKeyId') ? { accessKeyId: text('accessKeyId'), secretAccessKey: field('secretAccessKey') } : {}),
    };
    await this.act('Adding…', async () => {
      const r = await this.api.call('remotes.add', params);
      this.recoveryKey = r.recoveryKey;
      this.notice = r.recoveryKey ? null : `Joined the existing Shoebox copy at ${r.remote.url}.`;
      form.reset();
    });
  }

  override render() {
    const keysHere = this.caps?.storesCredentials ?? false;
    return html`
      <h2>Offsite copy</h2>
      <p class="muted">An encrypted copy of the library in an S3-compatible bucket (AWS S3, Backblaze B2, Cloudflare R2, MinIO…). Everything is encrypted on this computer before it leaves; a new computer can rebuild the whole library from it with <code>shoebox remote restore</code>.</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.notice ? html`<p role="status">${this.notice}</p>` : ''}
      ${this.recoveryKey
        ? html`<div class="card" role="alert">
            <h3>Your recovery key</h3>
            <p>Write it down and keep it somewhere safe. With it (or your passphrase) the copy can be restored; Shoebox will not show it again.</p>
            <p class="key" aria-label="Recovery key">${this.recoveryKey}</p>
            <button @click=${() => (this.recoveryKey = null)}>I have saved it</button>
          </div>`
        : ''}
      ${this.remotes === null
        ? html`<p class="muted">Loading…</p>`
        : this.remotes.length === 0
          ? html`<p class="muted">No offsite copy yet.</p>`
          : html`<table>
              <thead><tr><th scope="col">Remote</th><th scope="col">Pushed</th><th scope="col">Waiting</th><th scope="col">Last catalog copy</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody>
                ${this.remotes.map(
                  (r) => html`<tr>
                    <td>${r.url}${r.endpoint ? html`<div class="muted small">${r.endpoint}</div>` : ''}${r.lastError ? html`<div class="error small">${r.lastError}</div>` : ''}</td>
                    <td>${r.pushedBlobs} (${formatBytes(r.pushedBytes)})</td>
                    <td>${r.pendingBlobs}${r.pendingDeletes ? html`, ${r.pendingDeletes} to delete` : ''}</td>
                    <td>${r.lastSnapshotAt ? new Date(r.lastSnapshotAt).toLocaleString() : 'not yet'}</td>
                    <td>
                      <button ?disabled=${this.busy !== null} @click=${() => this.act('Pushing…', async () => { const s = await this.api.call('remotes.push', { url: r.url }); this.notice = `Pushed ${s.blobs} contents (${formatBytes(s.bytes)}) to ${r.url}${s.failed.length ? `; ${s.failed.length} failed: ${s.failed[0]!.message}` : ''}.`; })}>Push now</button>
                      <button ?disabled=${this.busy !== null} @click=${() => confirm(`Stop pushing to ${r.url}? What is already there stays.`) && this.act('Removing…', async () => { await this.api.call('remotes.remove', { url: r.url }); })}>Stop</button>
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      ${this.busy ? html`<p role="status">${this.busy}</p>` : ''}
      <h3>Add an offsite copy</h3>
      <form @submit=${(e: SubmitEvent) => void this.add(e)}>
        <label for="url">Bucket</label><input id="url" name="url" required placeholder="s3://my-bucket/shoebox" pattern="s3://.+" />
        <label for="endpoint">Endpoint</label><input id="endpoint" name="endpoint" placeholder="https://s3.example.com (empty for AWS)" />
        <label for="region">Region</label><input id="region" name="region" placeholder="eu-west-1 (optional)" />
        <label for="passphrase">Passphrase</label><input id="passphrase" name="passphrase" type="password" required minlength="8" autocomplete="new-password" />
        ${keysHere
          ? html`<label for="accessKeyId">Access key ID</label><input id="accessKeyId" name="accessKeyId" autocomplete="off" />
              <label for="secretAccessKey">Secret access key</label><input id="secretAccessKey" name="secretAccessKey" type="password" autocomplete="off" />
              <p class="muted small wide">The keys are kept in the system keychain, never in the library.</p>`
          : html`<p class="muted small wide">Access keys come from the environment of <code>shoebox serve</code> (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws with AWS_PROFILE); this window does not store them.</p>`}
        <div class="wide"><button type="submit" class="primary" ?disabled=${this.busy !== null}>Add offsite copy</button></div>
      </form>
    `;
  }
}

customElements.define('sb-remotes-view', SbRemotesView);

declare global {
  interface HTMLElementTagNameMap {
    'sb-remotes-view': SbRemotesView;
  }
}
