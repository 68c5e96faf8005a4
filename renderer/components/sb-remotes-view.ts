import { LitElement, css, html } from 'lit';
import { formatBytes } from '../../main/core/format.js';
import { ActionController } from '../data/action-controller.js';
import { loadTask, renderLoad } from '../data/load-task.js';
import { consumeSession, sessionOf } from '../data/session-consumer.js';
import { sharedStyles } from './shared-styles.js';
import { withCode } from '../data/code-spans.js';

/**
 * Offsite copy: the encrypted S3 remotes of the library — what is pushed and pending, push now,
 * stop pushing, and adding one. Access keys can be typed here only in the desktop app, which
 * keeps them in the system keychain; elsewhere the form says how `serve` gets them (AWS chain).
 * A new remote's recovery key is shown once, right after it was made.
 */
export class SbRemotesView extends LitElement {
  static override properties = { recoveryKey: { state: true } };
  declare recoveryKey: string | null;
  private readonly session = consumeSession(this);
  private readonly remotes = loadTask(this, () => this.session.value, () => [] as const, (api) => api.call('remotes.list', {}));
  private readonly action = new ActionController(this);

  constructor() {
    super();
    this.recoveryKey = null;
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

  private async act(label: string, fn: () => Promise<string | null>): Promise<boolean> {
    const ok = (await this.action.run(label, fn, (note) => note)) !== undefined;
    void this.remotes.run();
    return ok;
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
    if (field('passphrase') !== field('passphrase2')) {
      this.action.fail('The two passphrases differ: type the same passphrase twice.');
      return;
    }
    const params = {
      url: text('url'), passphrase: field('passphrase'),
      ...(text('endpoint') ? { endpoint: text('endpoint') } : {}),
      ...(text('region') ? { region: text('region') } : {}),
      ...(text('accessKeyId') ? { accessKeyId: text('accessKeyId'), secretAccessKey: field('secretAccessKey') } : {}),
    };
    await this.act('Adding…', async () => {
      const r = await sessionOf(this.session).api.call('remotes.add', params);
      this.recoveryKey = r.recoveryKey;
      form.reset();
      return r.recoveryKey ? null : `Joined the existing Shoebox copy at ${r.remote.url}.`;
    });
  }

  override render() {
    const keysHere = this.session.value?.caps?.storesCredentials ?? false;
    return html`
      <h2>Offsite copy</h2>
      <p class="muted">An encrypted copy of the library in an S3-compatible bucket (AWS S3, Backblaze B2, Cloudflare R2, MinIO…). Everything is encrypted on this computer before it leaves; a new computer can rebuild the whole library from it, with the passphrase or the recovery key.</p>
      ${this.action.error ? html`<p class="error" role="alert">${withCode(this.action.error)}</p>` : ''}
      ${this.action.note ? html`<p role="status">${this.action.note}</p>` : ''}
      ${this.recoveryKey
        ? html`<div class="card" role="alert">
            <h3>Your recovery key</h3>
            <p>Write it down and keep it somewhere safe. With it (or your passphrase) the copy can be restored; Shoebox will not show it again.</p>
            <p class="key" aria-label="Recovery key">${this.recoveryKey}</p>
            <button @click=${() => (this.recoveryKey = null)}>I have saved it</button>
          </div>`
        : ''}
      ${renderLoad(this.remotes, this.session.value, { what: 'offsite copies', isEmpty: (v) => v.length === 0, empty: 'No offsite copy yet.', complete: (remotes) => html`<table>
              <thead><tr><th scope="col">Remote</th><th scope="col">Pushed</th><th scope="col">Waiting</th><th scope="col">Last catalog copy</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody>
                ${remotes.map(
                  (r) => html`<tr>
                    <td>${r.url}${r.endpoint ? html`<div class="muted small">${r.endpoint}</div>` : ''}${r.lastError ? html`<div class="error small">${r.lastError}</div>` : ''}</td>
                    <td>${r.pushedBlobs} (${formatBytes(r.pushedBytes)})</td>
                    <td>${r.pendingBlobs}${r.pendingDeletes ? html`, ${r.pendingDeletes} to delete` : ''}</td>
                    <td>${r.lastSnapshotAt ? new Date(r.lastSnapshotAt).toLocaleString() : 'not yet'}</td>
                    <td>
                      <button ?disabled=${this.action.busy !== null} @click=${() => void this.act('Pushing…', async () => { const s = await sessionOf(this.session).api.call('remotes.push', { url: r.url }); return `Pushed ${s.blobs} contents (${formatBytes(s.bytes)}) to ${r.url}${s.failed.length ? `; ${s.failed.length} failed: ${s.failed[0]!.message}` : ''}.`; })}>Push now</button>
                      <button ?disabled=${this.action.busy !== null} @click=${() => confirm(`Stop pushing to ${r.url}? What is already there stays.`) && void this.act('Removing…', async () => { await sessionOf(this.session).api.call('remotes.remove', { url: r.url }); return `Stopped pushing to ${r.url}.`; })}>Stop</button>
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>` })}
      ${this.action.busy ? html`<p role="status">${this.action.busy}</p>` : ''}
      <h3>Add an offsite copy</h3>
      <form @submit=${(e: SubmitEvent) => void this.add(e)}>
        <label for="url">Bucket</label><input id="url" name="url" required placeholder="s3://my-bucket/shoebox" pattern="s3://.+" />
        <label for="endpoint">Endpoint</label><input id="endpoint" name="endpoint" placeholder="https://s3.example.com (empty for AWS)" />
        <label for="region">Region</label><input id="region" name="region" placeholder="eu-west-1 (optional)" />
        <label for="passphrase">Passphrase</label><input id="passphrase" name="passphrase" type="password" required minlength="8" autocomplete="new-password" />
        <label for="passphrase2">Passphrase again</label><input id="passphrase2" name="passphrase2" type="password" required minlength="8" autocomplete="new-password" />
        ${keysHere
          ? html`<label for="accessKeyId">Access key ID</label><input id="accessKeyId" name="accessKeyId" autocomplete="off" />
              <label for="secretAccessKey">Secret access key</label><input id="secretAccessKey" name="secretAccessKey" type="password" autocomplete="off" />
              <p class="muted small wide">The keys are kept in the system keychain, never in the library.</p>`
          : html`<p class="muted small wide">Access keys come from the environment the Shoebox server runs in (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws with AWS_PROFILE); this window does not store them.</p>`}
        <div class="wide"><button type="submit" class="primary" ?disabled=${this.action.busy !== null}>Add offsite copy</button></div>
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
