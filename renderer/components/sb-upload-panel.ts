import { LitElement, css, html } from 'lit';
import type { UploadSummary } from '../../main/core/api/contract.js';
import { formatBytes } from '../../main/core/format.js';
import { messageOf } from '../api/api-client.js';
import { ActionController } from '../data/action-controller.js';
import { pickedFolder } from '../data/paths.js';
import { plural } from '../data/plural.js';
import { consumeSession, sessionOf } from '../data/session-consumer.js';
import { sharedStyles } from './shared-styles.js';
import { withCode } from '../data/code-spans.js';

/** An upload's outcome in words; every file is counted once, so the parts add up to the total. */
export function uploadSummaryText(s: UploadSummary): string {
  const parts = [
    s.stored && `${s.stored} new`,
    s.created && `${s.created} new ${s.created === 1 ? 'name' : 'names'} for photos already stored`,
    s.linked && `${s.linked} added to more albums`,
    s.skipped && `${s.skipped} already backed up`,
    s.ignored && `${s.ignored} not photos or videos`,
    s.vanished && `${s.vanished} gone before they could be read`,
    s.failed && `${s.failed} failed`,
  ].filter(Boolean);
  const u = s.unrecognised;
  const unrecognised = u.count > 0 ? ` ${u.count === 1 ? `${u.paths[0]?.split(/[\\/]/).pop() ?? '1 file'} was` : `${u.count} files were`} kept because of ${u.count === 1 ? 'its' : 'their'} extension: the content is not a photo or video Shoebox recognises.` : '';
  return `${plural(s.filesTotal, 'file')}: ${parts.length ? parts.join(', ') : 'nothing to do'}. ${formatBytes(s.bytesAdded)} added.${unrecognised}`;
}

/** What an upload made of sidecars and item parts (issue #21), in words; null when it had none. */
export function importSummaryText(s: UploadSummary): string | null {
  const i = s.import;
  if (!i) return null;
  const parts = [
    i.sidecars > 0 && `Google Takeout: ${plural(i.matched, 'photo or video', 'photos and videos')} matched to ${i.matched === 1 ? 'its sidecar' : 'their sidecars'}${i.withoutSidecar ? `, ${i.withoutSidecar} without one` : ''}${i.unmatchedSidecars ? `, ${plural(i.unmatchedSidecars, 'sidecar')} matched to no photo` : ''}.`,
    i.rawPairs > 0 && `${plural(i.rawPairs, 'RAW+JPEG pair')} kept as one photo each.`,
    i.livePhotos > 0 && `${plural(i.livePhotos, 'live photo')} (image and video) kept as one item each.`,
    i.xmpSidecars > 0 && `${plural(i.xmpSidecars, 'XMP sidecar')} kept with ${i.xmpSidecars === 1 ? 'its photo' : 'their photos'}.`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : null;
}

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
  static override properties = { mode: { state: true }, progress: { state: true }, summary: { state: true }, over: { state: true } };
  declare mode: 'single' | 'separate';
  declare progress: { text: string; done: number; total: number } | null;
  declare summary: UploadSummary | null;
  declare over: boolean;
  private readonly session = consumeSession(this);
  private readonly action = new ActionController(this);

  constructor() {
    super();
    this.mode = 'separate';
    this.progress = null;
    this.summary = null;
    this.over = false;
  }

  private get api() {
    return sessionOf(this.session).api;
  }

  private get busy(): boolean {
    return this.action.busy !== null;
  }

  static override styles = [
    sharedStyles,
    css`
      .zone { border: 2px dashed var(--line); border-radius: 12px; padding: 2rem; text-align: center; }
      .zone.over { border-color: var(--accent); background: var(--tile); }
    `,
  ];

  /** Opens the browser's file chooser of one of the hidden inputs. */
  private pick(id: 'files' | 'folder'): void {
    this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)?.click();
  }

  override render() {
    return html`
      <h2>Upload</h2>
      <p class="muted">Photos and videos are added to albums named after their folders; anything else is skipped. Files already in the library are not copied again.</p>
      <div class="zone ${this.over ? 'over' : ''}" @dragover=${(e: DragEvent) => { e.preventDefault(); this.over = true; }} @dragleave=${() => (this.over = false)} @drop=${this.onDrop}>
        <p><strong>Drop files, folders or ZIP archives here</strong></p>
        <div class="row centered">
          ${this.session.value?.caps?.nativeDialogs ? html`<button @click=${() => void this.browse()} ?disabled=${this.busy}>Choose files or folders…</button>` : ''}
          <!-- the browser's own file inputs, hidden: their buttons say "Choose File" whatever they pick -->
          <button @click=${() => this.pick('files')} ?disabled=${this.busy}>Choose files…</button>
          <button @click=${() => this.pick('folder')} ?disabled=${this.busy}>Choose a folder…</button>
          <input id="files" type="file" multiple hidden @change=${(e: Event) => void this.fromInput(e)} ?disabled=${this.busy} />
          <input id="folder" type="file" webkitdirectory hidden @change=${(e: Event) => void this.fromInput(e)} ?disabled=${this.busy} />
        </div>
        <fieldset class="row centered plain">
          <legend class="sr-only">Folders with subfolders</legend>
          Folders with subfolders:
          <label><input type="radio" name="mode" .checked=${this.mode === 'separate'} @change=${() => (this.mode = 'separate')} /> one album per folder</label>
          <label><input type="radio" name="mode" .checked=${this.mode === 'single'} @change=${() => (this.mode = 'single')} /> one album</label>
        </fieldset>
      </div>
      ${this.busy
        ? html`<div class="card" role="status"><p>${this.progress?.text ?? this.action.busy}</p>${this.progress && this.progress.total > 0 ? html`<progress max=${this.progress.total} value=${this.progress.done}></progress>` : html`<progress></progress>`}</div>`
        : ''}
      ${this.action.error ? html`<p class="error" role="alert">${withCode(this.action.error)}</p>` : ''}
      ${this.summary ? this.renderSummary(this.summary) : ''}
    `;
  }

  private renderSummary(s: UploadSummary) {
    return html`<div class="card" role="status">
      <p>${uploadSummaryText(s)}</p>
      ${s.failures.length ? html`<ul>${s.failures.map((f) => html`<li class="error">${f.message}</li>`)}</ul>` : ''}
      ${importSummaryText(s) ? html`<p>${importSummaryText(s)}</p>` : ''}
      ${s.import?.notes.length
        ? html`<details><summary>${plural(s.import.notes.length + s.import.notesOmitted, 'note')} on sidecars and photos not matched</summary>
            <ul>${s.import.notes.map((n) => html`<li>${n.message}</li>`)}</ul>
            ${s.import.notesOmitted ? html`<p class="muted">…and ${s.import.notesOmitted} more in the activity log.</p>` : ''}
          </details>`
        : ''}
    </div>`;
  }

  /** Electron: the native dialog gives paths; the engine reads them. */
  private async browse(): Promise<void> {
    await this.run(async () => {
      const { paths } = await this.api.call('shell.chooseFolder', { purpose: 'upload' });
      return paths.length > 0 ? this.api.call('upload.paths', { paths, mode: this.mode }) : null;
    });
  }

  private onDrop = (e: DragEvent) => {
    e.preventDefault();
    this.over = false;
    const dt = e.dataTransfer;
    if (!dt || this.busy) return;
    const paths = [...dt.files].map((f) => this.api.pathForFile(f)).filter((p): p is string => !!p);
    if (paths.length > 0) void this.run(() => this.api.call('upload.paths', { paths, mode: this.mode }));
    else void readEntries(dt.items).then((picked) => this.send(picked), (err: unknown) => this.action.fail(messageOf(err)));
  };

  private async fromInput(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    const paths = files.map((f) => this.api.pathForFile(f)).filter((p): p is string => !!p);
    if (paths.length === files.length && paths.length > 0) {
      // Electron: a folder choice lists its files; upload the folder itself to keep its structure.
      const rel = files[0]!.webkitRelativePath;
      const top = rel ? pickedFolder(paths[0]!, rel) : null;
      await this.run(() => this.api.call('upload.paths', { paths: top ? [top] : paths, mode: this.mode }));
      return;
    }
    await this.send(files.map((file) => ({ file, relativePath: file.webkitRelativePath || file.name })));
  }

  /** Browser: stream each file to serve under one batch, then let the engine back the batch up. */
  private async send(picked: Picked[]): Promise<void> {
    if (picked.length === 0) return;
    const url = this.session.value?.caps?.uploadUrl;
    if (!url) {
      this.action.fail('This window cannot receive files; drop them from your file manager instead.');
      return;
    }
    const batchId = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
    await this.run(async () => {
      let done = 0;
      for (const p of picked) {
        this.progress = { text: `Sending ${++done} of ${picked.length}: ${p.relativePath}`, done: done - 1, total: picked.length };
        const res = await fetch(`${url}${batchId}/${p.relativePath.split('/').map(encodeURIComponent).join('/')}`, { method: 'POST', body: p.file, headers: { 'X-Shoebox': '1' } });
        if (!res.ok) throw new Error(`${p.relativePath} could not be sent (${res.status}).`);
      }
      this.progress = { text: `Backing up ${plural(picked.length, 'file')}…`, done: 0, total: 0 };
      return this.api.call('upload.commitBatch', { batchId, mode: this.mode });
    });
  }

  private async run(fn: () => Promise<UploadSummary | null>): Promise<void> {
    this.summary = null;
    const summary = await this.action.run('Backing up…', fn);
    this.progress = null;
    if (summary) {
      this.summary = summary;
      this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
    }
  }
}

customElements.define('sb-upload-panel', SbUploadPanel);

declare global {
  interface HTMLElementTagNameMap {
    'sb-upload-panel': SbUploadPanel;
  }
}
