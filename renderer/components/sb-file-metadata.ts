import { LitElement, css, html } from 'lit';
import type { FileInfo } from '../../main/core/api/contract.js';
import { formatBytes, printable } from '../../main/core/format.js';
import { DATE_SOURCE_LABEL, dateTimeLabel } from '../data/dates.js';
import { sharedStyles } from './shared-styles.js';

type Metadata = FileInfo['metadata'];
type Source = Metadata['sources'][number]['source'];

/** A metadata source in words. */
export const METADATA_SOURCE_LABEL: Record<Source, string> = {
  takeout: 'Google Takeout sidecar',
  xmp: 'XMP sidecar',
  embedded: 'the file’s own metadata',
};

const PART_LABEL: Record<FileInfo['parts'][number]['role'], string> = { live: 'Live photo video', raw: 'RAW', xmp: 'XMP sidecar' };

/** "48.85840° N, 2.29450° E". */
export function placeLabel(l: { latitude: number; longitude: number }): string {
  return `${Math.abs(l.latitude).toFixed(5)}° ${l.latitude < 0 ? 'S' : 'N'}, ${Math.abs(l.longitude).toFixed(5)}° ${l.longitude < 0 ? 'W' : 'E'}`;
}

/**
 * The info panel's capture date and sidecar metadata (DESIGN §12): each value with the source it
 * came from, what the sources it outranked said (an overridden EXIF date stays visible), the
 * sidecars it was read from, and the item's parts (RAW, XMP, live video). Presentational: it
 * renders the properties it is given, as the first entries of the panel's list.
 */
export class SbFileMetadata extends LitElement {
  static override properties = { info: { attribute: false } };
  declare info: Pick<FileInfo, 'at' | 'dateSource' | 'metadata' | 'parts'> | null;

  constructor() {
    super();
    this.info = null;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      dl { margin-bottom: 0; }
      ul { margin: 0; padding-left: 1rem; }
      s { opacity: 0.7; }
    `,
  ];

  override render() {
    const d = this.info;
    if (!d) return html``;
    const m = d.metadata;
    const taken = m.takenAt ?? { value: d.at, source: d.dateSource };
    const outranked = m.sources.filter((s) => s.takenAt !== null && s.source !== taken.source);
    return html`<dl>
      <dt>Taken</dt>
      <dd>
        ${dateTimeLabel(taken.value)} <div class="muted">${DATE_SOURCE_LABEL[taken.source]}</div>
        ${outranked.map((s) => html`<div class="muted">${METADATA_SOURCE_LABEL[s.source]}: <s>${dateTimeLabel(s.takenAt!)}</s> (not used)</div>`)}
      </dd>
      ${m.location ? html`<dt>Location</dt><dd>${placeLabel(m.location)} <div class="muted">from the ${METADATA_SOURCE_LABEL[m.location.source]}</div></dd>` : ''}
      ${m.description ? html`<dt>Description</dt><dd>${printable(m.description.value)} <div class="muted">from the ${METADATA_SOURCE_LABEL[m.description.source]}</div></dd>` : ''}
      ${m.favorite?.value ? html`<dt>Favourite</dt><dd><span aria-label="favourite">★</span> <span class="muted">from the ${METADATA_SOURCE_LABEL[m.favorite.source]}</span></dd>` : ''}
      ${m.rating ? html`<dt>Rating</dt><dd>${m.rating.value < 0 ? 'rejected' : html`<span aria-label="${m.rating.value} of 5">${'★'.repeat(m.rating.value)}${'☆'.repeat(5 - m.rating.value)}</span>`} <span class="muted">from the ${METADATA_SOURCE_LABEL[m.rating.source]}</span></dd>` : ''}
      ${m.sources.some((s) => s.sidecar)
        ? html`<dt>Sidecars</dt><dd><ul>${m.sources.filter((s) => s.sidecar).map((s) => html`<li>${METADATA_SOURCE_LABEL[s.source]}: ${printable(s.sidecar!)}</li>`)}</ul></dd>`
        : ''}
      ${d.parts.map((p) => html`<dt>${PART_LABEL[p.role]}</dt><dd>${printable(p.name)} (${formatBytes(p.size)})</dd>`)}
    </dl>`;
  }
}

customElements.define('sb-file-metadata', SbFileMetadata);

declare global {
  interface HTMLElementTagNameMap {
    'sb-file-metadata': SbFileMetadata;
  }
}
