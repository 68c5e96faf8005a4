import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { messageOf } from '../api/api-client.js';

/**
 * Runs a view's changes (trash, restore, add a watch…) one at a time with explicit states:
 * `busy` names what is running, `error` is the last failure's message for people, `note`
 * the last success's. The host re-renders on every change.
 */
export class ActionController implements ReactiveController {
  busy: string | null = null;
  error: string | null = null;
  note: string | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Runs fn unless another action is running; returns its result, or undefined if it failed or was refused. */
  async run<T>(label: string, fn: () => Promise<T>, done?: (value: T) => string | null): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.busy = label;
    this.error = null;
    this.note = null;
    this.host.requestUpdate();
    try {
      const value = await fn();
      this.note = done?.(value) ?? null;
      return value;
    } catch (e) {
      this.error = messageOf(e);
      return undefined;
    } finally {
      this.busy = null;
      this.host.requestUpdate();
    }
  }

  /** Shows a failure found before anything ran (a form that does not add up, a file that could not be read). */
  fail(message: string): void {
    this.error = message;
    this.note = null;
    this.host.requestUpdate();
  }

  /** Clears the last message (the person dismissed it or started over). */
  clear(): void {
    this.error = null;
    this.note = null;
    this.host.requestUpdate();
  }
}
