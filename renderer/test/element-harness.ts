// [Note: Element tests run in Chromium]
// The renderer's element tests run in Debian's Chromium through Playwright (test/elements/), not
// under a DOM emulation in Node: the window is Chromium in both shells, and what these elements
// rely on — shadow DOM focus, ResizeObserver and layout for the virtualized grid, the context
// protocol's events — is exactly what emulations get subtly wrong. This bundle mounts one element
// inside a provider of a fake session, whose API answers from a script the test sets.
import { ContextProvider } from '@lit/context';
import { LitElement, html } from 'lit';
import type { ApiError, EventData, EventName, MethodName, Params, Result } from '../../main/core/api/contract.js';
import { ApiCallError, type ShoeboxApi } from '../api/api-client.js';
import { sessionContext, type Session } from '../data/contexts.js';
import { layoutRows, moveFocus } from '../data/grid-rows.js';
import { mediaContext, mediaUrls } from '../data/media-urls.js';
import { baseName, pickedFolder } from '../data/paths.js';
import { plural } from '../data/plural.js';
import { SelectionModel } from '../data/selection-model.js';
import { orderAlbums } from '../data/album-order.js';
import { importSummaryText, uploadSummaryText } from '../components/sb-upload-panel.js';
import { statusLine } from '../../main/core/api/status-line.js';
import { timelineSections } from '../components/sb-timeline-view.js';
import '../components/sb-album-view.js';
import '../components/sb-dedup-review.js';
import '../components/sb-file-metadata.js';
import '../components/sb-free-up-view.js';
import '../components/sb-preferences.js';
import '../components/sb-remotes-view.js';
import '../components/sb-similar-review.js';
import '../components/sb-state.js';
import '../components/sb-status-indicator.js';
import '../components/sb-storage-view.js';
import '../components/sb-timeline-view.js';
import '../components/sb-trash-view.js';
import '../components/sb-upload-panel.js';
import '../components/sb-watch-sidebar.js';
import '../components/sb-viewer.js';

/** How the fake API answers a method: a result (`held`: once the test releases that name), an error, or never (pending). */
type Script = { result: unknown; held?: string } | { error: ApiError } | { pending: true };

/** Answers held until the test releases them, by name. */
const holds = new Map<string, { released: Promise<void>; release: () => void }>();
function hold(name: string): { released: Promise<void>; release: () => void } {
  let h = holds.get(name);
  if (!h) {
    let release = () => undefined as void;
    const released = new Promise<void>((resolve) => (release = resolve));
    h = { released, release };
    holds.set(name, h);
  }
  return h;
}

/** A fake engine: answers from `script`, records every call. */
class FakeApi implements ShoeboxApi {
  script: Record<string, Script[]> = {};
  calls: Array<{ method: string; params: unknown }> = [];
  private listeners = new Map<string, Set<(d: unknown) => void>>();

  async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    this.calls.push({ method, params });
    const queue = this.script[method];
    const s = queue && queue.length > 1 ? queue.shift()! : queue?.[0];
    if (!s) throw new ApiCallError('NOT_SCRIPTED', `The test gave no answer for ${method}.`);
    await new Promise((r) => setTimeout(r, 5));
    if ('pending' in s) return new Promise<never>(() => undefined);
    if ('error' in s) throw new ApiCallError(s.error.code, s.error.userMessage);
    if (s.held) await hold(s.held).released;
    return s.result as Result<M>;
  }

  on<E extends EventName>(event: E, fn: (data: EventData<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(fn as (d: unknown) => void);
    this.listeners.set(event, set);
    return () => set.delete(fn as (d: unknown) => void);
  }

  emit(event: string, data: unknown): void {
    for (const fn of this.listeners.get(event) ?? []) fn(data);
  }

  onConnection(): () => void {
    return () => undefined;
  }

  pathForFile(): string | null {
    return null;
  }
}

/** Provides the fake session (and media URLs) to the element under test. */
class SbTestRoot extends LitElement {
  readonly api = new FakeApi();
  private session: Session = { api: this.api, status: { library: '/lib', files: 0, albums: 0, storedBytes: 0, trashed: 0, errors: 0, recentErrors: [], recentActivity: [], sync: null }, connected: true, caps: { shell: 'browser', nativeDialogs: false, uploadUrl: '/upload/', storesCredentials: false, mediaBase: '/media/' }, revision: '1' };
  private readonly provider = new ContextProvider(this, { context: sessionContext, initialValue: this.session });
  private readonly media = new ContextProvider(this, { context: mediaContext, initialValue: mediaUrls('/media/') });

  /** Changes the session (connection, revision, status) as sb-app would. */
  setSession(change: Partial<Session>): void {
    this.session = { ...this.session, ...change };
    this.provider.setValue(this.session);
  }

  override render() {
    void this.media;
    return html`<slot></slot>`;
  }
}
customElements.define('sb-test-root', SbTestRoot);

const root = () => document.querySelector('sb-test-root') as SbTestRoot;

/** The events the mounted element fired (those that reach its root: bubbling, or its own), by name. */
const fired = new Map<string, unknown[]>();
const FIRED = ['changed', 'close', 'navigate', 'trash', 'select-album', 'selection-action', 'retry'];

/** What the tests drive from Node (window.harness). */
const harness = {
  /** Replaces the page's content with one element (by tag) inside a fresh fake session. */
  mount(tag: string, script: Record<string, Script | Script[]>, props: Record<string, unknown> = {}, session: Partial<Session> = {}): void {
    document.body.innerHTML = '';
    fired.clear();
    holds.clear();
    const r = document.createElement('sb-test-root') as SbTestRoot;
    for (const name of FIRED) r.addEventListener(name, (e) => fired.set(name, [...(fired.get(name) ?? []), (e as CustomEvent).detail ?? null]));
    r.api.script = Object.fromEntries(Object.entries(script).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
    r.setSession(session);
    const el = document.createElement(tag);
    Object.assign(el, props);
    r.appendChild(el);
    document.body.appendChild(r);
  },
  /** Sets what the next calls of a method answer. */
  answer(method: string, s: Script | Script[]): void {
    root().api.script[method] = Array.isArray(s) ? s : [s];
  },
  calls(method?: string): Array<{ method: string; params: unknown }> {
    return root().api.calls.filter((c) => !method || c.method === method);
  },
  session(change: Partial<Session>): void {
    root().setSession(change);
  },
  emit(event: string, data: unknown): void {
    root().api.emit(event, data);
  },
  /** Lets the answers held under this name go. */
  release(name: string): void {
    hold(name).release();
  },
  /** Details of the events of this name fired so far (null for an event without detail). */
  fired(name: string): unknown[] {
    return fired.get(name) ?? [];
  },
  /** Sets a property on the mounted element. */
  set(props: Record<string, unknown>): void {
    Object.assign(root().firstElementChild!, props);
  },
  pure: { layoutRows, moveFocus, SelectionModel, baseName, pickedFolder, plural, orderAlbums, uploadSummaryText, importSummaryText, statusLine, timelineSections },
};

(window as unknown as { harness: typeof harness }).harness = harness;
