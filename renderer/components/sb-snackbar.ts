import { LitElement, css, html } from 'lit';

/**
 * A short message at the bottom of the window with one action (Undo), gone after `timeoutMs`
 * or when dismissed. Presentational; Ctrl/Cmd+Z also runs the action while it is shown.
 * @fires action - the person chose the action
 * @fires dismiss - it timed out or was closed
 */
export class SbSnackbar extends LitElement {
  static override properties = { message: { type: String }, actionLabel: { type: String }, timeoutMs: { type: Number } };
  declare message: string;
  declare actionLabel: string;
  declare timeoutMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.message = '';
    this.actionLabel = 'Undo';
    this.timeoutMs = 10_000;
  }

  static override styles = css`
    :host { position: fixed; left: 50%; bottom: 1.2rem; transform: translateX(-50%); z-index: 60; }
    .bar { display: flex; gap: 1rem; align-items: center; background: #2b2a27; color: #f3f1ec; border-radius: 8px; padding: 0.6rem 0.9rem; box-shadow: 0 4px 16px rgb(0 0 0 / 0.3); font: inherit; }
    button { font: inherit; background: none; border: none; color: #ffb48a; font-weight: 700; cursor: pointer; padding: 0.2rem 0.4rem; border-radius: 4px; }
    button:focus-visible { outline: 3px solid #79a8ff; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setTimeout(() => this.dispatchEvent(new CustomEvent('dismiss')), this.timeoutMs);
    document.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
    document.removeEventListener('keydown', this.onKey);
  }

  private readonly onKey = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      this.dispatchEvent(new CustomEvent('action'));
    }
  };

  override render() {
    return html`<div class="bar" role="status" aria-live="polite">
      <span>${this.message}</span>
      <button @click=${() => this.dispatchEvent(new CustomEvent('action'))}>${this.actionLabel}</button>
      <button aria-label="Dismiss" @click=${() => this.dispatchEvent(new CustomEvent('dismiss'))}>✕</button>
    </div>`;
  }
}

customElements.define('sb-snackbar', SbSnackbar);

declare global {
  interface HTMLElementTagNameMap {
    'sb-snackbar': SbSnackbar;
  }
}
