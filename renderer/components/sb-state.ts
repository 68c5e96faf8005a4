import { LitElement, css, html, type TemplateResult } from 'lit';
import { sharedStyles } from './shared-styles.js';
import { withCode } from '../data/code-spans.js';

/** The kinds of state a view can be in besides showing its content. */
export type StateKind = 'pending' | 'error' | 'empty' | 'disconnected';

/**
 * One state message, the same everywhere: loading, an error (with Retry), empty, or the
 * engine unreachable. Presentational.
 * @fires retry - the person asked to try an errored load again
 */
export class SbState extends LitElement {
  static override properties = { kind: { type: String, reflect: true }, message: { attribute: false }, compact: { type: Boolean, reflect: true }, newRun: { type: Boolean } };
  declare kind: StateKind;
  declare message: string | TemplateResult | null;
  declare compact: boolean;
  /** Disconnected because Shoebox was started again: reconnecting will not help, the new link will. */
  declare newRun: boolean;

  constructor() {
    super();
    this.kind = 'pending';
    this.message = null;
    this.compact = false;
    this.newRun = false;
  }

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .box { padding: 1rem; border-radius: 10px; border: 1px solid var(--line); background: var(--panel); margin-bottom: 0.75rem; }
      :host([compact]) .box { padding: 0.4rem 0.7rem; }
      :host([kind='error']) .box, :host([kind='disconnected']) .box { border-color: var(--bad); }
      .spinner { display: inline-block; width: 0.9rem; height: 0.9rem; border: 2px solid var(--line); border-top-color: var(--accent); border-radius: 50%; animation: spin 0.9s linear infinite; vertical-align: -2px; margin-right: 0.4rem; }
      @keyframes spin { to { transform: rotate(360deg); } }
      @media (prefers-reduced-motion: reduce) { .spinner { animation: none; } }
    `,
  ];

  override render() {
    switch (this.kind) {
      case 'pending':
        return html`<div class="box muted" role="status"><span class="spinner" aria-hidden="true"></span>${this.message ?? 'Loading…'}</div>`;
      case 'error':
        return html`<div class="box" role="alert"><p class="error">${typeof this.message === 'string' ? withCode(this.message) : (this.message ?? 'Something went wrong.')}</p><button @click=${() => this.dispatchEvent(new CustomEvent('retry', { bubbles: true, composed: true }))}>Try again</button></div>`;
      case 'empty':
        return html`<div class="box muted">${this.message ?? 'Nothing here yet.'}</div>`;
      case 'disconnected':
        if (this.newRun) return html`<div class="box" role="alert"><span class="error">Not connected to Shoebox:</span> it was started again; open the new link it printed${this.compact ? ' (what you see may be out of date)' : ''}.</div>`;
        return html`<div class="box" role="alert"><span class="error">Not connected to Shoebox.</span> ${this.compact ? 'What you see may be out of date; reconnecting…' : 'Reconnecting…'}</div>`;
    }
  }
}

customElements.define('sb-state', SbState);

declare global {
  interface HTMLElementTagNameMap {
    'sb-state': SbState;
  }
}
