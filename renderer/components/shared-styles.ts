import { css } from 'lit';

/** Buttons, fields and headings shared by every view. */
export const sharedStyles = css`
  :host { color: var(--text); }
  h2 { font-size: 1.25rem; margin: 0 0 0.75rem; }
  h3 { font-size: 1rem; margin: 1rem 0 0.5rem; }
  p { margin: 0.4rem 0; }
  .muted { color: var(--muted); }
  .error { color: var(--bad); }
  .warn { color: var(--warn); }
  button, input, select {
    font: inherit; color: inherit; border-radius: 6px; border: 1px solid var(--line); background: var(--panel);
    padding: 0.35rem 0.7rem;
  }
  button { cursor: pointer; }
  button.primary { background: var(--accent); color: var(--accent-text); border-color: var(--accent); }
  button:disabled { opacity: 0.55; cursor: default; }
  button:focus-visible, input:focus-visible, select:focus-visible, a:focus-visible, [tabindex]:focus-visible {
    outline: 3px solid var(--focus); outline-offset: 2px;
  }
  .row { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
  .row.spread { justify-content: space-between; }
  .row.centered { justify-content: center; }
  .gap-above { margin-top: 0.5rem; }
  .gap-below { margin-bottom: 0.5rem; }
  fieldset.plain { border: none; }
  .card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 1rem; margin-bottom: 0.75rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line); }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
