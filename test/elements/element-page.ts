// One Chromium page with the element harness loaded ([Note: Element tests run in Chromium],
// renderer/test/element-harness.ts), shared by the element test files: each mounts one element
// inside a fake session whose API answers from a script.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright';
import { CHROMIUM_ARGS, chromiumPath } from '../support/serve-process.js';

/** How the fake API answers one call of a method. */
export type Script = { result: unknown; held?: string } | { error: { code: string; userMessage: string } } | { pending: true };

/** The page's window.harness, as far as the tests use it. */
export interface Harness {
  mount(tag: string, script: Record<string, Script | Script[]>, props?: Record<string, unknown>, session?: Record<string, unknown>): void;
  answer(method: string, s: Script | Script[]): void;
  calls(method?: string): Array<{ method: string; params: unknown }>;
  session(change: Record<string, unknown>): void;
  emit(event: string, data: unknown): void;
  set(props: Record<string, unknown>): void;
  fired(event: string): unknown[];
  release(name: string): void;
}
/** The page's global object, as the tests see it. */
export type W = { harness: Harness };

/** Why element tests are skipped here, or false. */
export const skipElements = chromiumPath() ? false : 'Chromium is not installed (`.ci/setup test` installs it)';

/** A page with the harness, and shortcuts to drive it. */
export interface ElementPage {
  page: Page;
  /** Mounts one element (by tag) with its API script, properties and session changes. */
  mount: (tag: string, script: Record<string, Script | Script[]>, props?: Record<string, unknown>, session?: Record<string, unknown>) => Promise<void>;
  /** The calls the element made of a method, in order. */
  calls: (method: string) => Promise<Array<{ method: string; params: unknown }>>;
  /** The details of the events of this name the mounted element fired. */
  fired: (event: string) => Promise<unknown[]>;
  close: () => Promise<void>;
}

/** Bundles the harness and opens it in Chromium; a page error fails the test. */
export async function openElementPage(): Promise<ElementPage> {
  const repo = fileURLToPath(new URL('../../../', import.meta.url));
  const bundle = await build({ entryPoints: [path.join(repo, 'renderer/test/element-harness.ts')], bundle: true, format: 'iife', target: ['chrome120'], write: false, logLevel: 'warning' });
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  return {
    page,
    mount: (tag, script, props = {}, session = {}) => page.evaluate((a) => (globalThis as unknown as W).harness.mount(a.tag, a.script, a.props, a.session), { tag, script, props, session }),
    calls: (method) => page.evaluate((m) => (globalThis as unknown as W).harness.calls(m), method),
    fired: (event) => page.evaluate((e) => (globalThis as unknown as W).harness.fired(e), event),
    close: () => browser.close(),
  };
}

/**
 * The page for a suite: opened before its tests, closed after them. Use it inside `describe`;
 * its members are there once the suite's tests run.
 */
export function useElementPage(): ElementPage {
  let opened: ElementPage | undefined;
  before(async () => {
    opened = await openElementPage();
  });
  after(async () => {
    await opened?.close();
  });
  const ep = (): ElementPage => {
    if (!opened) throw new Error('the element page is opened before the suite\'s tests; use it inside them');
    return opened;
  };
  return {
    get page() {
      return ep().page;
    },
    mount: (...a) => ep().mount(...a),
    calls: (m) => ep().calls(m),
    fired: (e) => ep().fired(e),
    close: () => ep().close(),
  };
}
