import { LitElement, css, html } from 'lit';
import type { Result, TimelineItem } from '../../main/core/api/contract.js';
import { dayLabel, monthLabel } from '../data/dates.js';
import type { Section } from '../data/grid-rows.js';
import { LibraryActions } from '../data/library-actions.js';
import { loadTask, renderLoad } from '../data/load-task.js';
import { PagedList } from '../data/paged-list.js';
import { plural } from '../data/plural.js';
import { SelectionModel } from '../data/selection-model.js';
import { consumeSession, sessionOf } from '../data/session-consumer.js';
import { ViewerController } from '../data/viewer-controller.js';
import type { SbPhotoGrid, OpenDetail } from './sb-photo-grid.js';
import type { SelectionAction } from './sb-selection-bar.js';
import { sharedStyles } from './shared-styles.js';
import './sb-photo-grid.js';
import './sb-selection-bar.js';
import './sb-snackbar.js';
import './sb-state.js';

type Days = Result<'timeline.days'>;

/** Day sections with month groups, from the engine's per-day counts (newest first). */
export function timelineSections(days: Days['days']): Section[] {
  return days.map((d) => {
    const at = Date.parse(`${d.day}T12:00:00Z`);
    return { label: dayLabel(at), group: monthLabel(at), count: d.count };
  });
}

/**
 * All photos (DESIGN §10): every live file by capture date, newest first, in day sections under
 * month headings, virtualized; a month menu jumps anywhere. Selection and the viewer as in albums.
 * @fires changed - the library changed
 */
export class SbTimelineView extends LitElement {
  private readonly session = consumeSession(this);
  private readonly days = loadTask(this, () => this.session.value, () => [] as const, (api) => {
    // The first screen's files are read beside the days, not after them (first paint).
    if (this.sectionsFor === undefined) this.files.prefetch(0);
    return api.call('timeline.days', {});
  });
  private readonly files = new PagedList<TimelineItem>(this, (offset, limit) => sessionOf(this.session).api.call('timeline.page', { offset, limit }), 300);
  // The album list is only needed by the selection bar: read when something is selected.
  private readonly albums = loadTask(this, () => this.session.value, () => [this.selection.size > 0] as const, async (api, [needed]) => (needed ? api.call('albums.list', {}) : []));
  private readonly selection = new SelectionModel();
  private readonly actions = new LibraryActions(this, () => sessionOf(this.session).api);
  private readonly viewer = new ViewerController(this, this.files, this.actions, () => this.changed(), (i) => void this.renderRoot.querySelector<SbPhotoGrid>('sb-photo-grid')?.focusTile(i));
  private sections: Section[] = [];
  private sectionsFor: Days | undefined;

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; height: calc(100vh - 6.5rem); min-height: 0; }
      sb-photo-grid { flex: 1; }
      .head { display: flex; gap: 0.75rem; align-items: baseline; flex-wrap: wrap; }
      .head h2 { margin: 0; }
    `,
  ];

  override willUpdate(): void {
    const d = this.days.value;
    if (d && d !== this.sectionsFor) {
      this.sections = timelineSections(d.days);
      // The first days keep the prefetched first page (read on the same ordered channel, at least as new).
      this.files.reset(d.total, this.sectionsFor !== undefined, this.sectionsFor === undefined);
      this.sectionsFor = d;
    }
  }

  override render() {
    return html`${renderLoad(this.days, this.session.value, {
      what: 'your photos',
      isEmpty: (d) => d.total === 0,
      empty: 'No photos yet: add a watch folder or upload some.',
      complete: (d) => this.renderTimeline(d),
    })}
    ${this.viewer.render()}
    ${this.actions.undo ? html`<sb-snackbar .message=${this.actions.undo.message} @action=${() => void this.actions.undoTrash().then(() => { this.changed(); void this.viewer.focusViewer(); })} @dismiss=${() => this.actions.dismissUndo()}></sb-snackbar>` : ''}`;
  }

  private renderTimeline(d: Days) {
    const months = [...new Set(this.sections.map((s) => s.group!))];
    const a = this.actions.state;
    return html`
      <div class="head">
        <h2>All photos</h2>
        <span class="muted">${plural(d.total, 'file')}</span>
        <label>Jump to <select aria-label="Jump to month" @change=${(e: Event) => this.jump((e.target as HTMLSelectElement).value)}>
          ${months.map((m) => html`<option value=${m}>${m}</option>`)}
        </select></label>
      </div>
      ${a.error ? html`<p class="error" role="alert">${a.error}</p>` : ''}
      ${a.note ? html`<p role="status">${a.note}</p>` : ''}
      ${this.files.error ? html`<sb-state kind="error" .message=${this.files.error} @retry=${() => this.files.reset(d.total)}></sb-state>` : ''}
      ${this.selection.size > 0
        ? html`<sb-selection-bar .count=${this.selection.size} .albums=${this.albums.value ?? []} ?busy=${a.busy !== null} @selection-action=${(e: CustomEvent<SelectionAction>) => void this.onAction(e.detail)}></sb-selection-bar>`
        : ''}
      <sb-photo-grid label="All photos" .total=${this.files.total} .sections=${this.sections} .version=${this.files.version} .itemAt=${(i: number) => this.files.at(i)}
        .selection=${this.selection} @selection-change=${() => this.requestUpdate()} @open=${(e: CustomEvent<OpenDetail>) => this.viewer.open(e.detail.index)}></sb-photo-grid>
    `;
  }

  /** Scrolls to a month ("August 2024"). */
  jump(month: string): void {
    this.renderRoot.querySelector<SbPhotoGrid>('sb-photo-grid')?.scrollToGroup(month);
  }

  private async onAction(a: SelectionAction): Promise<void> {
    if (await this.actions.applyToSelection(a, this.selection, this.albums.value ?? [])) this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
  }
}

customElements.define('sb-timeline-view', SbTimelineView);

declare global {
  interface HTMLElementTagNameMap {
    'sb-timeline-view': SbTimelineView;
  }
}
