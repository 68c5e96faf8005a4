import { LitElement, css, html } from 'lit';
import type { Result, UploadSummary } from '../../main/core/api/contract.js';
import { formatBytes } from '../../main/core/format.js';
import { messageOf, type ShoeboxApi } from '../api/api-client.js';
import { sharedStyles } from './shared-styles.js';

/** A file picked or dropped in a browser, with its path inside what was chosen. */
interface Picked {
  file: File;
  relativePath: string;
}

/** Reads a dropped folder tree (File and Directory Entries API) into files with relative paths. */
async function readEntries(items: DataTransferItemList): Promise<Picked[]> {
  const out: Picked[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push({ file, relativePath: `${prefix}${entry.name}` });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      }
    }
  };
  const entries = [...items].map((i) => i.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  for (const e of entries) await walk(e, '');
  return out;
}

/**
 * Manual upload (DESIGN §2): drop files, folders or ZIP archives (folder structure kept), or
 * choose them. In Electron the engine reads the paths; in a browser the files are streamed to
 * `shoebox serve`. Watch processing pauses meanwhile.
 * @fires changed - an upload finished
 */
export class SbUploadPanel extends LitElement {
  static override properties = { api: { attribute: false }, caps: { attribute: false }, mode: { state: true }, busy: { state: true }, progress: { state: true }, summary: { state: true }, error: { state: true }, over: { state: true } };
  declare api: ShoeboxApi;
  declare caps: Result<'shell.capabilities'> | null;
  declare mode: 'single' | 'separate';
  declare busy: boolean;
  declare progress: string | null;
  declare summary: UploadSummary | null;
  declare error: string | null;
  declare over: boolean;

  constructor() {
    super();
    this.caps = null;
    this.mode = 'separate';
    this.busy = false;
    this.progress = null;
    this.summary = null;
    this.error = null;
    this.over = false;
  }

  static override styles = [
    sharedStyles,
    css`
      .zone { border: 2px dashed var(--line); border-radius: 12px; padding: 2rem; text-align: center; }
      .zone.over { border-color: var(--accent); background: var(--tile); }
    `,
  ];

  override render() {
    return html`
      <h2>Upload</h2>
      <p class="muted">Photos and videos are added to albums named after their folders; anything else is skipped. Files already in the library are not copied again.</p>
      <div class="zone ${this.over ? 'over' : ''}" @dragover=${(e: DragEvent) => { e.preventDefault(); this.over = true; }} @dragleave=${() => (this.over = false)} @drop=${this.onDrop}>
        <p><strong>Drop files, folders or ZIP archives here</strong></p>
        <div class="row centered">
          ${this.caps?.nativeDialogs ? html`<button @click=${() => void this.browse()} ?disabled=${this.busy}>Choose files or folders…</button>` : ''}
          <label>Choose files <input id="files" type="file" multiple @change=${(e: Event) => void this.fromInput(e)} ?disabled=${this.busy} /></label>
          <label>Choose a folder <input id="folder" type="file" webkitdirectory @change=${(e: Event) => void this.fromInput(e)} ?disabled=${this.busy} /></label>
        </div>
        <fieldset class="row centered plain">
          <legend class="sr-only">Folders with subfolders</legend>
          Folders with subfolders:
          <label><input type="radio" name="mode" .checked=${this.mode === 'separate'} @change=${() => (this.mode = 'separate')} /> one album per folder</label>
          <label><input type="radio" name="mode" .checked=${this.mode === 'single'} @change=${() => (this.mode = 'single')} /> one album</label>
        </fieldset>
      </div>
      ${this.progress ? html`<p role="status">${this.progress}</p>` : ''}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.summary ? this.renderSummary(this.summary) : ''}
    `;
  }

  private renderSummary(s: UploadSummary) {
    return html`<div class="card" role="status">
      <p><strong>${s.filesTotal} files:</strong> ${s.stored} new, ${s.linked} added to albums, ${s.skipped} already backed up, ${s.ignored} not photos or videos, ${s.failed} failed. ${formatBytes(s.bytesAdded)} added.</p>
      ${s.failures.length ? html`<ul>${s.failures.map((f) => html`<li class="error">${f.message}</li>`)}</ul>` : ''}
    </div>`;
  }

  /** Electron: the native dialog gives paths; the engine reads them. */
  private async browse(): Promise<void> {
    try {
      const { paths } = await this.api.call('shell.chooseFolder', { purpose: 'upload' });
      if (paths.length > 0) await this.run(() => this.api.call('upload.paths', { paths, mode: this.mode }));
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  private onDrop = (e: DragEvent) => {
    e.preventDefault();
    this.over = false;
    const dt = e.dataTransfer;
    if (!dt || this.busy) return;
    const paths = [...dt.files].map((f) => this.api.pathForFile(f)).filter((p): p is string => !!p);
    if (paths.length > 0) void this.run(() => this.api.call('upload.paths', { paths, mode: this.mode }));
    else void readEntries(dt.items).then((picked) => this.send(picked), (err: unknown) => (this.error = messageOf(err)));
  };

  private async fromInput(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    const paths = files.map((f) => this.api.pathForFile(f)).filter((p): p is string => !!p);
    if (paths.length === files.length && paths.length > 0) {
      // Electron: a folder choice lists its files; upload the folder itself to keep its structure.
      const rel = files[0]!.webkitRelativePath;
      const top = rel ? paths[0]!.slice(0, paths[0]!.length - rel.length) + rel.split('/')[0] : null;
      await this.run(() => this.api.call('upload.paths', { paths: top ? [top] : paths, mode: this.mode }));
      return;
    }
    await this.send(files.map((file) => ({ file, relativePath: file.webkitRelativePath || file.name })));
  }

  /** Browser: stream each file to serve under one batch, then let the engine back the batch up. */
  private async send(picked: Picked[]): Promise<void> {
    if (picked.length === 0) return;
    const url = this.caps?.uploadUrl;
    if (!url) {
      this.error = 'This window cannot receive files; drop them from your file manager instead.';
      return;
    }
    const batchId = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
    await this.run(async () => {
      let done = 0;
      for (const p of picked) {
        this.progress = `Sending ${++done} of ${picked.length}: ${p.relativePath}`;
        const res = await fetch(`${url}${batchId}/${p.relativePath.split('/').map(encodeURIComponent).join('/')}`, { method: 'POST', body: p.file, headers: { 'X-Shoebox': '1' } });
        if (!res.ok) throw new Error(`${p.relativePath} could not be sent (${res.status}).`);
      }
      this.progress = `Backing up ${picked.length} files…`;
      return this.api.call('upload.commitBatch', { batchId, mode: this.mode });
    });
  }

  private async run(fn: () => Promise<UploadSummary>): Promise<void> {
    this.busy = true;
    this.error = null;
    this.summary = null;
    try {
      this.summary = await fn();
      this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = false;
      this.progress = null;
    }
  }
}

customElements.define('sb-upload-panel', SbUploadPanel);

declare global {
  interface HTMLElementTagNameMap {
    'sb-upload-panel': SbUploadPanel;
  }
}
