import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import type { FileItem } from '../../main/core/api/contract.js';
import { printable } from '../../main/core/format.js';
import { mediaContext, type MediaUrls } from '../data/media-urls.js';
import type { ThumbLoader } from '../data/thumb-loader.js';

/**
 * One tile: a file's preview as an image the engine serves (so the browser fetches, caches and
 * decodes it off the main thread), a labelled placeholder when there is none (undecodable
 * files, corrupt videos), a ▶ badge on videos. Presentational: the URL comes from the container
 * (`urls`) or else the media context, the file from its container.
 */
export class SbThumb extends LitElement {
  static override properties = {
    file: { attribute: false }, decorative: { type: Boolean }, urls: { attribute: false }, loader: { attribute: false }, order: { type: Number },
    failed: { state: true }, ready: { state: true },
  };
  declare file: FileItem | null;
  /** A cover or decoration: no name for assistive technology (the label next to it names it). */
  declare decorative: boolean;
  /**
   * Media URLs given by a container that shows many tiles (null: not known yet). Undefined: ask
   * the media context — one context request per tile, which cost the 100k timeline's first paint
   * 180 ms for a screenful of tiles.
   */
  declare urls: MediaUrls | null | undefined;
  /** Fetches the image in turn, tiles on screen first ([Note: Thumbnails in viewport order]); without one the image loads at once. */
  declare loader: ThumbLoader | undefined;
  /** The tile's position in its grid (its turn with the loader). */
  declare order: number;
  declare failed: number | null;
  /** The URL the loader has fetched (the image is shown from the cache). */
  declare ready: string | null;
  private requested: string | null = null;
  private media: ContextConsumer<typeof mediaContext, SbThumb> | undefined;

  constructor() {
    super();
    this.file = null;
    this.decorative = false;
    this.urls = undefined;
    this.loader = undefined;
    this.order = 0;
    this.failed = null;
    this.ready = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.urls === undefined) this.media ??= new ContextConsumer(this, { context: mediaContext, subscribe: true });
    if (this.loader) this.requestUpdate(); // back on screen: ask again
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.loader?.drop(this);
    this.requested = null;
  }

  private src(): string | undefined {
    const f = this.file;
    return f ? (this.urls === undefined ? this.media?.value : this.urls)?.url('thumb', f.fileId) : undefined;
  }

  override updated(): void {
    const url = this.src();
    const f = this.file;
    if (!this.loader || !url || !f || url === this.requested || this.ready === url || this.failed === f.fileId) return;
    this.requested = url;
    this.loader.request(this, url, this.order, (outcome) => {
      if (this.requested !== url) return;
      if (outcome === 'ok') this.ready = url;
      else this.failed = f.fileId;
    });
  }

  static override styles = css`
    :host { display: block; width: 100%; height: 100%; }
    figure { margin: 0; width: 100%; height: 100%; background: var(--tile); border-radius: 8px; overflow: hidden; position: relative; display: flex; align-items: center; justify-content: center; }
    img { width: 100%; height: 100%; object-fit: cover; display: block; }
    img:not([src]) { opacity: 0; }
    figcaption { position: absolute; left: 0; right: 0; bottom: 0; font-size: 0.75rem; padding: 0.2rem 0.35rem; background: rgb(0 0 0 / 0.45); color: white; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .ph { font-size: 1.8rem; color: var(--muted); }
    .badge { position: absolute; top: 0.3rem; left: 0.3rem; background: rgb(0 0 0 / 0.55); color: white; border-radius: 999px; font-size: 0.7rem; padding: 0.1rem 0.45rem; }
  `;

  override render() {
    const f = this.file;
    if (!f) return html`<figure aria-hidden="true"></figure>`;
    const name = printable(f.name);
    const video = f.mediaType.startsWith('video/');
    const label = `${video ? 'Video ' : ''}${name}${f.width && f.height ? `, ${f.width}×${f.height}` : ''}`;
    const src = this.src();
    const broken = this.failed === f.fileId;
    // With a loader, the image is shown once fetched (its alt text names it meanwhile).
    const shown = this.loader && src !== this.ready ? nothing : src;
    // (an album's cover whose preview cannot be made shows the placeholder, not an empty box)
    if (this.decorative) return html`<figure aria-hidden="true">${src && !broken ? html`<img src=${shown} alt="" decoding="async" draggable="false" @error=${() => (this.failed = f.fileId)} />` : src ? html`<span class="ph">${video ? '▶' : '▧'}</span>` : ''}</figure>`;
    return html`<figure title=${label}>
      ${src && !broken
        ? html`<img src=${shown} alt=${label} decoding="async" draggable="false" @error=${() => (this.failed = f.fileId)} />`
        : html`<span class="ph" role="img" aria-label=${video ? `Video ${name} (no preview)` : `No preview for ${name}`}>${src ? (video ? '▶' : '▧') : ''}</span>`}
      ${video ? html`<span class="badge" aria-hidden="true">▶ video</span>` : ''}
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
