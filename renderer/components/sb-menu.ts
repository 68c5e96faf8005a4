import { LitElement, css, html } from 'lit';

/**
 * A popup menu of slotted `role="menuitem"` buttons: focus moves to the first item when it
 * opens, ↑/↓/Home/End move between items, Esc or a click outside closes it. Presentational.
 * @fires close - the person dismissed the menu (Esc, click outside); the owner removes it
 */
export class SbMenu extends LitElement {
  static override styles = css`
    :host { position: absolute; right: 0; top: 2rem; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; z-index: 20; display: flex; flex-direction: column; min-width: 10rem; box-shadow: 0 4px 16px rgb(0 0 0 / 0.18); padding: 0.25rem 0; }
    ::slotted(button) { border: none !important; text-align: left; border-radius: 0 !important; background: none !important; padding: 0.45rem 0.8rem !important; }
    ::slotted(button:hover), ::slotted(button:focus-visible) { background: var(--tile) !important; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'menu');
    // Listening at once: the pointerdown of the click that opened the menu is already past (the
    // menu is made in that click's handler), and a timer here lost a quick click outside, since
    // the browser runs input before timers when it is busy.
    document.addEventListener('pointerdown', this.onOutside, true);
    this.addEventListener('keydown', this.onKey);
    void this.updateComplete.then(() => this.items()[0]?.focus());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.onOutside, true);
    this.removeEventListener('keydown', this.onKey);
  }

  private items(): HTMLElement[] {
    return [...this.querySelectorAll<HTMLElement>('[role="menuitem"]')].filter((el) => !(el as HTMLButtonElement).disabled);
  }

  private readonly onOutside = (e: Event) => {
    if (!e.composedPath().includes(this)) this.dispatchEvent(new CustomEvent('close', { detail: { refocus: false } }));
  };

  private readonly onKey = (e: KeyboardEvent) => {
    const items = this.items();
    const at = items.indexOf((this.getRootNode() as Document | ShadowRoot).activeElement as HTMLElement);
    const go = (i: number) => items[(i + items.length) % items.length]?.focus();
    switch (e.key) {
      case 'Escape': this.dispatchEvent(new CustomEvent('close', { detail: { refocus: true } })); break;
      case 'ArrowDown': go(at + 1); break;
      case 'ArrowUp': go(at - 1); break;
      case 'Home': go(0); break;
      case 'End': go(items.length - 1); break;
      default: return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  override render() {
    return html`<slot></slot>`;
  }
}

customElements.define('sb-menu', SbMenu);

declare global {
  interface HTMLElementTagNameMap {
    'sb-menu': SbMenu;
  }
}
