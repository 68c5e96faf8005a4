import { ContextConsumer } from '@lit/context';
import type { ReactiveControllerHost } from 'lit';
import { sessionContext, type Session } from './contexts.js';

/** Subscribes a view to the session sb-app provides (re-rendering it when the session changes). */
export function consumeSession(host: ReactiveControllerHost & HTMLElement): ContextConsumer<typeof sessionContext, ReactiveControllerHost & HTMLElement> {
  return new ContextConsumer(host, { context: sessionContext, subscribe: true });
}

/** The session, or a clear error when a view is used outside sb-app (a programming mistake). */
export function sessionOf(c: { value?: Session | undefined }): Session {
  if (!c.value) throw new Error('This view needs the Shoebox session: put it inside <sb-app> (or a test harness that provides one).');
  return c.value;
}
