import { Task, TaskStatus } from '@lit/task';
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { messageOf, type ShoeboxApi } from '../api/api-client.js';
import type { Session } from './contexts.js';
import '../components/sb-state.js';

/**
 * A read from the engine as a @lit/task Task: it runs when its arguments change (the session's
 * revision among them, so the view reloads when the library changes) and not while the engine
 * is unreachable. The error is the message for people (ApiCallError.userMessage).
 */
export function loadTask<T, A extends readonly unknown[]>(
  host: ReactiveControllerHost,
  session: () => Session | undefined,
  args: () => A,
  load: (api: ShoeboxApi, args: A, signal: AbortSignal) => Promise<T>,
): Task<[Session | undefined, ...A], T> {
  return new Task(host, {
    task: async ([s, ...rest], { signal }) => {
      if (!s) throw new Error('no session');
      try {
        return await load(s.api, rest, signal);
      } catch (e) {
        throw new Error(messageOf(e), { cause: e });
      }
    },
    args: () => [session(), ...args()] as [Session | undefined, ...A],
    // A dropped connection must not re-run every view: only a new revision or new arguments do.
    argsEqual: (a, b) => a.length === b.length && a.every((v, i) => (i === 0 ? sameLibrary(v as Session | undefined, b[0]) : Object.is(v, b[i]))),
  });
}

/**
 * Whether two sessions show the same library. A view loads at once, before the first status
 * arrives (the window's first paint waited a status read for nothing): that first status is no
 * change, because the app sends its status read before any view's read on the same ordered
 * channel (WebSocket or IPC), so whatever a view read is at least as new as that status. Later
 * revisions are changes.
 */
function sameLibrary(a: Session | undefined, b: Session | undefined): boolean {
  if (!a || !b) return a === b;
  return a.api === b.api && a.connected === b.connected && (a.revision === b.revision || a.status === null || b.status === null);
}

/** How a view shows a loaded value: its content, and optionally what "empty" means and says. */
export interface StateViews<T> {
  complete: (value: T) => TemplateResult | typeof nothing;
  isEmpty?: (value: T) => boolean;
  empty?: string | TemplateResult;
  /** What is loading, for the pending message ("Loading albums…"). */
  what?: string;
}

/**
 * The explicit states of a loaded view: pending (nothing yet), error (with Retry), empty,
 * disconnected (the last value is kept but marked as possibly out of date — never a stale
 * "all good"), and complete. A reload keeps showing the previous value instead of flashing.
 */
export function renderLoad<T>(task: Task<readonly unknown[], T>, session: Session | undefined, v: StateViews<T>): TemplateResult | typeof nothing {
  const value = task.value;
  const disconnected = session !== undefined && !session.connected;
  if (task.status === TaskStatus.ERROR && !disconnected) {
    return html`<sb-state kind="error" .message=${(task.error as Error)?.message ?? String(task.error)} @retry=${() => void task.run()}></sb-state>`;
  }
  if (value === undefined) {
    return disconnected ? html`<sb-state kind="disconnected" .newRun=${session.newRun === true}></sb-state>` : html`<sb-state kind="pending" .message=${v.what ? `Loading ${v.what}…` : 'Loading…'}></sb-state>`;
  }
  const body = v.isEmpty?.(value) ? html`<sb-state kind="empty" .message=${v.empty ?? 'Nothing here yet.'}></sb-state>` : v.complete(value);
  return disconnected ? html`<sb-state kind="disconnected" compact .newRun=${session.newRun === true}></sb-state>${body}` : body;
}
