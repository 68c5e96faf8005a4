import { LitElement, css, html } from 'lit';
import type { FileItem } from '../../main/core/api/contract.js';
import { printable } from '../../main/core/format.js';
import type { ShoeboxApi } from '../api/api-client.js';

/** Previews already fetched, by file id (tiles are recycled while scrolling). */
const cache = new Map<number, { kind: 'image'; dataUrl: string } | { kind: 'placeholder'; reason: 'video' | 'undecodable' } | { kind: 'error' }>();

/** One tile: a file's preview, fetched lazily when the tile is shown; a labelled placeholder for videos and undecodable files. */
export class SbThumb extends LitElement {
  static override properties = { api: { attribute: false }, file: { attribute: false }, tick: { state: true } };
  declare api: ShoeboxApi;
  declare file: FileItem | null;
  declare tick: number;

  constructor() {
    super();
    this.file = null;
    this.tick = 0;
  }

  static override styles = css`
    :host { display: block; width: 100%; height: 100%; }
    figure { margin: 0; width: 100%; height: 100%; background: var(--tile); border-radius: 8px; overflow: hidden; position: relative; display: flex; align-items: center; justify-content: center; }
    img { width: 100%; height: 100%; object-fit: cover; display: block; }
    figcaption { position: absolute; left: 0; right: 0; bottom: 0; font-size: 0.75rem; padding: 0.2rem 0.35rem; background: rgb(0 0 0 / 0.45); color: white; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .ph { font-size: 1.8rem; color: var(--muted); }
  `;

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('file') && this.file && !cache.has(this.file.fileId)) void this.load(this.file.fileId);
  }

  private async load(fileId: number): Promise<void> {
    try {
      cache.set(fileId, await this.api.call('files.thumbnail', { fileId }));
    } catch {
      cache.set(fileId, { kind: 'error' }); // shown as a placeholder; the file itself is fine
    }
    if (this.file?.fileId === fileId) this.tick++;
  }

  override render() {
    const f = this.file;
    if (!f) return html`<figure aria-hidden="true"></figure>`;
    const t = cache.get(f.fileId);
    const name = printable(f.name);
    const label = `${name}${f.width && f.height ? `, ${f.width}×${f.height}` : ''}`;
    return html`<figure title=${label}>
      ${t?.kind === 'image'
        ? html`<img src=${t.dataUrl} alt=${label} />`
        : html`<span class="ph" role="img" aria-label=${t?.kind === 'placeholder' && t.reason === 'video' ? `Video ${name}` : `No preview for ${name}`}>${t === undefined ? '' : t.kind === 'placeholder' && t.reason === 'video' ? '▶' : '▧'}</span>`}
      <figcaption>${name}</figcaption>
    </figure>`;
  }
}

customElements.define('sb-thumb', SbThumb);

declare global {
  interface HTMLElementTagNameMap {
    'sb-thumb': SbThumb;
  }
}
