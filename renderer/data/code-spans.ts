import { html, type TemplateResult } from 'lit';

/**
 * A message with `command` spans (the engine writes its messages for a terminal, where the
 * backticks read as quotes) with those spans shown as code instead of raw backticks (helper-48).
 * Text with an odd number of backticks is shown as it is.
 */
export function withCode(text: string): TemplateResult | string {
  const parts = text.split('`');
  if (parts.length < 3 || parts.length % 2 === 0) return text;
  return html`${parts.map((p, i) => (i % 2 === 1 ? html`<code>${p}</code>` : p))}`;
}
