import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import '@lit-labs/virtualizer';
import type { LitVirtualizer } from '@lit-labs/virtualizer/LitVirtualizer.js';
import type { FileItem } from '../../main/core/api/contract.js';
import { layoutRows, moveFocus, type GridLayout, type GridRow, type Section } from '../data/grid-rows.js';
import { mediaContext } from '../data/media-urls.js';
import type { SelectionModel } from '../data/selection-model.js';
import { ThumbLoader } from '../data/thumb-loader.js';
import { printable } from '../../main/core/format.js';
import { sharedStyles } from './shared-styles.js';
import './sb-thumb.js';

const TILE = 150;
const GAP = 8;
/** How long a key press watches for its tile to be rendered and keep focus (then row changes do). */
const FOCUS_WAIT_MS = 5000;

/** Detail of the grid's `open` event. */
export interface OpenDetail {
  index: number;
  fileId: number;
}

/**
 * A virtualized grid of file tiles in rows, with optional day and month headings (the
 * timeline) — only the rows on screen exist in the page. Keyboard: one tile is in the tab order
 * (roving tabindex); arrows, PageUp/PageDown, Home/End move; Enter opens; Space, Ctrl/Cmd-click
 * toggle selection; Shift with a click or arrow selects a range; Ctrl/Cmd+A selects what is loaded.
 * Presentational: the container gives `itemAt` and the selection model.
 * @fires open - detail: OpenDetail; a tile was clicked or Enter was pressed on it
 * @fires selection-change - the selection model changed
 */
export class SbPhotoGrid extends LitElement {
  static override properties = {
    total: { type: Number }, sections: { attribute: false }, itemAt: { attribute: false }, selection: { attribute: false },
    version: { type: Number }, label: { type: String }, cols: { state: true }, focusIndex: { state: true },
  };
  declare total: number;
  declare sections: Section[] | null;
  declare itemAt: (i: number) => FileItem | undefined;
  declare selection: SelectionModel | null;
  declare version: number;
  declare label: string;
  declare cols: number;
  declare focusIndex: number;
  /** The media URLs, asked for once here and given to every tile. */
  private readonly media = new ContextConsumer(this, { context: mediaContext, subscribe: true });
  /** Thumbnails on screen first ([Note: Thumbnails in viewport order]). */
  private readonly thumbs = new ThumbLoader();
  private layout: GridLayout = layoutRows([], 1);
  private layoutKey: unknown[] = [];
  private readonly resize = new ResizeObserver(([e]) => {
    const w = e?.contentRect.width ?? 0;
    const cols = Math.max(1, Math.floor((w - 4 + GAP) / (TILE + GAP)));
    if (cols !== this.cols) this.cols = cols;
  });

  constructor() {
    super();
    this.total = 0;
    this.sections = null;
    this.itemAt = () => undefined;
    this.selection = null;
    this.version = 0;
    this.label = 'Photos';
    this.cols = 4;
    this.focusIndex = 0;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; min-height: 0; }
      lit-virtualizer { height: 100%; width: 100%; outline: none; }
      .row { display: flex; gap: ${GAP}px; padding-bottom: ${GAP}px; flex-wrap: nowrap; }
      .tile { width: ${TILE}px; height: ${TILE}px; flex: none; border-radius: 8px; position: relative; cursor: pointer; outline: none; }
      .tile:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
      .tile[aria-selected='true']::after { content: '✓'; position: absolute; top: 6px; right: 6px; width: 1.4rem; height: 1.4rem; border-radius: 50%; background: var(--accent); color: var(--accent-text); display: flex; align-items: center; justify-content: center; font-size: 0.85rem; }
      .tile[aria-selected='true'] sb-thumb { opacity: 0.8; }
      .tile[aria-selected='true'] { box-shadow: 0 0 0 3px var(--accent); }
      h3.group { font-size: 1.15rem; margin: 0.8rem 0 0.3rem; }
      h4.section { font-size: 0.9rem; margin: 0.4rem 0 0.4rem; color: var(--muted); font-weight: 600; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
    this.addEventListener('focusin', this.onFocusIn);
    this.addEventListener('focusout', this.onFocusOut);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.removeEventListener('focusin', this.onFocusIn);
    this.removeEventListener('focusout', this.onFocusOut);
  }

  private currentLayout(): GridLayout {
    const key = [this.sections, this.total, this.cols];
    if (key.some((k, i) => k !== this.layoutKey[i])) {
      this.layoutKey = key;
      this.layout = layoutRows(this.sections ?? [{ label: null, group: null, count: this.total }], this.cols);
    }
    return this.layout;
  }

  /** Scrolls so a group heading (a month) is at the top. */
  scrollToGroup(group: string): boolean {
    const row = this.currentLayout().groupRows.get(group);
    if (row === undefined) return false;
    this.focusMove++; // a jump ends any focus move still settling: it must not scroll back

    this.virtualizer()?.element(row)?.scrollIntoView({ block: 'start' });
    return true;
  }

  /**
   * Moves keyboard focus to the tile at `index`, scrolling it into view. A far jump (End in
   * 100,000 files) renders its row only once the virtualizer has settled, over a number of
   * frames no one can promise, and a settling pass can drop and re-create rows. So the grid
   * itself holds focus until the tile exists, and focus is given back to the tile whenever the
   * rows change ([Note: Focus in a virtualized grid]).
   */
  async focusTile(index: number): Promise<void> {
    if (this.total === 0) return;
    const target = Math.max(0, Math.min(this.total - 1, index));
    const move = ++this.focusMove;
    this.focusIndex = target;
    this.holdFocus = true;
    const grid = this.virtualizer();
    const el = this.tileEl(target);
    if (el) el.focus();
    else grid?.focus({ preventScroll: true });
    grid?.element(this.currentLayout().rowOfIndex(target))?.scrollIntoView({ block: 'nearest' });
    let steady = 0;
    let arrived = false;
    const deadline = performance.now() + FOCUS_WAIT_MS;
    for (let frame = 1; performance.now() < deadline && steady < 3; frame++) {
      await this.updateComplete;
      await new Promise((r) => requestAnimationFrame(r));
      // A later key, click or jump moved on: it owns the scroll and the focus now.
      if (move !== this.focusMove || this.focusIndex !== target || !this.holdFocus) return;
      this.restoreFocus();
      const here = this.tileEl(target);
      arrived ||= here !== null;
      steady = here && this.shadowActive() === here ? steady + 1 : 0;
      // The estimate the virtualizer scrolled to may have been off: ask again now and then, but
      // only until the tile has been there (after that, a scroll away is the person's).
      if (!arrived && frame % 10 === 0) grid?.element(this.currentLayout().rowOfIndex(target))?.scrollIntoView({ block: 'nearest' });
    }
  }

  // [Note: Focus in a virtualized grid]
  // The focused tile can leave the page at any time: the virtualizer recycles rows scrolled away
  // and re-creates rows while it corrects its height estimates. A removed element takes focus
  // with it (to the page body), and a key pressed then reaches no one. So the grid remembers
  // that focus is its own (`holdFocus`: set when focus comes in, cleared only when it goes to
  // another element outside the grid) and, each time the rendered rows change, gives focus back
  // to the tile at `focusIndex` if focus is on the grid itself or has fallen to the body.

  private holdFocus = false;
  /** Counts focus moves and jumps: a focusTile still settling stops when a newer one starts. */
  private focusMove = 0;

  private readonly onFocusIn = (): void => {
    this.holdFocus = true;
  };

  private readonly onFocusOut = (e: FocusEvent): void => {
    const to = e.relatedTarget as Node | null;
    if (to && to !== this && !this.contains(to)) this.holdFocus = false;
  };

  private shadowActive(): Element | null {
    return (this.renderRoot as ShadowRoot).activeElement ?? null;
  }

  private tileEl(index: number): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`.tile[data-index="${index}"]`);
  }

  private restoreFocus(): void {
    if (!this.holdFocus) return;
    const el = this.tileEl(this.focusIndex);
    const active = this.shadowActive();
    if (!el || active === el) return;
    const onGrid = active === this.virtualizer();
    const fellOff = !active && (document.activeElement === document.body || document.activeElement === null);
    if (onGrid || fellOff) el.focus({ preventScroll: true });
  }

  private readonly onRangeChanged = (): void => {
    if (this.holdFocus) requestAnimationFrame(() => this.restoreFocus());
  };

  private virtualizer(): LitVirtualizer | null {
    return this.renderRoot.querySelector('lit-virtualizer');
  }

  override render() {
    const layout = this.currentLayout();
    if (this.focusIndex >= this.total && this.total > 0) this.focusIndex = this.total - 1;
    const version = this.version;
    return html`<lit-virtualizer scroller role="grid" tabindex="-1" aria-label=${this.label} aria-rowcount=${layout.rows.length} aria-multiselectable="true" data-version=${version}
      .items=${layout.rows} .keyFunction=${(r: GridRow) => r.key} .renderItem=${(r: GridRow) => this.renderRow(r)}
      @keydown=${this.onKey} @rangeChanged=${this.onRangeChanged}></lit-virtualizer>`;
  }

  private renderRow(r: GridRow) {
    if (r.kind === 'group') return html`<h3 class="group" role="rowheader">${r.label}</h3>`;
    if (r.kind === 'section') return html`<h4 class="section" role="rowheader">${r.label}</h4>`;
    const tiles = [];
    for (let i = r.start; i < r.start + r.count; i++) {
      const f = this.itemAt(i);
      const sel = f ? (this.selection?.has(f.fileId) ?? false) : false;
      tiles.push(html`<div class="tile" role="gridcell" data-index=${i} tabindex=${i === this.focusIndex ? 0 : -1} aria-selected=${sel ? 'true' : 'false'} aria-label=${f ? printable(f.name) : 'Loading'}
        @click=${(e: MouseEvent) => this.onClick(e, i)} @focus=${() => (this.focusIndex = i)}><sb-thumb .file=${f ?? null} .urls=${this.media.value ?? null} .loader=${this.thumbs} .order=${i}></sb-thumb></div>`);
    }
    return html`<div class="row" role="row">${tiles}</div>`;
  }

  private idAt = (i: number): number | undefined => this.itemAt(i)?.fileId;

  private onClick(e: MouseEvent, i: number): void {
    const f = this.itemAt(i);
    if (!f) return;
    this.focusIndex = i;
    if (e.shiftKey && this.selection) {
      this.selection.extendTo(i, this.idAt);
      this.changed();
    } else if ((e.ctrlKey || e.metaKey) && this.selection) {
      this.selection.toggle(i, f.fileId);
      this.changed();
    } else this.dispatchEvent(new CustomEvent<OpenDetail>('open', { detail: { index: i, fileId: f.fileId }, bubbles: true, composed: true }));
  }

  private changed(): void {
    this.requestUpdate();
    this.dispatchEvent(new CustomEvent('selection-change', { bubbles: true, composed: true }));
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    const i = this.focusIndex;
    const f = this.itemAt(i);
    if (e.key === 'Enter' && f) {
      e.preventDefault();
      this.dispatchEvent(new CustomEvent<OpenDetail>('open', { detail: { index: i, fileId: f.fileId }, bubbles: true, composed: true }));
      return;
    }
    if (e.key === ' ' && f && this.selection) {
      e.preventDefault();
      if (e.shiftKey) this.selection.extendTo(i, this.idAt);
      else this.selection.toggle(i, f.fileId);
      this.changed();
      return;
    }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a' && this.selection) {
      e.preventDefault();
      const ids: number[] = [];
      for (let k = 0; k < this.total; k++) {
        const id = this.idAt(k);
        if (id !== undefined) ids.push(id);
      }
      this.selection.set(ids);
      this.changed();
      return;
    }
    const pageRows = Math.max(1, Math.floor((this.getBoundingClientRect().height || 600) / (TILE + GAP)) - 1);
    const next = moveFocus(this.currentLayout(), this.total, i, e.key, pageRows);
    if (next < 0) return;
    e.preventDefault();
    if (e.shiftKey && this.selection && this.itemAt(next)) {
      if (!this.selection.size && f) this.selection.toggle(i, f.fileId);
      this.selection.extendTo(next, this.idAt);
      this.changed();
    }
    void this.focusTile(next);
  };
}

customElements.define('sb-photo-grid', SbPhotoGrid);

declare global {
  interface HTMLElementTagNameMap {
    'sb-photo-grid': SbPhotoGrid;
  }
}
