import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import type { FileInfo, FileItem } from '../../main/core/api/contract.js';
import { PART_ROLE_LABEL, formatBytes, printable } from '../../main/core/format.js';
import { ActionController } from '../data/action-controller.js';
import { dateTimeLabel } from '../data/dates.js';
import { loadTask, renderLoad } from '../data/load-task.js';
import { mediaContext, type MediaUrls } from '../data/media-urls.js';
import { DISPLAY_SIZE } from '../../main/core/media/display-size.js';
import { consumeSession, sessionOf } from '../data/session-consumer.js';
import { fitScale, photoSize, scaleLabel, zoomStep, type Size } from '../data/viewer-zoom.js';
import { sharedStyles } from './shared-styles.js';
import { styleProperties } from './style-properties.js';
import './sb-file-metadata.js';
import './sb-state.js';
import { withCode } from '../data/code-spans.js';

/**
 * The viewer: one photo full size (HEIC and RAW through the engine's decoded preview) or one
 * video playing, fit to the window (shrunk, never enlarged); zoom (+/−/0, wheel) labelled with the
 * real scale ([Note: Viewer scale]) and drag to pan; ←/→ previous/next, Esc
 * closes, Delete moves it to Trash; the info panel (i) shows the date and where it came from,
 * camera, dimensions, size, albums, source paths and versions with "Restore this version".
 * @fires navigate - detail: -1 or +1
 * @fires close - the person closed the viewer
 * @fires trash - detail: the file id; the person asked to move it to Trash
 * @fires changed - a version was restored
 */
export class SbViewer extends LitElement {
  static override properties = {
    file: { attribute: false }, neighbours: { attribute: false }, index: { type: Number }, total: { type: Number }, notice: { attribute: false },
    scale: { state: true }, stage: { state: true }, pan: { state: true }, info: { state: true }, shown: { state: true }, fullFor: { state: true }, failedFor: { state: true },
  };
  declare file: FileItem | undefined;
  /** The files before and after, whose display images are fetched once this one is shown (←/→ then shows at once). */
  declare neighbours: Array<FileItem | undefined>;
  declare index: number;
  declare total: number;
  /** Said above the photo: the one that was open went away meanwhile (moved to Trash elsewhere). */
  declare notice: string | null;
  /** CSS pixels per photo pixel, or null for Fit ([Note: Viewer scale]). */
  declare scale: number | null;
  /** The stage's size in CSS pixels, once measured. */
  declare stage: Size | null;
  declare pan: { x: number; y: number };
  declare info: boolean;
  /** The file whose screen-sized image has loaded, with its pixel size (the thumbnail stands in until then). */
  declare shown: { fileId: number; width: number; height: number } | null;
  /** The file whose full-size image is asked for (more pixels on screen than its display copy has). */
  declare fullFor: number | null;
  /** The file whose image could not be loaded (undecodable, or its bytes are missing). */
  declare failedFor: number | null;
  private readonly session = consumeSession(this);
  private readonly media = new ContextConsumer(this, { context: mediaContext, subscribe: true });
  /** The info of a file that could not be shown: whether its stored bytes are there says why. */
  private readonly failedInfo = loadTask(this, () => this.session.value, () => [this.failedFor] as const, async (api, [fileId]) => (fileId ? api.call('files.info', { fileId }) : null));
  private readonly details = loadTask(this, () => this.session.value, () => [this.file?.fileId, this.info] as const, async (api, [fileId, info]) => (fileId && info ? api.call('files.info', { fileId }) : null));
  private readonly action = new ActionController(this);
  private drag: { x: number; y: number; px: number; py: number } | null = null;
  private returnFocus: Element | null = null;
  private readonly resize = new ResizeObserver(([e]) => e && (this.stage = { width: e.contentRect.width, height: e.contentRect.height }));
  private observed: Element | null = null;

  constructor() {
    super();
    this.file = undefined;
    this.index = 0;
    this.total = 0;
    this.scale = null;
    this.stage = null;
    this.pan = { x: 0, y: 0 };
    this.info = false;
    this.neighbours = [];
    this.shown = null;
    this.fullFor = null;
    this.failedFor = null;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { position: fixed; inset: 0; z-index: 50; background: #111; color: #eee; display: grid; grid-template-rows: auto 1fr; grid-template-columns: 1fr auto; --text: #eee; --muted: #aaa; --panel: #1c1c1c; --line: #333; }
      header { grid-column: 1 / -1; display: flex; gap: 0.5rem; align-items: center; padding: 0.4rem 0.6rem; background: #1a1a1a; }
      header .name { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .notice { position: absolute; top: 2.75rem; left: 50%; transform: translateX(-50%); z-index: 3; margin: 0; padding: 0.4rem 0.8rem; border-radius: 6px; background: #4a3b10; color: #f5e7b8; max-width: 90vw; }
      .stage { position: relative; overflow: hidden; display: flex; align-items: center; justify-content: center; min-width: 0; min-height: 0; cursor: grab; }
      .stage video { max-width: 100%; max-height: 100%; object-fit: contain; }
      .stage .failed { max-width: 40rem; margin: 0 4rem; line-height: 1.5; cursor: auto; user-select: text; }
      .frame { position: absolute; left: 50%; top: 50%; }
      .frame.fill { inset: 0; }
      .frame img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; user-select: none; }
      .frame img.thumb { filter: blur(6px); }
      .nav { position: absolute; top: 50%; transform: translateY(-50%); font-size: 1.6rem; background: rgb(0 0 0 / 0.4); color: white; border: none; border-radius: 50%; width: 2.6rem; height: 2.6rem; padding: 0; }
      .prev { left: 0.6rem; } .next { right: 0.6rem; }
      aside { width: min(22rem, 40vw); overflow: auto; background: #1c1c1c; padding: 0.8rem 1rem; border-left: 1px solid #333; }
      dt { color: var(--muted); font-size: 0.85em; margin-top: 0.6rem; }
      dd { margin: 0.1rem 0 0; word-break: break-all; }
      button { background: #2a2a2a; color: #eee; border-color: #444; }
      ul { margin: 0.2rem 0; padding-left: 1rem; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    this.returnFocus = active;
    this.setAttribute('role', 'dialog');
    this.setAttribute('aria-modal', 'true');
    this.tabIndex = -1;
    this.addEventListener('keydown', this.onKey);
    void this.updateComplete.then(() => this.focus());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKey);
    this.resize.disconnect();
    this.observed = null;
    // Back to where focus was when it opened, unless the view already put it somewhere (the
    // tile of the photo last shown, ViewerController.close): only when it fell to the page.
    const back = this.returnFocus as HTMLElement | null;
    const now = document.activeElement;
    if (back?.isConnected && (now === null || now === document.body)) back.focus();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('file') && (changed.get('file') as FileItem | undefined)?.fileId !== this.file?.fileId) {
      this.scale = null;
      this.pan = { x: 0, y: 0 };
    }
    if (changed.has('scale') || changed.has('shown') || changed.has('stage')) this.wantFullSize();
    this.setAttribute('aria-label', this.file ? `Viewer: ${printable(this.file.name)}` : 'Viewer');
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.target instanceof HTMLInputElement) return;
    const keys: Record<string, () => void> = {
      Escape: () => this.fire('close'),
      ArrowLeft: () => this.index > 0 && this.fire('navigate', -1),
      ArrowRight: () => this.index < this.total - 1 && this.fire('navigate', 1),
      Delete: () => this.file && this.fire('trash', this.file.fileId),
      i: () => (this.info = !this.info),
      '+': () => this.zoomBy(1.5),
      '=': () => this.zoomBy(1.5),
      '-': () => this.zoomBy(1 / 1.5),
      '0': () => this.fit(),
    };
    const fn = keys[e.key];
    if (!fn || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    e.stopPropagation();
    fn();
  };

  private fire(name: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  override updated(): void {
    const stage = this.renderRoot.querySelector('.stage');
    if (stage === this.observed) return;
    if (this.observed) this.resize.unobserve(this.observed);
    if (stage) this.resize.observe(stage);
    this.observed = stage;
  }

  /** The photo's size and the scale that fits it, once both it and the stage are known. */
  private layout(): { photo: Size; fit: number } | null {
    const f = this.file;
    const photo = f ? photoSize(f, this.shown?.fileId === f.fileId ? this.shown : null) : null;
    return photo && this.stage ? { photo, fit: fitScale(photo, this.stage) } : null;
  }

  /** The scale shown: the one zoomed to, else the fitted one. */
  private shownScale(fit: number): number {
    return this.scale ?? fit;
  }

  private zoomBy(factor: number): void {
    const l = this.layout();
    if (!l) return;
    const from = this.shownScale(l.fit);
    const to = zoomStep(from, factor, l.fit);
    if (to <= l.fit) return this.fit();
    this.scale = to;
    // about the stage's centre: the point in the middle stays there
    this.pan = { x: (this.pan.x * to) / from, y: (this.pan.y * to) / from };
  }

  private fit(): void {
    this.scale = null;
    this.pan = { x: 0, y: 0 };
  }

  override render() {
    const f = this.file;
    const m = this.media.value;
    const video = f?.mediaType.startsWith('video/') ?? false;
    return html`
      <header>
        <button @click=${() => this.fire('close')} aria-label="Close viewer (Esc)">✕</button>
        <span class="name">${f ? printable(f.name) : 'Loading…'} <span class="muted">${this.index + 1} of ${this.total}</span></span>
        ${video ? '' : this.renderZoom()}
        <button @click=${() => (this.info = !this.info)} aria-pressed=${this.info ? 'true' : 'false'}>Info</button>
        <button @click=${() => f && this.fire('trash', f.fileId)} ?disabled=${!f}>Move to Trash</button>
      </header>
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : ''}
      <div class="stage" @wheel=${this.onWheel} @pointerdown=${this.onDown} @pointermove=${this.onMove} @pointerup=${() => (this.drag = null)}>
        ${!f || !m
          ? html`<sb-state kind="pending"></sb-state>`
          : video
            ? this.renderVideo(f, m)
            : this.renderImage(f, m)}
        ${this.index > 0 ? html`<button class="nav prev" aria-label="Previous (←)" @click=${() => this.fire('navigate', -1)}>‹</button>` : ''}
        ${this.index < this.total - 1 ? html`<button class="nav next" aria-label="Next (→)" @click=${() => this.fire('navigate', 1)}>›</button>` : ''}
      </div>
      ${this.info ? html`<aside aria-label="Info">${renderLoad(this.details, this.session.value, { what: 'details', complete: (d) => (d ? this.renderInfo(d) : html``) })}</aside>` : ''}
    `;
  }

  private renderZoom() {
    const l = this.layout();
    const scale = l ? this.shownScale(l.fit) : null;
    return html`<button @click=${() => this.fit()} aria-pressed=${this.scale === null ? 'true' : 'false'} title="Fit: larger photos are shrunk to the window, smaller ones shown at 100% (0)">Fit</button>
      <button @click=${() => this.zoomBy(1 / 1.5)} aria-label="Zoom out" ?disabled=${!l || scale! <= l.fit}>−</button>
      <span aria-live="polite" title="Shown at this share of the photo's own pixels">${scale === null ? '' : scaleLabel(scale)}</span>
      <button @click=${() => this.zoomBy(1.5)} aria-label="Zoom in" ?disabled=${!l}>+</button>`;
  }

  /** The frame's place: the photo's size at the scale shown, centred and panned; filling the stage until the size is known. */
  private frameStyle() {
    const l = this.layout();
    if (!l) return { transform: `translate(${this.pan.x}px, ${this.pan.y}px)` };
    const scale = this.shownScale(l.fit);
    return { width: `${l.photo.width * scale}px`, height: `${l.photo.height * scale}px`, transform: `translate(calc(${this.pan.x}px - 50%), calc(${this.pan.y}px - 50%))` };
  }

  /** Why a file could not be shown, once its info says whether its stored bytes are there. */
  private whyNotShown(fileId: number, video: boolean): string {
    const info = this.failedInfo.value;
    if (!info || info.fileId !== fileId) return '.';
    if (info.storedBytes === 'missing') return ': its stored bytes are missing from the library (a disk problem?). `shoebox check --repair` stores them again from the original, if it is still on disk.';
    if (info.storedBytes === 'damaged') return ': its stored bytes are damaged. `shoebox check --repair` stores them again from the original, if it is still on disk.';
    if (video) return ': this window cannot play its content (not every video format plays in a browser). It is backed up as it came (export it to play it in another program); `shoebox check --read-data` tells whether its stored bytes are damaged.';
    return ': its content is not a picture this window can draw. It is backed up as it came (export it to open it in another program); if it was a picture, `shoebox check --read-data` tells whether its stored bytes are damaged.';
  }

  /** The "cannot be shown" message, in place of the photo or video. */
  private renderFailed(f: FileItem, video: boolean) {
    return html`<p class="failed" role="alert">${printable(f.name)} cannot be ${video ? 'played' : 'shown'}${withCode(this.whyNotShown(f.fileId, video))}</p>`;
  }

  /** A video, played from its stored bytes; a message instead when they are missing or cannot be played. */
  private renderVideo(f: FileItem, m: MediaUrls) {
    if (this.failedFor === f.fileId) return this.renderFailed(f, true);
    return html`<video src=${m.url('original', f.fileId)} poster=${m.url('thumb', f.fileId)} controls autoplay playsinline aria-label="Video ${printable(f.name)}" @error=${() => (this.failedFor = f.fileId)}></video>`;
  }

  /**
   * A photo in layers, each shown as soon as it arrives: the grid's thumbnail (already fetched:
   * the first pixels at once), the screen-sized image (the original where the browser shows it as
   * it is, else the display copy made with the thumbnail), and full size on top when the screen
   * shows more pixels than the display copy has (zoomed in, a high-density screen).
   */
  private renderImage(f: FileItem, m: MediaUrls) {
    const shown = this.shown?.fileId === f.fileId;
    const name = printable(f.name);
    if (this.failedFor === f.fileId) return this.renderFailed(f, false);
    return html`<div class="frame ${this.layout() ? '' : 'fill'}" ${styleProperties(this.frameStyle())}>
      ${shown ? '' : html`<img class="thumb" src=${m.url('thumb', f.fileId)} alt="" aria-hidden="true" draggable="false" />`}
      <img class="main" src=${m.url('display', f.fileId)} alt=${name} draggable="false" @load=${(e: Event) => this.onShown(f, e.target as HTMLImageElement)} @error=${() => (this.failedFor = f.fileId)} />
      ${this.fullFor === f.fileId ? html`<img class="full" src=${m.url('preview', f.fileId)} alt="" aria-hidden="true" draggable="false" />` : ''}
    </div>`;
  }

  private onShown(f: FileItem, img: HTMLImageElement): void {
    if (this.file?.fileId !== f.fileId) return;
    this.shown = { fileId: f.fileId, width: img.naturalWidth, height: img.naturalHeight };
    // The next and previous photos are fetched now, so ←/→ shows them at once.
    const m = this.media.value;
    for (const n of this.neighbours) if (m && n && !n.mediaType.startsWith('video/')) new Image().src = m.url('display', n.fileId);
  }

  /** Asks for full size when the display copy (capped at DISPLAY_SIZE) has fewer pixels than the screen shows. */
  private wantFullSize(): void {
    const f = this.file;
    const s = this.shown;
    if (!f || !s || s.fileId !== f.fileId || this.fullFor === f.fileId) return;
    const capped = Math.max(s.width, s.height) === DISPLAY_SIZE && (f.width === null || Math.max(f.width, f.height ?? 0) > DISPLAY_SIZE);
    if (!capped) return;
    const l = this.layout();
    if (l && l.photo.width * this.shownScale(l.fit) * devicePixelRatio > s.width * 1.05) this.fullFor = f.fileId;
  }

  private renderInfo(d: FileInfo) {
    return html`<h2>Info</h2>
      ${this.action.error ? html`<p class="error" role="alert">${withCode(this.action.error)}</p>` : ''}
      ${this.action.note ? html`<p role="status">${this.action.note}</p>` : ''}
      <sb-file-metadata .info=${d}></sb-file-metadata>
      <dl>
        ${d.camera ? html`<dt>Camera</dt><dd>${d.camera}</dd>` : ''}
        <dt>Dimensions</dt><dd>${d.width && d.height ? `${d.width} × ${d.height}` : 'not known'}</dd>
        <dt>Size</dt><dd>${formatBytes(d.size)} · ${d.mediaType}</dd>
        <dt>Albums</dt><dd>${d.albums.length ? d.albums.map((a) => a.name).join(', ') : 'Uncategorized'}</dd>
        <dt>Backed up from</dt><dd>${d.sourcePaths.length
          ? html`<ul>${d.sourcePaths.map((p) => html`<li>${printable(p)}</li>`)}</ul>`
          : d.formerSources.length
            ? html`<ul>${d.formerSources.map((s) => html`<li>${printable(s.path)} <span class="muted">(${s.why === 'in Trash' ? 'while this is in Trash, that file is not followed' : 'an earlier version: the file there is a newer version now'})</span></li>`)}</ul>`
            : 'no source is recorded'}</dd>
        ${d.partVersions.length
          ? html`<dt>Earlier parts</dt><dd><ul>${d.partVersions.map((p) => html`<li>${printable(p.name)} (${PART_ROLE_LABEL[p.role]}), ${formatBytes(p.size)}, replaced ${dateTimeLabel(p.replacedAt)}</li>`)}</ul></dd>`
          : ''}
        ${d.versions.length > 1
          ? html`<dt>Versions</dt><dd><ul>${d.versions.map((v, i) => html`<li>${printable(v.name)}, ${formatBytes(v.size)}, backed up ${dateTimeLabel(v.addedAt)}${v.current ? ' (this one)' : v.trashed ? ' (in Trash)' : i === 0 ? ' (the newest)' : html` <button ?disabled=${this.action.busy !== null} @click=${() => void this.restoreVersion(v.fileId)}>Restore this version</button>`}</li>`)}</ul></dd>`
          : ''}
      </dl>`;
  }

  private async restoreVersion(fileId: number): Promise<void> {
    const r = await this.action.run('Restoring…', () => sessionOf(this.session).api.call('files.restoreVersion', { fileId }), (r) => (r.albums.length > 0 ? `That version is back in ${r.albums.join(', ')}.` : 'That version stays in Uncategorized: the newer version whose albums it would take was deleted.'));
    if (r) {
      this.fire('changed');
      void this.details.run();
      this.focus(); // the button is gone from the list: keys go on to the viewer (Esc, ←/→)
    }
  }

  private readonly onWheel = (e: WheelEvent): void => {
    if (this.file?.mediaType.startsWith('video/')) return;
    e.preventDefault();
    this.zoomBy(e.deltaY < 0 ? 1.2 : 1 / 1.2);
  };

  private readonly onDown = (e: PointerEvent): void => {
    if (this.scale === null || (e.target as HTMLElement).tagName !== 'IMG') return;
    this.drag = { x: e.clientX, y: e.clientY, px: this.pan.x, py: this.pan.y };
    (e.target as HTMLElement).setPointerCapture(e.pointerId);
  };

  private readonly onMove = (e: PointerEvent): void => {
    if (!this.drag) return;
    this.pan = { x: this.drag.px + e.clientX - this.drag.x, y: this.drag.py + e.clientY - this.drag.y };
  };
}

customElements.define('sb-viewer', SbViewer);

declare global {
  interface HTMLElementTagNameMap {
    'sb-viewer': SbViewer;
  }
}
