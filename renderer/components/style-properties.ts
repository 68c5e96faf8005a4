import { noChange, type ElementPart } from 'lit';
import { Directive, PartType, directive, type PartInfo } from 'lit/directive.js';

// [Note: No inline styles under the CSP]
// The window's policy is `style-src 'self'` (renderer/index.html, and the header of `shoebox
// serve`), with no 'unsafe-inline': a `style` attribute written as text — in markup, by
// setAttribute, or by lit's styleMap, which sets the attribute on its first render — is blocked
// (the style is dropped and the console logs a CSP error). Setting properties through the CSSOM
// (`element.style.setProperty`) is not inline style and is allowed, so per-element values (the
// viewer's pan and zoom) go through styleProperties below. eslint bans styleMap in renderer/;
// test/e2e/viewer-window.test.ts fails on any CSP error in the window.

/** CSS properties by their CSS names (`transform`, `--my-var`), each a value or null to remove it. */
export type StyleProperties = Record<string, string | null | undefined>;

class StylePropertiesDirective extends Directive {
  private previous = new Set<string>();

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('styleProperties goes on an element: <div ${styleProperties({…})}>');
  }

  render(_props: StyleProperties): unknown {
    return noChange;
  }

  override update(part: ElementPart, [props]: [StyleProperties]): unknown {
    const style = (part.element as HTMLElement).style;
    for (const name of this.previous) if (props[name] == null) style.removeProperty(name);
    this.previous = new Set();
    for (const [name, value] of Object.entries(props)) {
      if (value == null) continue;
      style.setProperty(name, value);
      this.previous.add(name);
    }
    return noChange;
  }
}

/**
 * Sets an element's style properties through the CSSOM, which the window's CSP allows, instead of
 * a `style` attribute, which it blocks ([Note: No inline styles under the CSP]).
 */
export const styleProperties = directive(StylePropertiesDirective);
