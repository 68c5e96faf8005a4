import { ContextProvider } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Status } from '../../main/core/api/contract.js';
import { messageOf, type ShoeboxApi } from '../api/api-client.js';
import { sessionContext, type Session } from './contexts.js';
import { mediaContext, mediaUrls } from './media-urls.js';

/** The library's revision: changes when files are added, trashed, moved between albums… */
export function revisionOf(s: Status | null): string {
  return s ? `${s.files}|${s.trashed}|${s.albums}|${s.recentActivity[0]?.at ?? 0}|${s.recentActivity.length}|${s.undated ?? 0}` : '';
}

/**
 * Owns the connection for the whole window: subscribes to status and connection changes,
 * reads the shell's capabilities, and provides the Session context to every view below its host.
 */
export class SessionController implements ReactiveController {
  private readonly provider: ContextProvider<typeof sessionContext>;
  private readonly media: ContextProvider<typeof mediaContext>;
  private offs: Array<() => void> = [];
  private session: Session;
  /** The last error of a status or capabilities read (shown by the app). */
  error: string | null = null;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement, api: ShoeboxApi) {
    this.session = { api, status: null, connected: true, caps: null, revision: '' };
    this.provider = new ContextProvider(host, { context: sessionContext, initialValue: this.session });
    this.media = new ContextProvider(host, { context: mediaContext, initialValue: undefined });
    host.addController(this);
  }

  /** The current session. */
  get value(): Session {
    return this.session;
  }

  hostConnected(): void {
    const { api } = this.session;
    this.offs.push(api.on('status', (status) => this.set({ status })));
    this.offs.push(api.onConnection((connected, newRun) => {
      this.set({ connected, newRun: !connected && (newRun || (this.session.newRun === true)) });
      // On a reconnect, re-read what may have changed meanwhile (the first read is already on its way).
      if (connected && this.session.status !== null) void this.refresh();
    }));
    void this.refresh();
    api.call('shell.capabilities', {}).then((caps) => {
      this.media.setValue(mediaUrls(caps.mediaBase));
      this.set({ caps });
    }, (e: unknown) => this.fail(e));
  }

  hostDisconnected(): void {
    for (const off of this.offs) off();
    this.offs = [];
  }

  /** Re-reads the status (after an action, or on reconnect). */
  async refresh(): Promise<void> {
    try {
      const status = await this.session.api.call('status.get', {});
      this.error = null;
      this.set({ status });
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    this.error = messageOf(e);
    this.host.requestUpdate();
  }

  private set(change: Partial<Session>): void {
    const next = { ...this.session, ...change };
    next.revision = revisionOf(next.status);
    this.session = next;
    this.provider.setValue(next);
    this.host.requestUpdate();
  }
}
